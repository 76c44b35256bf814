// Names the topology implies rather than states: identities, users, principals, references.
// Checks, the graph builder and the emitters all derive them here, so they always agree.
#pragma once

#include <string>
#include <string_view>

#include "model/topology.h"

namespace km::model {

/// How a topic, group or transactional-id reference is written: `name`, `name*` or `*`.
struct Reference {
    enum class Kind : std::uint8_t { literal, prefix, wildcard, invalid };
    Kind kind = Kind::literal;
    std::string name;  ///< the literal name, the prefix without '*', or "*"
};
Reference parse_reference(std::string_view text);

/// "<namespace>/<serviceAccount>": services with the same key are one identity.
std::string identity_key(const Service& s);
/// The Kafka user (KafkaUser name): `user`, else "<namespace>-<serviceAccount>".
std::string user_name(const Service& s);
/// The principal name Kafka sees, without "User:" (Strimzi's superUsers form).
std::string kafka_principal_name(Authentication authentication, const Service& s);
/// "<trustDomain>/ns/<ns>/sa/<sa>", Istio's form without "spiffe://".
std::string mesh_principal(std::string_view trust_domain, std::string_view ns,
                           std::string_view service_account);

std::string streams_application_id(const Service& s);
std::string connect_group_id(const Service& s);

struct StorageTopics {
    std::string configs;
    std::string offsets;
    std::string status;
};
StorageTopics connect_storage_topics(const Service& s);

/// Replication defaults from the node count: 3 nodes -> RF 3 and min ISR 2.
int default_replication_factor(int nodes);
int default_min_insync_replicas(int nodes);

/// Adds what the topology declares implicitly: the Kafka namespace and Connect storage topics.
void add_implicit_declarations(Topology& t);

}  // namespace km::model
