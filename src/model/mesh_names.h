// Names, labels and ports of the Kafka workloads per distribution, as outputs.md tabulates them.
// The Istio emitter and the review commands (mesh reachability) both read them here.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "model/topology.h"

namespace km::model {

/// One rule of the internal ALLOW policy: these ports, from these principals.
struct InternalRule {
    int port;
    std::vector<std::string> principals;
};

/// The REST API port of a Strimzi KafkaConnect (KafkaConnectCluster.REST_API_PORT).
inline constexpr int k_connect_rest_port = 8083;

struct MeshNames {
    std::string kafka_namespace;
    std::map<std::string, std::string> broker_labels;  ///< selects the broker pods
    std::string broker_service_account;
    std::string bootstrap_service;
    std::string headless_service;
    std::vector<int> internal_ports;  ///< inter-broker, controller (and Strimzi's agent)
    /// One rule per internal port, each from the principals that need it; a port no mesh
    /// identity needs has no rule.
    std::vector<InternalRule> internal_rules;
    /// The ports of an operator outside the mesh: port-level PERMISSIVE, and admitted only from
    /// peers without a mesh identity (`notPrincipals: ["*"]`).
    std::vector<int> operator_ports;
    std::string cluster_operator_principal;  ///< Strimzi's Cluster Operator
    std::vector<std::string>
        extra_client_principals;  ///< admitted to the client port besides the identities
};

MeshNames mesh_names(const Topology& t);

/// The Bitnami chart's fullname: the release name when it contains "kafka", else "<release>-kafka".
std::string bitnami_fullname(const std::string& release);

}  // namespace km::model
