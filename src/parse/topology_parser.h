// YAML documents -> typed Topology, enforcing the topology format's schema. Emits KM2xx and
// KM312/KM313.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diag/diagnostic_sink.h"
#include "model/environment.h"
#include "model/topology.h"
#include "source/yaml_tree.h"

namespace km::parse {

/// Parses each file's document and merges them as topology.md "Many files" describes: lists are
/// concatenated in file order; metadata, mesh and kafka may come from one file only.
model::Topology parse_topology(const std::vector<source::YamlDocument>& documents,
                               diag::DiagnosticSink& sink);

/// `environments` (topology.md "Environments"), in the file that holds metadata. Every entry is
/// validated, each override exactly like the field it overrides and located where the override
/// is written. With `selected` set, returns that environment's mesh and kafka with its overrides
/// applied and its topic limits; an unknown name is an error (KM360) and returns nothing.
std::optional<model::Environment> parse_environments(
    const std::vector<source::YamlDocument>& documents, std::string_view selected,
    diag::DiagnosticSink& sink);

/// The fields each object of the format accepts, keyed by a JSON-pointer-like path
/// ("", "/mesh", "/services/*", ...). The JSON Schema in schema/ must agree with it (tested).
struct ObjectFields {
    std::string path;
    std::vector<std::string> fields;
};
const std::vector<ObjectFields>& object_fields();

}  // namespace km::parse
