#include "source/git_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "util/process.h"

namespace km::source {
namespace {

namespace fs = std::filesystem;

/// `git -C dir show ref:./name`: the path is taken relative to `dir`, so any subdirectory of any
/// repository works.
bool show(const std::string& ref, const fs::path& dir, const std::string& name, std::string& text) {
    util::ProcessResult r =
        util::run_process({"git", "-C", dir.string(), "show", ref + ":./" + name});
    text = std::move(r.output);
    return r.exit_code == 0;
}

/// The *.yaml and *.yml blobs directly in `dir` at `ref`, sorted, dotfiles skipped.
bool list_yaml(const std::string& ref, const fs::path& dir, std::vector<std::string>& names) {
    util::ProcessResult tree =
        util::run_process({"git", "-C", dir.string(), "ls-tree", ref, "--", "./"});
    if (tree.exit_code != 0) {
        return false;
    }
    std::istringstream lines(tree.output);
    std::string line;
    while (std::getline(lines, line)) {
        std::size_t tab = line.find('\t');
        if (tab == std::string::npos || line.find(" blob ") == std::string::npos) {
            continue;
        }
        std::string name = fs::path(line.substr(tab + 1)).filename().string();
        if (is_topology_file_name(name)) {
            names.push_back(name);
        }
    }
    std::sort(names.begin(), names.end());
    return true;
}

/// Why git refused: the first line of its own message for the same command (standard error,
/// which run_process discards, is read through sh), e.g. "fatal: Not a valid object name main".
std::string git_message(const fs::path& dir, const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"sh", "-c", "git \"$@\" 2>&1 >/dev/null",
                                     "sh", "-C", dir.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    std::string text = util::run_process(argv).output;
    std::string line = text.substr(0, text.find('\n'));
    return line.empty() ? std::string() : ": " + line;
}

/// Reports a revision that does not exist as such: a branch named in the wrong repository is
/// the usual cause (`main` where the repository's branch is `master`).
void report_unreadable(diag::DiagnosticSink& sink, const std::string& what, const std::string& ref,
                       const fs::path& dir, const std::vector<std::string>& git_args) {
    bool exists = util::run_process({"git", "-C", dir.string(), "rev-parse", "--verify", "--quiet",
                                     ref + "^{commit}"})
                      .exit_code == 0;
    auto& d = sink.report(diag::Code::KM002, {},
                          fmt::format("cannot read {} at git revision '{}'{}", what, ref,
                                      git_message(dir, git_args)));
    if (!exists) {
        diag::add_help(d, fmt::format("git revision '{}' does not exist in the repository of '{}'; "
                                      "'git branch -a' lists its branches",
                                      ref, dir.string()));
    }
}

}  // namespace

std::vector<std::uint32_t> read_git_inputs(const std::string& ref,
                                           const std::vector<std::string>& inputs,
                                           SourceManager& sources, diag::DiagnosticSink& sink) {
    std::vector<std::uint32_t> files;
    for (const std::string& input : inputs) {
        std::error_code ec;
        if (fs::is_directory(input, ec)) {
            std::vector<std::string> names;
            if (!list_yaml(ref, input, names)) {
                report_unreadable(sink, fmt::format("directory '{}'", input), ref, input,
                                  {"ls-tree", ref, "--", "./"});
                continue;
            }
            if (names.empty()) {
                sink.report(
                    diag::Code::KM003, {},
                    fmt::format("directory '{}' holds no *.yaml or *.yml file at git revision '{}'",
                                input, ref));
            }
            for (const std::string& name : names) {
                std::string text;
                std::string path = (fs::path(input) / name).string();
                if (!show(ref, input, name, text)) {
                    sink.report(diag::Code::KM002, {},
                                fmt::format("cannot read '{}' at git revision '{}'", path, ref));
                    continue;
                }
                files.push_back(sources.add(ref + ":" + path, std::move(text)));
            }
            continue;
        }
        fs::path p(input);
        fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
        std::string text;
        if (!show(ref, dir, p.filename().string(), text)) {
            report_unreadable(sink, fmt::format("'{}'", input), ref, dir,
                              {"show", ref + ":./" + p.filename().string()});
            continue;
        }
        files.push_back(sources.add(ref + ":" + input, std::move(text)));
    }
    return files;
}

}  // namespace km::source
