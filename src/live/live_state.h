// What a running platform holds, read from files an operator exported (kubectl get -o yaml|json,
// kafka-acls.sh --list, kafka-configs.sh --describe): the input of `import` and `drift`.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "diag/diagnostic.h"
#include "model/acl.h"

namespace km::live {

/// One ACL binding as Kafka holds it; host is kept because a topology cannot express another
/// host than "*".
struct LiveAcl {
    model::ResourceType type = model::ResourceType::topic;
    model::PatternType pattern = model::PatternType::literal;
    std::string name;  ///< "kafka-cluster" for the cluster
    model::Effect effect = model::Effect::allow;
    model::Operation operation = model::Operation::Read;
    std::string host = "*";
    diag::Location location;

    auto key() const { return std::tie(type, pattern, name, effect, operation, host); }
    bool operator<(const LiveAcl& o) const { return key() < o.key(); }
    bool operator==(const LiveAcl& o) const { return key() == o.key(); }
};

/// A user quota, each value kept as text so that 1048576 and 1048576.0 compare equal.
struct LiveQuotas {
    std::map<std::string, std::string> values;  ///< Kafka's key (producer_byte_rate) -> number
    diag::Location location;
};

/// A Kafka principal ("User:shop-checkout") and what the cluster grants it.
struct LivePrincipal {
    std::string principal;
    std::string user;  ///< the KafkaUser's name, empty when only ACL text names the principal
    std::string authentication;  ///< the KafkaUser's spec.authentication.type
    bool from_kafka_user = false;
    /// spec.authentication.password.valueFrom.secretKeyRef, empty when the password is generated
    std::string password_secret;
    std::string password_key;
    std::vector<LiveAcl> acls;  ///< sorted, deduplicated
    std::optional<LiveQuotas> quotas;
    diag::Location location;  ///< the KafkaUser, or the first ACL line naming it
};

/// An L4 fact of an AuthorizationPolicy that kafkamesh cannot express or import.
struct PolicyFinding {
    std::string what;  ///< e.g. "an HTTP field 'methods'"
    diag::Location location;
};

struct LivePolicy {
    std::string ns;
    std::string name;
    std::string action = "ALLOW";
    std::map<std::string, std::string> selector;
    std::set<std::string> ports;       ///< every to.operation.ports of every rule
    std::set<std::string> principals;  ///< every from.source.principals of every rule
    std::vector<PolicyFinding> unsupported;
    bool empty_spec = false;     ///< `spec: {}`, allow-nothing
    std::string topology_label;  ///< metadata.labels kafkamesh.io/topology, "" if hand-written
    diag::Location location;
};

struct LivePeerAuthentication {
    std::string ns;
    std::string name;
    std::string mode;  ///< mtls.mode, "" when unset (inherits)
    bool has_selector = false;
    std::map<std::string, std::string> port_modes;
    diag::Location location;
};

struct LiveTopic {
    std::string name;           ///< spec.topicName, else metadata.name
    std::string resource_name;  ///< metadata.name
    std::optional<long long> partitions;
    std::optional<long long> replicas;
    std::map<std::string, std::string> config;
    diag::Location location;
};

struct LiveKafka {
    std::string name;
    std::string ns;
    std::string version;
    std::string authentication;  ///< the client listener's authentication type, "" for none
    std::string listener_name;   ///< the client listener's name
    long long listener_port = 9092;
    std::vector<std::string> super_users;
    /// spec.entityOperator.userOperator.secretPrefix: the user Secrets are <prefix><user>
    std::string user_secret_prefix;
    std::map<std::string, std::string> config;
    std::optional<long long> nodes;  ///< from the KafkaNodePools
    diag::Location location;
};

struct LiveNamespace {
    std::string name;
    std::map<std::string, std::string> labels;
    diag::Location location;
};

/// Which kinds of object the input held at least one of: drift compares only those.
enum class Part : std::uint8_t { users, acls, policies, peer_authentications, topics, kafka };

struct LiveState {
    std::optional<LiveKafka> kafka;
    std::map<std::string, LiveNamespace> namespaces;
    std::map<std::string, LivePrincipal> principals;  ///< by principal
    std::vector<LivePolicy> policies;
    std::vector<LivePeerAuthentication> peer_authentications;
    std::map<std::string, LiveTopic> topics;
    std::set<Part> parts;
    std::vector<std::string> skipped_kinds;  ///< kinds read but not used, for the notes
    /// KafkaUser name -> namespaces of the KafkaAccess documents that name it (spec.user.name):
    /// the Access Operator writes the user's credentials into the KafkaAccess's namespace, so
    /// that is where the user's clients run.
    std::map<std::string, std::set<std::string>> access_namespaces;
    /// (namespace, strimzi.io/cluster label) of the KafkaUsers and KafkaTopics: the cluster they
    /// belong to when the input holds no Kafka resource.
    std::set<std::pair<std::string, std::string>> cluster_labels;

    LivePrincipal& principal(const std::string& name);
};

/// The principal Strimzi gives a KafkaUser: "CN=<name>" for tls, else its name (Strimzi's
/// user operator, KafkaUserModel#getUserName / getTlsUserName).
std::string kafka_user_principal(const std::string& user, const std::string& authentication);

}  // namespace km::live
