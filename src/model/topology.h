// The typed topology: what the user declared, every value with the source position it came from.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "diag/diagnostic.h"
#include "util/boxed.h"

namespace km::model {

using diag::Location;

/// A string value and where it was written.
struct Text {
    std::string value;
    Location location;
    /// Reported by the parser as malformed: checks built on the value skip it, so one mistake
    /// gives one error.
    bool invalid = false;

    bool empty() const { return value.empty(); }
    /// Written, or defaulted, and well-formed: safe to derive names and further checks from.
    bool usable() const { return !invalid && !value.empty(); }
};

/// A scalar in a free-form config map, kept with its YAML type so it is emitted as written.
struct ConfigValue {
    enum class Type : std::uint8_t { string, integer, floating, boolean };
    Type type = Type::string;
    std::string text;
    Location location;
};

struct ConfigEntry {
    Text key;
    ConfigValue value;
};

enum class MtlsMode : std::uint8_t { strict, permissive };
enum class Dataplane : std::uint8_t { sidecar, ambient };
enum class Distribution : std::uint8_t { strimzi, bitnami };
enum class Authentication : std::uint8_t { scram_sha_512, tls, mesh };
enum class ServiceKind : std::uint8_t { app, streams, connect };
enum class Effect : std::uint8_t { allow, deny };
enum class StrimziApi : std::uint8_t { v1, v1beta2 };
enum class Enforcement : std::uint8_t { enforce, dry_run };

struct Metadata {
    Text name;
    Location location;
};

struct Filters {
    std::optional<Text> kafka_metrics_proxy_image;
    std::optional<Text> identity_image;
    bool access_logs = false;
    Location access_logs_location;
    Location kafka_metrics_location;
    Location identity_location;
    Location location;
};

struct Mesh {
    Text trust_domain{"cluster.local", {}};
    Text cluster_domain{"cluster.local",
                        {}};  ///< the DNS suffix of Services (kubelet clusterDomain)
    MtlsMode mtls = MtlsMode::strict;
    Location mtls_location;
    Dataplane dataplane = Dataplane::sidecar;
    Location dataplane_location;
    Text istio_version{"1.29", {}};
    Text idle_timeout{"1h", {}};
    std::optional<bool> native_sidecars;  ///< unset: from Istio 1.24 on
    Location native_sidecars_location;
    bool default_deny = true;
    Location default_deny_location;
    std::optional<Text> revision;  ///< set: namespaces get istio.io/rev instead of istio-injection
    Text root_namespace{"istio-system", {}};
    Enforcement enforcement = Enforcement::enforce;
    Location enforcement_location;
    std::optional<Filters> filters;
    Location location;
};

struct Storage {
    Text size{"10Gi", {}};
    std::optional<Text> storage_class;
};

struct StrimziOptions {
    StrimziApi api = StrimziApi::v1;
    Text operator_namespace{"strimzi", {}};
    bool operator_in_mesh = false;
    bool access_operator = false;
    Location location;
};

struct BitnamiOptions {
    int chart = 32;
    Text release{"kafka", {}};
    /// The brokers' image; absent: k_bitnami_default_image (model/bitnami_users.h).
    std::optional<Text> image;
    /// The image of Strimzi's standalone User and Topic Operators; absent:
    /// k_strimzi_operator_default_image.
    std::optional<Text> operator_image;
    /// A Java regular expression naming Kafka users that others manage; the User Operator leaves
    /// their credentials, ACLs and quotas alone (besides the chart's own users, always left).
    std::optional<Text> ignored_users;
    /// Where the operators connect, host:port[,...]; absent: `<fullname>:<listenerPort>`.
    std::optional<Text> bootstrap;
    /// The super user the operators log in as; each absent field takes the chart's default:
    /// kafkamesh-admin, `<fullname>-user-passwords`, system-user-password, PLAIN.
    std::optional<Text> admin_user;
    std::optional<Text> admin_secret;
    std::optional<Text> admin_key;
    bool admin_scram = false;  ///< SCRAM-SHA-512 instead of PLAIN
    Location admin_location;
    Location location;
};

struct Label {
    Text key;
    Text value;
};

/// The broker pods of a cluster the topology does not describe itself (a release or cluster
/// not named by the defaults). Each field that is set replaces the derived value.
struct BrokerPods {
    std::vector<Label> labels;            ///< empty: the distribution's default selector
    std::optional<Text> service_account;  ///< absent: the distribution's default account
    Location location;
};

struct Kafka {
    Text name;
    Text ns;
    Distribution distribution = Distribution::strimzi;
    Location distribution_location;
    bool managed = true;  ///< false: the cluster runs already and is owned elsewhere
    Location managed_location;
    Text version{"4.3.1", {}};
    Location version_location;  ///< empty when not written
    int nodes = 3;
    Location nodes_location;
    Storage storage;
    Location storage_location;  ///< empty when not written
    Authentication authentication = Authentication::scram_sha_512;
    Location authentication_location;
    int listener_port = 9092;
    Location listener_port_location;
    std::optional<Text> listener_name;  ///< absent: "tls" with tls authentication, else "plain"
    std::vector<Text> super_users;      ///< "namespace/name" service references
    Location super_users_location;      ///< empty when not written
    std::vector<ConfigEntry> config;
    Location config_location;  ///< empty when not written
    std::optional<BrokerPods> broker_pods;
    std::optional<StrimziOptions> strimzi;
    std::optional<BitnamiOptions> bitnami;
    Location location;

