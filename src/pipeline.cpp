#include "pipeline.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "check/check_topology.h"
#include "model/derived.h"
#include "parse/topology_parser.h"
#include "source/yaml_loader.h"

namespace km {
namespace {

namespace fs = std::filesystem;

bool read_file(const std::string& path, std::string& text) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return false;
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    text = buffer.str();
    return !in.bad();
}

/// Expands directories into their *.yaml files (sorted, not recursive) and reads every file.
std::vector<std::uint32_t> read_inputs(const std::vector<std::string>& inputs, Session& session) {
    std::vector<std::string> paths;
    for (const std::string& input : inputs) {
        std::error_code ec;
        if (!fs::is_directory(input, ec)) {
            paths.push_back(input);
            continue;
        }
        std::vector<std::string> found;
        for (const auto& entry : fs::directory_iterator(input, ec)) {
            std::string name = entry.path().filename().string();
            if (entry.path().extension() == ".yaml" && name[0] != '.' && !entry.is_directory()) {
                found.push_back((fs::path(input) / name).string());
            }
        }
        if (ec) {
            session.sink.report(diag::Code::KM002, {},
                                fmt::format("cannot read directory '{}': {}", input, ec.message()));
            continue;
        }
        if (found.empty()) {
            auto& d = session.sink.report(
                diag::Code::KM003, {}, fmt::format("directory '{}' holds no *.yaml file", input));
            diag::add_help(d, "a topology directory holds one or more *.yaml files");
        }
        std::sort(found.begin(), found.end());
        paths.insert(paths.end(), found.begin(), found.end());
    }
    std::vector<std::uint32_t> files;
    for (const std::string& path : paths) {
        std::string text;
        if (!read_file(path, text)) {
            std::error_code ec;
            std::string why =
                fs::exists(path, ec) ? "it cannot be read" : "no such file or directory";
            session.sink.report(diag::Code::KM002, {},
                                fmt::format("cannot read '{}': {}", path, why));
            continue;
        }
        files.push_back(session.sources.add(path, std::move(text)));
    }
    return files;
}

}  // namespace

std::optional<FrontEnd> run_front_end(const std::vector<std::string>& inputs, Session& session) {
    std::vector<std::uint32_t> files = read_inputs(inputs, session);
    if (session.sink.has_errors()) {
        return std::nullopt;
    }
    FrontEnd result;
    {
        // The YAML trees are dropped as soon as the typed model exists: on a large topology
        // they are the biggest structure of the whole run.
        std::vector<source::YamlDocument> documents;
        for (std::uint32_t file : files) {
            if (auto doc = source::load_yaml(session.sources, file, session.sink)) {
                documents.push_back(std::move(*doc));
            }
        }
        if (session.sink.has_errors()) {
            return std::nullopt;
        }
        result.topology = parse::parse_topology(documents, session.sink);
    }
    model::add_implicit_declarations(result.topology);
    check::check_topology(result.topology, session.sink);
    // One typo must not cascade into graph errors: stop before building the graph.
    if (session.sink.has_errors()) {
        return std::nullopt;
    }
    result.graph = graph::build_access_graph(result.topology, session.sink);
    if (session.sink.has_errors()) {
        return std::nullopt;
    }
    return result;
}

std::optional<std::vector<emit::Manifest>> compile(const std::vector<std::string>& inputs,
                                                   const CompileOptions& options,
                                                   Session& session) {
    std::optional<FrontEnd> front = run_front_end(inputs, session);
    if (!front) {
        return std::nullopt;
    }
    auto templates = emit::Templates::load(options.templates_dir, session.sources, session.sink);
    if (!templates) {
        return std::nullopt;
    }
    emit::EmitContext context{front->topology, front->graph, *templates};
    return emit::emit_manifests(context, options.groups);
}

}  // namespace km
