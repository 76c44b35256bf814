#include "graph/mesh_reach.h"

#include <algorithm>

#include "model/mesh_names.h"

namespace km::graph {

bool admitted_to_client_port(const Identity& identity) {
    return identity.has_allow() || identity.super_user;
}

std::vector<MeshPort> mesh_reach(const model::Topology& t, const Identity& identity) {
    std::vector<MeshPort> out;
    if (!t.kafka) {
        return out;
    }
    model::MeshNames names = model::mesh_names(t);
    std::string brokers = names.kafka_namespace + "/" + names.broker_service_account;
    if (admitted_to_client_port(identity)) {
        out.push_back({brokers, t.kafka->listener_port, "client port"});
    }
    // An internal ALLOW rule without principals admits every source (Strimzi's own mTLS guards
    // those ports); with principals only the listed workloads.
    bool listed = std::find(names.internal_principals.begin(), names.internal_principals.end(),
                            identity.mesh_principal) != names.internal_principals.end();
    if (names.internal_principals.empty() || listed) {
        for (int port : names.internal_ports) {
            out.push_back(
                {brokers, port, listed ? "internal port" : "internal port, open to every source"});
        }
    }
    std::sort(out.begin(), out.end(),
              [](const MeshPort& a, const MeshPort& b) { return a.key() < b.key(); });
    return out;
}

}  // namespace km::graph
