#include "cli/output_directory.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace km::cli {
namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// A path from the record is used only when it stays inside the directory.
bool is_contained(const fs::path& rel) {
    if (rel.empty() || rel.is_absolute()) {
        return false;
    }
    for (const fs::path& part : rel) {
        if (part == ".." || part == ".") {
            return false;
        }
    }
    return true;
}

/// Owned entries: files as "a/b.yaml", directories kafkamesh created as "a/".
std::set<std::string> read_record(const fs::path& dir) {
    std::set<std::string> owned;
    std::ifstream in(dir / k_ownership_record, std::ios::binary);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') {
            continue;
        }
        std::string bare = line.back() == '/' ? line.substr(0, line.size() - 1) : line;
        if (is_contained(fs::path(bare))) {
            owned.insert(line);
        }
    }
    return owned;
}

std::string make_record(const std::vector<OutputFile>& files) {
    std::set<std::string> entries;
    for (const OutputFile& f : files) {
        entries.insert(f.path);
        for (fs::path parent = fs::path(f.path).parent_path(); !parent.empty();
             parent = parent.parent_path()) {
            entries.insert(parent.string() + "/");
        }
    }
    std::string text =
        "# Written by kafkamesh: the files and directories it owns here. It replaces or removes\n"
        "# only these; everything else in this directory is left as it is.\n";
    for (const std::string& e : entries) {
        text += e + "\n";
    }
    return text;
}

bool write_file(const fs::path& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    return static_cast<bool>(out);
}

class TreeWriter {
  public:
    TreeWriter(std::string shown, fs::path target, Session& session, Foreign foreign)
        : m_shown(std::move(shown)),
          m_target(std::move(target)),
          m_session(session),
          m_foreign(foreign) {}

    bool write(const std::vector<OutputFile>& files, const WriteHooks& hooks) {
        std::error_code ec;
        bool exists = fs::exists(fs::symlink_status(m_target, ec));
        if (exists && !fs::is_directory(m_target, ec)) {
            return fail(fmt::format("'{}' exists and is not a directory", m_shown));
        }
        std::set<std::string> owned = exists ? read_record(m_target) : std::set<std::string>{};
        if (exists && !check_foreign(files, owned)) {
            return false;
        }
        fs::create_directories(m_target.parent_path(), ec);
        if (ec) {
            return fail(fmt::format("cannot create directory '{}': {}", shown_parent().string(),
                                    ec.message()));
        }
        m_staging = m_target.parent_path() /
                    fmt::format(".{}.kafkamesh-new-{}", m_target.filename().string(), getpid());
        fs::remove_all(m_staging, ec);
        if (!fs::create_directory(m_staging, ec) || ec) {
            return fail(fmt::format("cannot create directory '{}': {}",
                                    (shown_parent() / m_staging.filename()).string(),
                                    ec ? ec.message() : "it exists"));
        }
        bool ok = (!exists || (copy_permissions() && keep_foreign(owned))) && add_new(files) &&
                  (!hooks.before_swap || hooks.before_swap() ||
                   fail(fmt::format("writing '{}' was stopped before the swap", m_shown))) &&
                  swap_in(exists);
        fs::remove_all(m_staging, ec);  // the old tree after a swap, the new one after a failure
        return ok;
    }

  private:
    /// Messages name paths as the user wrote them, never as absolute paths of this machine.
    fs::path shown_parent() const {
        fs::path parent = fs::path(m_shown).lexically_normal().parent_path();
        if (!fs::path(m_shown).has_filename()) {
            parent = parent.parent_path();
        }
        return parent.empty() ? fs::path(".") : parent;
    }

    bool fail(const std::string& message) {
        m_session.sink.report(diag::Code::KM004, {}, message);
        return false;
    }

    /// A file kafkamesh would write that exists and is not in its record belongs to someone
    /// else: report it and write nothing.
    bool check_foreign(const std::vector<OutputFile>& files, std::set<std::string>& owned) {
        std::set<std::string> reported;
        for (const OutputFile& f : files) {
            fs::path rel;
            for (const fs::path& part : fs::path(f.path)) {
                rel /= part;
                bool last = rel == fs::path(f.path);
                std::error_code ec;
                fs::file_status st = fs::symlink_status(m_target / rel, ec);
                if (!fs::exists(st) || (!last && fs::is_directory(st))) {
                    continue;
                }
                if (owned.count(rel.string()) || reported.count(rel.string())) {
                    continue;
                }
                if (m_foreign == Foreign::adopt && last && fs::is_regular_file(st) &&
                    adoptable(f.path, f.content, read_text(m_target / rel))) {
                    owned.insert(rel.string());  // replaced, and recorded from now on
                    continue;
                }
                reported.insert(rel.string());
                auto& d = m_session.sink.report(
                    diag::Code::KM505, {},
                    fmt::format("'{}' exists and was not written by kafkamesh",
                                (fs::path(m_shown) / rel).string()));
                diag::add_help(d, m_foreign == Foreign::adopt
                                      ? "it is not kafkamesh's output (see 'kafkamesh "
                                        "explain-code KM505'): move it away"
                                      : "move it away, or write the output to another directory; "
                                        "if kafkamesh wrote it and DIR/.kafkamesh was lost, pass "
                                        "--adopt");
            }
        }
        return reported.empty();
    }

