// What `plan` and `apply` read from a running cluster, already cut down to what the topology owns,
// and what they want it to hold. Nothing here knows librdkafka.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "diag/diagnostic.h"
#include "live/live_state.h"

namespace km::admin {

/// One ACL binding of one principal: Kafka's AclBinding.
struct AclBinding {
    std::string principal;  ///< "User:shop-checkout"
    live::LiveAcl acl;      ///< its location is unused

    auto key() const { return std::tuple_cat(std::tie(principal), acl.key()); }
    bool operator<(const AclBinding& o) const { return key() < o.key(); }
    bool operator==(const AclBinding& o) const { return key() == o.key(); }
};

/// A topic as the cluster holds it.
struct TopicState {
    int partitions = 0;
    int replicas = 0;  ///< of its first partition
    /// The topic's own settings (source DYNAMIC_TOPIC_CONFIG): what a non-incremental
    /// AlterConfigs must send back so that it keeps them.
    std::map<std::string, std::string> dynamic_config;
    /// Dynamic settings the cluster hides (sensitive): they cannot be sent back.
    std::set<std::string> hidden_config;
};

/// What was read, cut down to the ownership: the ACLs of owned principals and the owned topics.
struct ClusterState {
    std::vector<AclBinding> acls;  ///< sorted
    std::map<std::string, TopicState> topics;
    std::size_t foreign_acls = 0;        ///< ACLs of principals outside the ownership, not kept
    std::size_t foreign_principals = 0;  ///< how many principals hold them
    /// ACLs of owned principals on resource types, patterns or operations this librdkafka
    /// cannot name (2.0.2 reads a transactional id's type as unknown): left alone.
    std::size_t unreadable_acls = 0;
};

/// A topic the topology declares (not external), as it wants the cluster to hold it.
struct DesiredTopic {
    std::optional<int> partitions;  ///< absent: the broker's default on creation
    std::optional<int> replicas;
    std::map<std::string, std::string> config;
    diag::Location location;
};

/// A principal the topology declares: one identity.
struct DesiredPrincipal {
    std::string identity;  ///< "<namespace>/<serviceAccount>"
    std::string user;      ///< the Kafka user name
    bool super_user = false;
    std::vector<live::LiveAcl> acls;  ///< sorted, host "*"
    /// Where each binding comes from, for the report: index into acls -> the graph's entry.
    std::vector<std::size_t> entries;
    std::size_t graph_index = 0;  ///< the identity in the access graph
};

/// A name or a prefix (`name*` written without the star).
struct NamePattern {
    std::string name;
    bool prefix = false;
    bool matches(const std::string& candidate) const {
        return prefix ? candidate.compare(0, name.size(), name) == 0 : candidate == name;
    }
};

/// What the topology owns on the cluster.
struct Ownership {
    std::set<std::string> declared_principals;
    std::vector<NamePattern> principals;    ///< kafka.ownership.principals
    std::set<std::string> declared_topics;  ///< declared topics, external ones included
    std::set<std::string> external_topics;  ///< declared `external: true`: never changed
    std::vector<NamePattern> topics;        ///< kafka.ownership.topics
    /// Internal-topic prefixes of declared Kafka Streams applications: never deleted.
    std::vector<std::string> streams_prefixes;

    bool owns_principal(const std::string& principal) const;
    /// Declared and not external, or inside kafka.ownership.topics.
    bool owns_topic(const std::string& topic) const;
    /// Inside kafka.ownership.topics, not declared, not internal to Kafka or to a Streams app.
    bool may_delete_topic(const std::string& topic) const;
};

struct DesiredState {
    std::map<std::string, DesiredPrincipal> principals;  ///< by principal
    std::map<std::string, DesiredTopic> topics;          ///< declared, not external
    Ownership ownership;
    /// Principals whose identities declare quotas: librdkafka 2.0.2 has no client-quota API.
    std::vector<std::string> quota_principals;
};

}  // namespace km::admin