    /// The client listener's name in the cluster resource (Strimzi; KafkaAccess refers to it).
    std::string listener() const {
        if (listener_name) {
            return listener_name->value;
        }
        return authentication == Authentication::tls ? "tls" : "plain";
    }
};

struct Namespace {
    Text name;
    bool managed = true;  ///< false: the namespace exists and is owned elsewhere
    Location managed_location;
    std::optional<MtlsMode> mtls;  ///< set: a namespace-wide PeerAuthentication "default" here
    Location mtls_location;
    std::vector<Label> labels;
    bool default_deny = false;
    bool limit_egress = false;  ///< a Sidecar scoping egress to itself, Kafka and istio-system
    Location limit_egress_location;
    bool implicit = false;  ///< the Kafka namespace, added because it was not declared
    Location location;
};

struct Consume {
    Text topic;
    std::optional<Text> group;  ///< absent: the service name (app kind)
    Location location;
};

struct Connector {
    Text name;
    std::vector<Text> consumes;
    std::vector<Text> produces;
    Location location;
};

struct ConnectOptions {
    std::optional<Text> group_id;
    std::optional<Text> configs_topic;
    std::optional<Text> offsets_topic;
    std::optional<Text> status_topic;
    std::vector<Connector> connectors;
    Location location;
};

struct Quotas {
    std::optional<std::int64_t> producer_byte_rate;
    std::optional<std::int64_t> consumer_byte_rate;
    std::optional<std::int64_t> request_percentage;
    std::optional<ConfigValue> controller_mutation_rate;  ///< a number, kept as written
    Location location;
};

struct Service {
    Text name;
    Text ns;
    std::optional<Text> service_account;
    std::optional<Text> user;
    ServiceKind kind = ServiceKind::app;
    Location kind_location;
    bool kind_invalid = false;  ///< a kind the parser reported: kind-specific checks are skipped
    std::vector<Text> produces;
    std::vector<Consume> consumes;
    std::optional<Text> transactional_id;
    std::vector<Text> roles;
    util::Boxed<Quotas> quotas;  ///< boxed, like connect: most services have neither
    std::optional<Text> application_id;
    std::optional<bool> exactly_once;
    Location exactly_once_location;
    util::Boxed<ConnectOptions> connect;
    Location location;

    const std::string& account() const {
        return service_account ? service_account->value : name.value;
    }
};

struct Topic {
    Text name;
    std::optional<int> partitions;
    Location partitions_location;
    std::optional<int> replicas;
    Location replicas_location;
    std::vector<ConfigEntry> config;
    bool external = false;
    bool implicit = false;  ///< a Connect storage topic the topology did not declare itself
    Location location;
};

enum class GrantResource : std::uint8_t { topic, group, transactional_id, cluster };

struct Grant {
    GrantResource resource = GrantResource::topic;
    std::vector<Text> names;  ///< empty for the cluster
    std::vector<Text> operations;
    Effect effect = Effect::allow;
    Location location;
};

struct Role {
    Text name;
    std::vector<Grant> grants;
    Location location;
};

/// `acknowledge: [{code, reason}]` on an object: the warnings of `code` located inside the object
/// (from its first line to its last) are accepted and not printed.
struct Acknowledgement {
    Text code;
    Text reason;
    Location from;
    Location to;
    Location location;  ///< the acknowledgement itself
};

struct Topology {
    std::optional<Metadata> metadata;
    Mesh mesh;
    bool has_mesh = false;
    std::optional<Kafka> kafka;
    std::vector<Namespace> namespaces;
    std::vector<Service> services;
    std::vector<Topic> topics;
    std::vector<Role> roles;
    std::vector<Acknowledgement> acknowledgements;
};

}  // namespace km::model
