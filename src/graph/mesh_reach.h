// Mesh reachability: which ports of which Kafka workloads an identity may open, as the emitted
// AuthorizationPolicies decide it.
#pragma once

#include <string>
#include <tuple>
#include <vector>

#include "graph/access_graph.h"
#include "model/topology.h"

namespace km::graph {

struct MeshPort {
    std::string workload;  ///< "<namespace>/<service account of the pods>"
    int port = 0;
    std::string why;  ///< "client port", "internal port (open)", ...

    auto key() const { return std::tie(workload, port); }
};

/// The ports `identity` reaches, sorted by (workload, port).
std::vector<MeshPort> mesh_reach(const model::Topology& topology, const Identity& identity);

/// True when the client ALLOW admits the identity: it holds an allow grant or is a super user.
bool admitted_to_client_port(const Identity& identity);

}  // namespace km::graph
