// A plan in the shape of diff's report, so that diff's renderers print it (text, markdown, json)
// with diff's risk flags: the cluster is the base, the topology the head.
#pragma once

#include <string>

#include "admin/reconcile.h"
#include "diff/diff_report.h"
#include "graph/access_graph.h"
#include "model/topology.h"
#include "source/source_manager.h"

namespace km::admin {

/// What the report is made from: the plan and the topology it converges on.
struct PlanInputs {
    const Plan& plan;
    const DesiredState& want;
    const model::Topology& topology;
    const graph::AccessGraph& graph;
    const source::SourceManager& sources;
    std::string cluster;         ///< how the cluster is named: "cluster <bootstrap servers>"
    std::string topology_label;  ///< the topology paths
};

diff::DiffReport plan_report(const PlanInputs& in);

}  // namespace km::admin
