// Reads Kubernetes documents of a running platform (`kubectl get ... -o yaml|json`): Kafka,
// KafkaNodePool, KafkaUser, KafkaTopic, KafkaAccess, Namespace, PeerAuthentication and
// AuthorizationPolicy. Emits KM701-KM703 and KM705.
#pragma once

#include "diag/diagnostic_sink.h"
#include "live/live_state.h"
#include "source/yaml_tree.h"

namespace km::live {

/// Reads one document: an object, or a List of them, into `state`.
void read_kubernetes_document(const source::YamlDocument& doc, LiveState& state,
                              diag::DiagnosticSink& sink);

}  // namespace km::live
