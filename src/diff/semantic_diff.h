// The semantic diff of two compiled topologies: access graphs compared per identity through
// Kafka's authorizer rules, mesh reachability, topics, settings and the manifests they produce.
#pragma once

#include <string>
#include <vector>

#include "diff/diff_report.h"
#include "graph/access_graph.h"
#include "model/topology.h"
#include "source/source_manager.h"

namespace km::diff {

/// A generated document, identified by kind, namespace and name, with its serialised text.
struct DocumentDigest {
    std::string kind;
    std::string ns;
    std::string name;
    std::string text;
};

/// One side of the diff; `sources` resolves the positions of `topology` and `graph`.
struct DiffSide {
    std::string label;
    const model::Topology& topology;
    const graph::AccessGraph& graph;
    const source::SourceManager& sources;
    std::vector<DocumentDigest> documents;
};

DiffReport diff_topologies(const DiffSide& base, const DiffSide& head);

}  // namespace km::diff
