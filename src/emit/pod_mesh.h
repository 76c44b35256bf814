// The pod labels and annotations that put a Kafka workload under the mesh correctly, shared by
// every distribution's pod templates (Strimzi node pools, Bitnami chart values).
#pragma once

#include <map>
#include <string>

#include "model/topology.h"

namespace km::emit {

/// Sidecar dataplane: the injection label (never the deprecated annotation). Ambient: none.
std::map<std::string, std::string> mesh_pod_labels(const model::Topology& t);
/// Sidecar dataplane: `proxy.istio.io/config` holding the application until the proxy is ready.
std::map<std::string, std::string> mesh_pod_annotations(const model::Topology& t);

}  // namespace km::emit
