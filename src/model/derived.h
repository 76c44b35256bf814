// Names the topology implies rather than states: identities, users, principals, references.
// Checks, the graph builder and the emitters all derive them here, so they always agree.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
/// "system:serviceaccount:<ns>:<sa>": the Kubernetes user name of a service account, the `sub`
/// of its tokens (k8s.io/kubernetes pkg/serviceaccount MakeUsername) and so the Kafka principal
/// of authentication 'service-account-token'. The same (ns, sa) pair as mesh_principal.
std::string service_account_username(std::string_view ns, std::string_view service_account);
/// "<trustDomain>/ns/<ns>/sa/<sa>", Istio's form without "spiffe://".
std::string mesh_principal(std::string_view trust_domain, std::string_view ns,
                           std::string_view service_account);

/// The minor of `mesh.istioVersion` ("1.29" -> 29), which gates version-dependent fields.
int istio_minor(const Mesh& mesh);
/// The first Istio minors that have a field kafkamesh emits.
inline constexpr int k_istio_v1_apis = 22;         ///< security/networking/telemetry v1 served
inline constexpr int k_istio_native_sidecar = 24;  ///< sidecar.istio.io/nativeSidecar
/// Ambient: istiod skips dry-run AuthorizationPolicies for ztunnel from 1.25.2 (the first whole
/// minor: 1.26), and can send them as dry run from 1.29 (check_mesh.cpp, check_enforcement).
inline constexpr int k_istio_ambient_dry_run_skipped = 26;
inline constexpr int k_istio_ambient_dry_run_logged = 29;

/// Whether pods get native sidecars: `mesh.nativeSidecars`, by default from Istio 1.24 on.
bool native_sidecars(const Mesh& mesh);

/// The 64 lowercase hex digits after "@sha256:" in an image reference, or "" when it has none.
std::string image_sha256(std::string_view image);

/// The WasmPlugin url for a plugin image: an http(s):// or file:// URL as written, an oci://
/// reference whose first component is a registry host, or such a reference without scheme
/// with oci:// prefixed. Nothing for a reference without a registry host (a Docker Hub short
/// name), which neither the WasmPlugin CRD's url rule nor istiod parses as a URL.
std::optional<std::string> image_registry_url(std::string_view image);

/// The name a topology writes for the kind: app, streams or connect.
std::string_view service_kind_name(ServiceKind kind);

std::string streams_application_id(const Service& s);
/// "<application id>-": Kafka Streams names its internal topics and, with exactly-once, its
/// transactional ids with this prefix (the ACL recipes grant both on it).
std::string streams_prefix(const Service& s);
std::string connect_group_id(const Service& s);
/// The consumer group an app service reads `c` with: `group`, else the service name.
std::string consume_group_id(const Service& s, const Consume& c);

struct StorageTopics {
    std::string configs;
    std::string offsets;
    std::string status;
};
StorageTopics connect_storage_topics(const Service& s);

/// Replication defaults from the node count: 3 nodes -> RF 3 and min ISR 2.
int default_replication_factor(int nodes);
int default_min_insync_replicas(int nodes);

/// A broker setting kafkamesh derives from the node count.
struct ReplicationSetting {
    std::string_view key;
    bool min_isr;                 ///< a min ISR, else a replication factor
    std::string_view factor_key;  ///< for a min ISR: the replication factor it is held against
};
/// The cluster-wide replication settings, in the order they are emitted: the default for
/// topics, and Kafka's internal topics (consumer offsets, transactions, share-group state;
/// apache/kafka ShareCoordinatorConfig names the last two, with defaults 3 and 2).
const std::vector<ReplicationSetting>& replication_settings();
/// The value kafkamesh derives for one of them from the node count.
int derived_replication_value(const ReplicationSetting& setting, int nodes);

/// The entry for `key` in a config list, or null.
const ConfigEntry* find_config(const std::vector<ConfigEntry>& config, std::string_view key);
/// The integer value of `key`, when it is set to one.
std::optional<int> config_int(const std::vector<ConfigEntry>& config, std::string_view key);

/// The Kafka version emitted for `strimzi.api: v1beta2` when none is given.
inline constexpr std::string_view k_strimzi_v1beta2_default_version = "4.0.0";

/// Adds what the topology declares implicitly: the Kafka namespace, Connect storage topics, the
/// Kafka version of the v1beta2 API and the service account of a Strimzi KafkaConnect.
void add_implicit_declarations(Topology& t);

/// Strimzi's name for a KafkaConnect's workers: their pods' strimzi.io/name and service account.
std::string strimzi_connect_name(const std::string& connect);

}  // namespace km::model
