// Semantic checks over the typed model. Emits KM3xx. Never throws for user errors.
#pragma once

#include "diag/diagnostic_sink.h"
#include "model/topology.h"

namespace km::check {

/// Runs every check and reports all findings; the model is not changed.
void check_topology(const model::Topology& topology, diag::DiagnosticSink& sink);

}  // namespace km::check
