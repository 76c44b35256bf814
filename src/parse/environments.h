// `environments`: the clusters one topology is deployed to, each overriding mesh and kafka.
// Emits KM360-KM364.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "diag/diagnostic_sink.h"
#include "model/environment.h"
#include "source/yaml_tree.h"

namespace km::parse {

/// `environments` (topology.md "Environments"), in the file that holds metadata. Every entry is
/// validated, each override exactly like the field it overrides and located where the override
/// is written. With `selected` set, returns that environment's mesh and kafka with its overrides
/// applied and its topic limits; an unknown name is an error (KM360) and returns nothing.
std::optional<model::Environment> parse_environments(
    const std::vector<source::YamlDocument>& documents, std::string_view selected,
    diag::DiagnosticSink& sink);

}  // namespace km::parse
