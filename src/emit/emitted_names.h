// The last line of defence before output: every name in the emitted documents is checked
// against the rules of its destination, and every ALLOW policy against failing open.
#pragma once

#include <string>

#include "diag/diagnostic_sink.h"
#include "emit/manifest.h"
#include "model/topology.h"

namespace km::emit {

/// Reports KM530 for each name that breaks its destination's rules (Kubernetes object names,
/// labels and annotation keys, mesh principals, hosts, Kafka ACL resource names) and for an
/// ALLOW AuthorizationPolicy that could admit a principal the topology did not name. The checks
/// before emission should make this unreachable: a finding here is a bug in kafkamesh.
/// Runs on each document's tree as it is added (emit::add_document), before it is serialised.
struct DocumentHead {
    std::string kind;
    std::string ns;
    std::string name;
};
void check_emitted_document(const DocumentHead& head, const Value& document,
                            const model::Topology& topology, diag::DiagnosticSink& sink);

}  // namespace km::emit
