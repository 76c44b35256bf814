// The pod labels and annotations that put a Kafka workload under the mesh correctly, shared by
// every distribution's pod templates (Strimzi node pools, Bitnami chart values).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "model/topology.h"

namespace km::emit {

/// What a pod does, which decides the proxy settings it needs.
enum class PodRole : std::uint8_t {
    broker,  ///< Kafka nodes: long-lived inbound connections, the Kafka filters
    helper,  ///< long-running clients beside the brokers (Strimzi's entity operator)
    job,     ///< run-to-completion pods (Bitnami's provisioning Job)
};

/// Sidecar dataplane: the injection label (never the deprecated annotation), with
/// `istio.io/rev: <mesh.revision>` when a revision is set; brokers also get
/// one `kafkamesh.io/<filter>: "true"` label per `mesh.filters` feature that is on, which the
/// EnvoyFilter, WasmPlugin and Telemetry select on (mesh_filter_labels). Ambient: none.
std::map<std::string, std::string> mesh_pod_labels(const model::Topology& t,
                                                   PodRole role = PodRole::broker);

/// The broker pod labels of the `mesh.filters` features that are on: feature name to label key.
/// A filter object selects the brokers and its feature's label, so a copy left in the cluster
/// after the feature is turned off (and the brokers rolled without the label) selects nothing.
std::map<std::string, std::string> mesh_filter_labels(const model::Topology& t);

inline constexpr const char* k_kafka_metrics_label = "kafkamesh.io/kafka-metrics";
inline constexpr const char* k_mesh_identity_label = "kafkamesh.io/mesh-identity";
inline constexpr const char* k_access_logs_label = "kafkamesh.io/access-logs";
/// Sidecar dataplane: `proxy.istio.io/config` holding the application until the proxy is ready
/// (brokers also get the inbound idle timeout and, with kafkaMetrics, the contrib proxy image and
/// its stats), and native sidecars where the target Istio has them. Ambient: none.
std::map<std::string, std::string> mesh_pod_annotations(const model::Topology& t,
                                                        PodRole role = PodRole::broker);

}  // namespace km::emit
