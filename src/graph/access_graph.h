// The access graph: for every identity, its principals and the Kafka ACL entries it holds, each
// entry with the topology places it came from (for explain and review).
#pragma once

#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "diag/diagnostic_sink.h"
#include "model/acl.h"
#include "model/topology.h"

namespace km::graph {

/// Which recipe row of acl-recipes.md produced an entry.
enum class Rule : std::uint8_t {
    produces,
    consumes,
    consume_group,
    transactional_id,
    streams_internal_topics,
    streams_group,
    streams_exactly_once,
    connect_worker_group,
    connect_storage_topic,
    connector_produces,
    connector_consumes,
    connector_group,
    role_grant,
};
std::string_view rule_name(Rule rule);

struct Provenance {
    Rule rule;
    diag::Location location;
    std::string via;  ///< the service, or the role for role grants
};

struct AclEntry {
    // The one-byte fields together: a large topology holds an entry per grant.
    model::ResourceType type = model::ResourceType::topic;
    model::PatternType pattern = model::PatternType::literal;
    model::Effect effect = model::Effect::allow;
    model::Operation operation = model::Operation::Read;
    std::string name;  ///< "kafka-cluster" for the cluster
    std::vector<Provenance> sources;

    auto key() const { return std::tie(type, pattern, name, effect, operation); }
};

struct Identity {
    std::string key;  ///< "<namespace>/<serviceAccount>"
    std::string ns;
    std::string service_account;
    std::string user;            ///< KafkaUser name
    std::string principal_name;  ///< what Kafka sees, without "User:"
    std::string mesh_principal;  ///< "<trustDomain>/ns/<ns>/sa/<sa>"
    bool super_user = false;
    /// The KafkaUser's authentication: the service's own, else the cluster's.
    model::Authentication authentication = model::Authentication::scram_sha_512;
    std::string password_secret;  ///< an existing Secret holding the password, "" for none
    std::string password_key;
    std::vector<std::string> services;  ///< service names, sorted
    /// Its `kind: connect` services that Strimzi runs as KafkaConnect resources (their workers
    /// use Strimzi's service account <name>-connect), sorted.
    std::vector<std::string> strimzi_connects;
    std::vector<AclEntry> acls;         ///< deduplicated, sorted by key()
    util::Boxed<model::Quotas> quotas;  ///< boxed: most identities have none

    bool has_allow() const;
};

/// The ACL bindings the cluster holds for the identity's principal ("User:" +
/// principal_name), each with host "*": its entries, none for a super user, which bypasses ACLs.
/// The KafkaUsers of both distributions carry these, and `apply` places them.
const std::vector<AclEntry>& kafka_acls(const Identity& id);

struct AccessGraph {
    std::vector<Identity> identities;  ///< sorted by key
};

/// Whether the graph keeps each entry's sources. Only the review commands (explain, access,
/// who-can, graph, diff, plan) quote where an entry came from once the graph is built; for the
/// others an entry's sources cost more memory than the entry (an allocation each), so they are
/// freed as soon as the check that quotes them while the graph is built (KM316) has run.
enum class Sources : std::uint8_t { kept, dropped };

/// Expands every service by its kind's recipe plus its roles. Reports KM316.
AccessGraph build_access_graph(const model::Topology& topology, diag::DiagnosticSink& sink,
                               Sources sources = Sources::kept);

/// One line per entry, "ns/sa  type pattern name effect Operation", for tests and debugging.
std::string dump(const AccessGraph& graph);

}  // namespace km::graph
