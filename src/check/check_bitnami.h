// What the Bitnami chart target needs beyond the topology checks: the chart's own user names,
// its authentication, and strings the chart would run as templates. Runs on the access graph.
// Emits KM502, KM503 and KM506.
#pragma once

#include "diag/diagnostic_sink.h"
#include "graph/access_graph.h"
#include "model/topology.h"

namespace km::check {

/// Reports nothing unless the distribution is bitnami.
void check_bitnami(const model::Topology& t, const graph::AccessGraph& g,
                   diag::DiagnosticSink& sink);

}  // namespace km::check
