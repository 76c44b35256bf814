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
                sink.report(
                    diag::Code::KM002, {},
                    fmt::format("cannot read directory '{}' at git revision '{}'", input, ref));
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
            sink.report(diag::Code::KM002, {},
                        fmt::format("cannot read '{}' at git revision '{}'", input, ref));
            continue;
        }
        files.push_back(sources.add(ref + ":" + input, std::move(text)));
    }
    return files;
}

}  // namespace km::source
