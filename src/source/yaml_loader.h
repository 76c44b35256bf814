// Reads one YAML file through yaml-cpp's event parser into a YamlDocument. Emits KM1xx.
#pragma once

#include <cstddef>
#include <optional>

#include "diag/diagnostic_sink.h"
#include "source/source_manager.h"
#include "source/yaml_tree.h"

namespace km::source {

struct LoadLimits {
    std::size_t max_depth = 64;         ///< nesting of mappings and sequences
    std::size_t max_nodes = 4'000'000;  ///< after alias expansion (billion laughs)
};

/// Parses the text of `file`. Returns nothing (and reports) when the file is not one valid
/// YAML document; duplicate keys are reported but the document is still returned.
std::optional<YamlDocument> load_yaml(const SourceManager& sources, std::uint32_t file,
                                      diag::DiagnosticSink& sink, const LoadLimits& limits = {});

}  // namespace km::source
