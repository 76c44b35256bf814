// Import: a topology that grants what a running platform holds, from its live state.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "diag/diagnostic_sink.h"
#include "emit/manifest.h"
#include "live/live_state.h"

namespace km::live {

struct ImportResult {
    /// One document for stdout.
    std::string single;
    /// For `-o DIR`: "platform.yaml" (metadata, mesh, kafka, topics) and "<namespace>.yaml" per
    /// namespace (the namespace, its services and their roles).
    std::vector<std::pair<std::string, std::string>> files;
    /// The tree `single` was written from: import validates it without parsing its own text.
    emit::Value document;
};

/// Reports KM710-KM714 for what the topology cannot express, and notes each in the output as a
/// comment. The result is checked by compiling it: it grants every principal exactly the ACLs
/// imported (KM001 if not, a bug).
std::optional<ImportResult> import_topology(const LiveState& state, diag::DiagnosticSink& sink);

}  // namespace km::live
