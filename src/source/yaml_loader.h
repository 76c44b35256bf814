// Reads one YAML file through yaml-cpp's event parser into a YamlDocument. Emits KM1xx.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "diag/diagnostic_sink.h"
#include "source/source_manager.h"
#include "source/yaml_tree.h"

namespace km::source {

struct LoadLimits {
    std::size_t max_depth = 64;  ///< nesting of mappings and sequences, also after alias expansion
    std::size_t max_nodes = 8'000'000;         ///< after alias expansion, all files
    std::size_t max_alias_nodes = 100'000;     ///< nodes made by expanding aliases (billion laughs)
    std::size_t used_nodes = 0;                ///< nodes the files loaded before this one hold
    std::size_t max_scalar_bytes = 16 * 1024;  ///< one string, as written
    std::size_t max_expanded_bytes = 32 * 1024 * 1024;  ///< all strings after alias expansion
};

/// Parses the text of `file` after scan_input has checked its characters. Returns nothing (and
/// reports) when the file is not one valid YAML document within the limits; duplicate keys are
/// reported but the document is still returned.
std::optional<YamlDocument> load_yaml(const SourceManager& sources, std::uint32_t file,
                                      diag::DiagnosticSink& sink, const LoadLimits& limits = {});
/// Every document of a stream ("---"-separated, as `kubectl get -o yaml` may write it); JSON is
/// YAML too. Empty documents are skipped; nothing is returned (and it reports) on any error.
std::optional<std::vector<YamlDocument>> load_yaml_stream(const SourceManager& sources,
                                                          std::uint32_t file,
                                                          diag::DiagnosticSink& sink,
                                                          const LoadLimits& limits = {});

}  // namespace km::source
