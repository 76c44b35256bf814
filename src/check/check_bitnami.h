// What the Bitnami chart target needs beyond the topology checks: names that go into the
// provisioning script and the chart's SASL user list. Runs on the access graph. Emits KM501-KM503.
#pragma once

#include "diag/diagnostic_sink.h"
#include "graph/access_graph.h"
#include "model/topology.h"

namespace km::check {

/// Reports nothing unless the distribution is bitnami.
void check_bitnami(const model::Topology& t, const graph::AccessGraph& g,
                   diag::DiagnosticSink& sink);

}  // namespace km::check
