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
    // Each internal port admits the principals of its rule; peers without a mesh identity (an
    // operator outside the mesh) are no identity of the topology.
    for (const model::InternalRule& rule : names.internal_rules) {
        if (std::find(rule.principals.begin(), rule.principals.end(), identity.mesh_principal) !=
            rule.principals.end()) {
            out.push_back({brokers, rule.port, "internal port"});
        }
    }
    std::sort(out.begin(), out.end(),
              [](const MeshPort& a, const MeshPort& b) { return a.key() < b.key(); });
    return out;
}

}  // namespace km::graph
