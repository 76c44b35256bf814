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

/// Sidecar dataplane: the injection label (never the deprecated annotation). Ambient: none.
std::map<std::string, std::string> mesh_pod_labels(const model::Topology& t);
/// Sidecar dataplane: `proxy.istio.io/config` holding the application until the proxy is ready
/// (brokers also get the inbound idle timeout and, with kafkaMetrics, the contrib proxy image and
/// its stats), and native sidecars where the target Istio has them. Ambient: none.
std::map<std::string, std::string> mesh_pod_annotations(const model::Topology& t,
                                                        PodRole role = PodRole::broker);

}  // namespace km::emit
