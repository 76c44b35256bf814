// Drift: what the cluster holds against what the topology emits, both read as LiveState.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "graph/access_graph.h"
#include "live/live_state.h"
#include "model/topology.h"

namespace km::live {

enum class Change : std::uint8_t { extra, missing, differs };

struct DriftItem {
    std::string category;  ///< acl, principal, quota, client-policy, peer-authentication, topic,
                           ///< super-user
    std::string subject;   ///< the principal or object the item is about
    Change change = Change::differs;
    std::string detail;
    bool risk = false;
    std::optional<LiveAcl> acl;  ///< for acl items
};

struct DriftReport {
    std::vector<DriftItem> items;
    std::vector<std::string> not_compared;  ///< parts the live input held nothing of
    /// Differences the topology acknowledges (KM710 on a service: host-restricted ACLs it
    /// cannot express), listed but not counted.
    std::vector<std::string> acknowledged;
    bool in_sync() const { return items.empty(); }
    std::size_t risks() const;
};

/// What the topology says about the cluster, in the same form as what was read from it: the
/// documents it compiles to (KafkaUsers on both distributions), read back by the live readers.
struct Expected {
    LiveState state;
    std::string kafka_ns;
    std::string listener_port;
    std::set<std::string> external_topics;  ///< declared, never emitted
    /// Principals whose service acknowledges KM710: their host-restricted ACLs are known gaps.
    std::set<std::string> host_acls_acknowledged;
};
Expected expected_state(const model::Topology& topology, LiveState emitted);

/// The client policies' principals: those of every ALLOW AuthorizationPolicy in the Kafka
/// namespace that selects pods and admits the listener port, whatever its name (one
/// `<cluster>-clients` policy, or one per client namespace).
std::set<std::string> client_policy_principals(const LiveState& state, const std::string& kafka_ns,
                                               const std::string& listener_port);

DriftReport compare(const Expected& expected, const LiveState& live);

std::string render_text(const DriftReport& report);
std::string render_markdown(const DriftReport& report);
std::string render_json(const DriftReport& report);

std::string acl_text(const LiveAcl& acl);  ///< "topic prefix orders- Read allow"

}  // namespace km::live
