// Review-time checks over the access graph: findings a reviewer wants flagged although the
// topology is valid (KM451-KM456). They run in the review commands, not in validate or compile.
#pragma once

#include <cstddef>

#include "diag/diagnostic_sink.h"
#include "graph/access_graph.h"
#include "model/topology.h"

namespace km::review {

struct ReviewOptions {
    std::size_t max_writers = 5;  ///< KM454 fires above this many writers of one topic
};

void review_topology(const model::Topology& topology, const graph::AccessGraph& graph,
                     const ReviewOptions& options, diag::DiagnosticSink& sink);

/// True when the deny entry's pattern matches every resource the allow entry's pattern matches.
bool pattern_covers(const graph::AclEntry& deny, const graph::AclEntry& allow);

}  // namespace km::review
