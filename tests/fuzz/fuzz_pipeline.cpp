// libFuzzer target over the whole compile: load, check, build the access graph, emit, write.
// Besides crashes, hangs and leaks it aborts when an output breaks the compiler's promises, or
// a file parsed in parts is not the one parse gives.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diag/render.h"
#include "emit/manifest_writer.h"
#include "pipeline.h"
#include "source/input_scan.h"
#include "source/yaml_split.h"

namespace {

void require(bool condition, const char* what) {
    if (!condition) {
        std::fprintf(stderr, "broken promise: %s\n", what);
        std::abort();
    }
}

/// The emitted stream parses back into exactly the documents emitted, each with its kind and
/// name: no input string may add a document or a field.
void check_stream(const std::vector<km::emit::Manifest>& manifests, const std::string& text) {
    std::vector<YAML::Node> documents = YAML::LoadAll(text);
    require(documents.size() == manifests.size(), "document count");
    for (std::size_t i = 0; i < manifests.size(); ++i) {
        require(documents[i]["kind"].as<std::string>() == manifests[i].kind, "kind");
        require(documents[i]["metadata"]["name"].as<std::string>() == manifests[i].name, "name");
    }
}

/// Whether two lists of documents hold the same trees.
bool same_documents(const std::vector<km::source::YamlDocument>& a,
                    const std::vector<km::source::YamlDocument>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), km::source::same_document);
}

/// Each cut of a file parsed in parts, in a list or (as a stream) at a document marker, is
/// refused or gives what one parse gives. The loader cuts only text whose characters passed the
/// scan, as here.
void check_cuts(const km::source::SourceManager& sources, std::uint32_t file) {
    km::source::LoadLimits whole_file;
    whole_file.split_above = SIZE_MAX;
    km::diag::DiagnosticSink sink;
    if (!km::source::scan_input(sources, file, sink)) {
        return;
    }
    const std::string& text = sources.file(file).text;
    std::optional<km::source::YamlDocument> whole =
        km::source::load_yaml(sources, file, sink, whole_file);
    std::vector<km::source::Cut> cuts = km::source::find_cuts(text);
    for (std::size_t i = 0; i < cuts.size() && i < 16; ++i) {
        if (auto parts = km::source::load_cut(sources, file, cuts[i], whole_file)) {
            require(whole && km::source::same_document(*parts, *whole), "parts as one parse");
        }
    }
    auto stream = km::source::load_yaml_stream(sources, file, sink, whole_file);
    cuts = km::source::find_document_cuts(text);
    for (std::size_t i = 0; i < cuts.size() && i < 16; ++i) {
        if (auto parts = km::source::load_document_cut(sources, file, cuts[i], whole_file)) {
            require(stream && same_documents(*parts, *stream), "halves as one stream");
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // A line "#%file" splits the input into several topology files (merging is in scope too).
    std::string_view input(reinterpret_cast<const char*>(data), size);
    km::Session session;
    std::vector<std::uint32_t> files;
    constexpr std::string_view separator = "\n#%file\n";
    while (true) {
        std::size_t at = input.find(separator);
        files.push_back(session.sources.add("fuzz" + std::to_string(files.size()) + ".yaml",
                                            std::string(input.substr(0, at))));
        if (at == std::string_view::npos || files.size() == 8) {
            break;
        }
        input.remove_prefix(at + separator.size());
    }
    check_cuts(session.sources, files.front());
    auto output = km::compile_output_on(files, km::CompileOptions{}, session);
    std::vector<km::diag::Diagnostic> sorted = session.sink.sorted();
    km::diag::render_text(sorted, session.sources, km::diag::RenderOptions{});
    km::diag::render_json(sorted, session.sources);
    if (!output) {
        require(session.sink.has_errors(), "no output without an error");
        return 0;
    }
    require(!session.sink.has_errors(), "output despite an error");
    check_stream(output->manifests, km::emit::write_stream(output->manifests));
    return 0;
}
