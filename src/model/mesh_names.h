// Names, labels and ports of the Kafka workloads per distribution, as outputs.md tabulates them.
// The Istio emitter and the review commands (mesh reachability) both read them here.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "model/topology.h"

namespace km::model {

struct MeshNames {
    std::string kafka_namespace;
    std::map<std::string, std::string> broker_labels;  ///< selects the broker pods
    std::string broker_service_account;
    std::string bootstrap_service;
    std::string headless_service;
    std::vector<int> internal_ports;  ///< inter-broker, controller (and Strimzi's agent)
    std::vector<std::string>
        internal_principals;          ///< empty: the ports are open (Strimzi's own mTLS)
    std::vector<int> operator_ports;  ///< port-level PERMISSIVE for an operator outside the mesh
    std::vector<std::string>
        extra_client_principals;  ///< admitted to the client port besides the identities
};

MeshNames mesh_names(const Topology& t);

/// The Bitnami chart's fullname: the release name when it contains "kafka", else "<release>-kafka".
std::string bitnami_fullname(const std::string& release);

}  // namespace km::model