    bool copy_permissions() {
        std::error_code ec;
        fs::permissions(m_staging, fs::status(m_target, ec).permissions(), ec);
        return true;
    }

    /// Every entry kafkamesh does not own moves into the new tree as a hard link of the same
    /// file, so its content, inode and times stay exactly as they were.
    bool keep_foreign(const std::set<std::string>& owned) {
        std::error_code ec;
        fs::recursive_directory_iterator it(m_target, ec);
        if (ec) {
            return fail(fmt::format("cannot read directory '{}': {}", m_shown, ec.message()));
        }
        for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
            fs::path rel = fs::relative(it->path(), m_target, ec);
            fs::file_status st = it->symlink_status(ec);
            if (fs::is_directory(st)) {
                // Directories kafkamesh created come back only if something is written in them.
                if (!owned.count(rel.string() + "/")) {
                    fs::create_directories(m_staging / rel, ec);
                    fs::permissions(m_staging / rel, st.permissions(), ec);
                }
                continue;
            }
            if (rel == k_ownership_record || owned.count(rel.string())) {
                continue;  // rewritten, or stale and so removed
            }
            fs::create_directories((m_staging / rel).parent_path(), ec);
            fs::create_hard_link(it->path(), m_staging / rel, ec);
            if (ec) {
                return fail(fmt::format("cannot keep '{}' in the new output: {}",
                                        (fs::path(m_shown) / rel).string(), ec.message()));
            }
        }
        if (ec) {
            return fail(fmt::format("cannot read directory '{}': {}", m_shown, ec.message()));
        }
        return true;
    }

    bool add_new(const std::vector<OutputFile>& files) {
        std::vector<OutputFile> all = files;
        all.push_back({k_ownership_record, make_record(files)});
        for (const OutputFile& f : all) {
            std::error_code ec;
            fs::path path = m_staging / f.path;
            fs::create_directories(path.parent_path(), ec);
            if (ec || !write_file(path, f.content)) {
                return fail(fmt::format("cannot write '{}': {}",
                                        (fs::path(m_shown) / f.path).string(),
                                        ec ? ec.message() : std::strerror(errno)));
            }
        }
        return true;
    }

    bool swap_in(bool exists) {
        int rc = exists ? renameat2(AT_FDCWD, m_staging.c_str(), AT_FDCWD, m_target.c_str(),
                                    RENAME_EXCHANGE)
                        : std::rename(m_staging.c_str(), m_target.c_str());
        if (rc != 0) {
            return fail(fmt::format("cannot replace '{}': {}", m_shown, std::strerror(errno)));
        }
        return true;
    }

    std::string m_shown;
    fs::path m_target;
    fs::path m_staging;
    Session& m_session;
    Foreign m_foreign;
};

}  // namespace

bool adoptable(const std::string& path, const std::string& content, const std::string& existing) {
    if (existing == content) {
        return true;
    }
    if (fs::path(path).filename() == "kustomization.yaml") {
        // Everything before the resource list is the same for every topology; the list itself
        // changes with the topology, so it says nothing about who wrote the file.
        std::size_t list = content.find("\nresources:");
        return list != std::string::npos &&
               existing.compare(0, list + 1, content, 0, list + 1) == 0;
    }
    if (fs::path(path).extension() != ".yaml" || path.rfind("helm/", 0) == 0) {
        return false;  // the chart's values carry no label: only the same bytes prove them
    }
    // Every document kafkamesh emits carries its managed-by label (outputs.md); a file mixing in
    // a document without it holds someone else's work.
    constexpr std::string_view label = "app.kubernetes.io/managed-by: kafkamesh\n";
    std::size_t documents = 0;
    std::size_t start = existing.rfind("---\n", 0) == 0 ? 4 : 0;
    while (start < existing.size()) {
        std::size_t end = existing.find("\n---\n", start);
        std::string_view document(existing.data() + start,
                                  (end == std::string::npos ? existing.size() : end + 1) - start);
        if (document.find(label) == std::string_view::npos) {
            return false;
        }
        ++documents;
        start = end == std::string::npos ? existing.size() : end + 5;
    }
    return documents > 0;
}

bool write_output_directory(const std::string& dir, const std::vector<OutputFile>& files,
                            Session& session, const WriteHooks& hooks, Foreign foreign) {
    std::error_code ec;
    // Through a symbolic link, the directory it points at is the one replaced.
    fs::path target = fs::weakly_canonical(fs::absolute(fs::path(dir)), ec);
    if (ec) {
        target = fs::absolute(fs::path(dir)).lexically_normal();
    }
    if (!target.has_filename()) {
        target = target.parent_path();
    }
    if (target == target.root_path()) {
        session.sink.report(diag::Code::KM004, {},
                            fmt::format("cannot write into '{}': not a directory of its own", dir));
        return false;
    }
    return TreeWriter(dir, target, session, foreign).write(files, hooks);
}

}  // namespace km::cli
