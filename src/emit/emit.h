// Turns the validated topology and its access graph into Kubernetes documents in apply order.
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emit/manifest.h"
#include "emit/templates.h"
#include "graph/access_graph.h"
#include "model/topology.h"

namespace km::emit {

enum class Group : std::uint8_t { namespaces = 1, mesh = 2, kafka = 4 };
using Groups = std::uint8_t;
inline constexpr Groups all_groups = 7;

/// Apply order (outputs.md): the ALLOW policies land before allow-nothing so applying never
/// opens an outage window.
namespace rank {
inline constexpr int namespace_ = 10;
inline constexpr int peer_authentication = 20;
inline constexpr int allow_policy = 30;
inline constexpr int allow_nothing = 31;
inline constexpr int destination_rule = 40;
inline constexpr int sidecar = 41;
inline constexpr int telemetry = 42;
inline constexpr int network_policy = 43;
inline constexpr int envoy_filter = 50;
inline constexpr int wasm_plugin = 51;
inline constexpr int kafka = 60;
inline constexpr int kafka_node_pool = 61;
inline constexpr int helm_repository = 62;
inline constexpr int helm_release = 63;
inline constexpr int service_account = 64;
inline constexpr int role = 65;
inline constexpr int role_binding = 66;
inline constexpr int deployment = 67;
inline constexpr int config_map = 68;
inline constexpr int job = 69;
inline constexpr int kafka_topic = 70;
inline constexpr int kafka_user = 80;
inline constexpr int kafka_access = 90;
}  // namespace rank

/// One file of the topology as read: what the apply Job's ConfigMap carries (kafka.apply).
struct TopologyFile {
    std::string path;
    std::string text;
};

struct EmitContext {
    /// Its cluster-level declarations (kafka, mesh, metadata, namespaces, topics). Services and
    /// roles reach the emitters only as `graph`'s identities: a compile frees them beforehand.
    const model::Topology& topology;
    const graph::AccessGraph& graph;
    const Templates& templates;
    /// Where the last-line-of-defence name check reports (KM530); none skips the check.
    diag::DiagnosticSink* sink = nullptr;
    /// The topology's files and the --env it was compiled for: the apply Job applies the same.
    const std::vector<TopologyFile>* topology_files = nullptr;
    std::string environment{};
    /// When set, each document is handed to it instead of being written (from any emission
    /// thread, in no fixed order): drift reads the trees rather than parse a text it would have
    /// just written, and never holds them all.
    const std::function<void(const Value&)>* read_document = nullptr;
    /// Where the documents' texts wait once it wants them (see util/spool.h); none: in memory.
    util::Spool* spool = nullptr;
};

/// Adds a finished document to `out`: its names are checked against their destinations while
/// the tree exists, then it is serialised and the tree dropped (see emit/emitted_names.h).
/// `owner` is the team namespace that owns it; without one, the default of owning_namespace.
void add_document(const EmitContext& context, std::vector<Manifest>& out, int rank,
                  std::string kind, std::string ns, std::string name, const Value& document,
                  std::optional<std::string> owner = std::nullopt);

/// Who owns a document by default: the namespace it lives in, unless that is the Kafka
/// namespace (the brokers' policies, the cluster, the chart) or it is cluster-scoped (a Namespace
/// object, whose deletion deletes everything in it): then the platform (""). KafkaUser and
/// KafkaTopic, which live in the Kafka namespace, name their owner themselves (emit_strimzi.cpp).
std::string owning_namespace(const EmitContext& context, const std::string& ns);

/// Every document of the selected groups, sorted by (rank, namespace, name).
std::vector<Manifest> emit_manifests(const EmitContext& context, Groups groups);

/// How the Bitnami chart's values are delivered: a values file, or inside a Flux HelmRelease.
enum class HelmRelease : std::uint8_t { none, flux };

struct EmitOptions {
    Groups groups = all_groups;
    HelmRelease helm_release = HelmRelease::none;
};

/// Everything one compile produces: the Kubernetes documents and, for distribution bitnami
/// without a HelmRelease, the chart's values (not a Kubernetes document).
struct Output {
    std::vector<Manifest> manifests;
    std::optional<Value> helm_values;
    /// The `--prune-allowlist` entries of `kubectl apply --prune` (see prune_allowlist).
    std::vector<std::string> prune_allowlist;
};

/// The documents of emit_manifests, plus the Bitnami values (kafka group) as options ask.
Output emit_output(const EmitContext& context, const EmitOptions& options);

/// Kinds whose deletion deletes data or whole workloads: Namespace (everything in it),
/// KafkaTopic (Strimzi deletes the topic and its records), Kafka and KafkaNodePool (the
/// cluster), HelmRelease (uninstalls the Bitnami chart). Every such document carries the Argo CD
/// and Flux annotations that stop their pruning, and prune_allowlist leaves them out.
bool protected_kind(std::string_view kind);

/// "group/version/kind" (core kinds as "core/v1/Kind") of every kind kafkamesh may emit for this
/// topology and options and that a pruning apply may delete: all Istio policy kinds (their CRDs
/// come with every Istio, so a kind that stops being emitted, an EnvoyFilter after kafkaMetrics
/// is turned off, is still pruned), KafkaUser and KafkaAccess (access operator) on Strimzi, the
/// Flux HelmRepository. Protected kinds are left out. Sorted.
std::vector<std::string> prune_allowlist(const EmitContext& context, const EmitOptions& options);

/// "kafka.strimzi.io/v1", or v1beta2 when `strimzi.api` asks for it.
std::string strimzi_api_version(const model::Kafka& kafka);

/// The file a document goes to under `compile -o DIR`: "<NN>-<kind>-<namespace>.yaml" (without
/// the namespace for cluster-scoped kinds), NN its apply position, so names sort in apply order.
std::string output_file_name(const Manifest& m);

/// A part of the emission that reads nothing but its context and adds documents to its own list.
/// Jobs run on any thread; their lists are joined in job order, so the output never depends on
/// which thread ran what (see run_jobs in emit.cpp).
using EmitJob = std::function<void(const EmitContext&, std::vector<Manifest>&)>;

/// Adds a job per slice of `count` items, each calling `emit(context, out, first, last)`: the
/// large kinds (a KafkaTopic per topic, a KafkaUser per identity) are shared out in slices.
template <class Emit>
void add_slices(std::vector<EmitJob>& jobs, std::size_t count, Emit emit) {
    constexpr std::size_t slice = 1024;
    for (std::size_t first = 0; first < count; first += slice) {
        std::size_t last = std::min(count, first + slice);
        jobs.emplace_back([emit, first, last](const EmitContext& c, std::vector<Manifest>& out) {
            emit(c, out, first, last);
        });
    }
}

// The emitters, one per target.
void emit_istio(const EmitContext& context, Groups groups, std::vector<Manifest>& out);
/// The Kafka cluster and its node pool, the topics, the users and (access operator) KafkaAccess.
void add_strimzi_jobs(const EmitContext& context, std::vector<EmitJob>& jobs);
/// `mesh.filters`: EnvoyFilter (kafka_broker), WasmPlugin (identity), Telemetry (access logs).
void emit_mesh_filters(const EmitContext& context, std::vector<Manifest>& out);
/// The KafkaTopic and KafkaUser documents (Strimzi's emitters), for a Kafka that Strimzi's own
/// entity operator or the standalone operators of emit_reconcilers reconcile.
void add_topic_and_user_jobs(const EmitContext& context, std::vector<EmitJob>& jobs);

/// The Secret the User Operator writes for a user: this prefix and the user's name, so that no
/// identity's Secret can take the name of one of the chart's (which all begin with its fullname).
inline constexpr std::string_view k_user_secret_prefix = "kafkamesh-user-";

/// Whether the identity has a KafkaUser (and so a credential Secret): emit_strimzi decides it,
/// the credential RBAC and client-config follow.
bool has_kafka_user(const graph::Identity& id);

/// How the standalone operators reach and select what they reconcile (distribution bitnami).
struct ReconcilerSettings {
    std::string user_operator;   ///< Deployment, ServiceAccount and RBAC name
    std::string topic_operator;  ///< likewise
    std::string bootstrap;       ///< host:port of the client listener
    std::string admin_user;      ///< the SASL user both operators log in as
    std::string admin_secret;    ///< the Secret (Kafka namespace) holding its password
    std::string admin_secret_key;
    bool admin_scram = false;   ///< SCRAM-SHA-512, else PLAIN
    std::string labels;         ///< the label selector of both operators, k=v,k=v
    std::string ignored_users;  ///< STRIMZI_IGNORED_USERS_PATTERN
};
ReconcilerSettings reconciler_settings(const model::Topology& topology);
/// Strimzi's standalone User and Topic Operators: ServiceAccount, Role, RoleBinding, Deployment.
void emit_reconcilers(const EmitContext& context, std::vector<Manifest>& out);
/// Per identity with a KafkaUser, a Role and RoleBinding in the Kafka namespace letting the
/// identity's own service account (and nobody else) read its credential Secret.
void emit_credential_access(const EmitContext& context, std::vector<Manifest>& out,
                            std::size_t first, std::size_t last);
/// The values.yaml of the Bitnami Kafka chart 32.x.
Value emit_bitnami_values(const EmitContext& context);
/// A Flux HelmRepository and a HelmRelease installing the Bitnami chart with `values`.
void emit_flux(const EmitContext& context, Value values, std::vector<Manifest>& out);

/// A container securityContext that meets the Pod Security "restricted" profile: no privilege
/// escalation, every capability dropped, read-only root, non-root, the runtime's seccomp profile.
Value restricted_security_context();

/// A mapping of `entries` in key order, every value a string: labels, selectors, settings.
Value string_map(const std::map<std::string, std::string>& entries);

/// A document from the kind's template: apiVersion, kind, metadata with name, namespace and the
/// merged labels and annotations (sorted), ready for the emitter to add its spec.
Value base_document(const EmitContext& context, const std::string& kind, const std::string& name,
                    const std::string& ns, std::map<std::string, std::string> labels = {},
                    std::map<std::string, std::string> annotations = {});

}  // namespace km::emit
