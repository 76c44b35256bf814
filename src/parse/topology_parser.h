// YAML documents -> typed Topology, enforcing the topology format's schema. Emits KM2xx and
// KM312/KM313.
#pragma once

#include <vector>

#include "diag/diagnostic_sink.h"
#include "model/topology.h"
#include "source/yaml_tree.h"

namespace km::parse {

/// Parses each file's document and merges them as topology.md "Many files" describes: lists are
/// concatenated in file order; metadata, mesh and kafka may come from one file only.
model::Topology parse_topology(const std::vector<source::YamlDocument>& documents,
                               diag::DiagnosticSink& sink);

}  // namespace km::parse
