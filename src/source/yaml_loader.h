// Reads one YAML file through yaml-cpp's event parser into a YamlDocument. Emits KM1xx.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
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
    /// A file at least this large is parsed in parts on two cores (yaml_split.h).
    std::size_t split_above = 64 * 1024;
};

/// What a parse counted against the limits that hold for a whole file.
struct PartCounts {
    std::size_t bytes = 0;
    std::size_t alias_nodes = 0;
};

/// Parses the text of `file` after scan_input has checked its characters. Returns nothing (and
/// reports) when the file is not one valid YAML document within the limits; duplicate keys are
/// reported but the document is still returned.
std::optional<YamlDocument> load_yaml(const SourceManager& sources, std::uint32_t file,
                                      diag::DiagnosticSink& sink, const LoadLimits& limits = {});
/// The documents of `text`, the part of `file` that starts after its first `first_line` lines,
/// empty ones skipped. Nothing, and no report, on any error or limit: the caller reads the
/// whole file.
std::optional<std::vector<YamlDocument>> parse_part(std::string_view text, std::uint32_t file,
                                                    std::uint32_t first_line,
                                                    const LoadLimits& limits, PartCounts& counts);
/// Every document of a stream ("---"-separated, as `kubectl get -o yaml` may write it); JSON is
/// YAML too. Empty documents are skipped; nothing is returned (and it reports) on any error.
std::optional<std::vector<YamlDocument>> load_yaml_stream(const SourceManager& sources,
                                                          std::uint32_t file,
                                                          diag::DiagnosticSink& sink,
                                                          const LoadLimits& limits = {});

}  // namespace km::source
