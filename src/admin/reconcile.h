// The change that converges a cluster on the topology: from what the cluster holds (already cut
// down to the ownership) and what the topology wants, the steps apply runs, in its order.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "admin/cluster_state.h"

namespace km::admin {

struct TopicCreation {
    std::string name;
    int partitions = -1;  ///< -1: the broker's num.partitions
    int replicas = -1;    ///< -1: the broker's default.replication.factor
    std::map<std::string, std::string> config;
};

struct PartitionIncrease {
    std::string name;
    int from = 0;
    int to = 0;
};

/// A non-incremental AlterConfigs of one topic (librdkafka 2.0.2 has no
/// IncrementalAlterConfigs): `send` is the topic's whole dynamic config afterwards, the declared
/// values merged over the ones it holds.
struct ConfigUpdate {
    std::string name;
    std::map<std::string, std::string> send;
    /// key -> (held, declared); held is "" when the topic does not set the key itself.
    std::map<std::string, std::pair<std::string, std::string>> changed;
};

/// A difference apply never makes.
struct Unapplied {
    enum class Kind : std::uint8_t { partitions_decrease, replicas_differ, hidden_config };
    Kind kind = Kind::partitions_decrease;
    std::string topic;
    std::string held;
    std::string declared;
};

struct PlanOptions {
    bool delete_topics = false;  ///< --delete-topics
    /// librdkafka can name the transactional-id resource type (2.6.0 and later); without it such
    /// ACLs can be neither read nor written.
    bool transactional_ids = true;
};

/// Every list is sorted; an empty plan changes nothing.
struct Plan {
    std::vector<AclBinding> create_acls;
    std::vector<TopicCreation> create_topics;
    std::vector<PartitionIncrease> add_partitions;
    std::vector<ConfigUpdate> set_configs;
    std::vector<AclBinding> delete_acls;
    std::vector<std::string> delete_topics;
    std::vector<Unapplied> unapplied;
    /// Wanted ACLs this librdkafka cannot write (transactional ids before 2.6.0): not compared.
    std::vector<AclBinding> unapplied_acls;
    /// Topics --delete-topics would delete, when it was not given.
    std::vector<std::string> deletable_topics;

    bool changes() const;
};

Plan compute_plan(const DesiredState& want, const ClusterState& have, const PlanOptions& options);

/// Whether a value Kafka reports equals the declared one: the same text, or the same number
/// (Kafka writes 0.50 back as 0.5).
bool same_config_value(const std::string& held, const std::string& declared);

}  // namespace km::admin
