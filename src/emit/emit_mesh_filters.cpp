// The opt-in Envoy and Istio extras of `mesh.filters` on the broker pods: the kafka_broker
// network filter for Kafka protocol metrics, the identity WasmPlugin and TCP access logs.
#include <fmt/format.h>

#include "emit/emit.h"
#include "emit/mesh_names.h"
#include "emit/pod_mesh.h"
#include "model/derived.h"

namespace km::emit {
namespace {

/// The broker pods that carry the feature's label (see mesh_filter_labels): a copy of the object
/// left behind after the feature is turned off selects no pod, so no stock proxy is patched with
/// a filter it lacks.
std::map<std::string, std::string> feature_selector(const MeshNames& names, const char* label) {
    std::map<std::string, std::string> labels = names.broker_labels;
    labels[label] = "true";
    return labels;
}

/// kafka_broker before tcp_proxy on the client port's inbound chain (istio-and-kafka.md §3.4).
/// The checks have refused it unless a contrib-capable proxy image is declared.
void emit_kafka_broker_filter(const EmitContext& c, const MeshNames& names,
                              std::vector<Manifest>& out) {
    const model::Kafka& kafka = *c.topology.kafka;
    std::string name = kafka.name.value + "-kafka-metrics";
    Value doc = base_document(c, "EnvoyFilter", name, names.kafka_namespace);
    Value& spec = doc.set("spec", Value::mapping());
    // EnvoyFilter selects with "labels", not "matchLabels".
    spec.set("workloadSelector", Value::mapping())
        .set("labels", string_map(feature_selector(names, k_kafka_metrics_label)));
    // A relative patch without a priority may not be applied at all (istioctl IST0151).
    spec.set("priority", Value::integer(10));
    Value& patch = spec.set("configPatches", Value::sequence()).push(Value::mapping());
    patch.set("applyTo", Value::string("NETWORK_FILTER"));
    Value& match = patch.set("match", Value::mapping());
    match.set("context", Value::string("SIDECAR_INBOUND"));
    // A stock proxy of another release rejects the whole listener; apply only to the pinned one.
    match.set("proxy", Value::mapping())
        .set("proxyVersion",
             Value::string(fmt::format("^1\\.{}\\..*", model::istio_minor(c.topology.mesh))));
    Value& listener = match.set("listener", Value::mapping());
    // Inbound chains match the container port, which is the listener port.
    listener.set("portNumber", Value::integer(kafka.listener_port));
    listener.set("filterChain", Value::mapping())
        .set("filter", Value::mapping())
        .set("name", Value::string("envoy.filters.network.tcp_proxy"));
    Value& operation = patch.set("patch", Value::mapping());
    operation.set("operation", Value::string("INSERT_BEFORE"));
    Value& value = operation.set("value", Value::mapping());
    value.set("name", Value::string("envoy.filters.network.kafka_broker"));
    Value& config = value.set("typed_config", Value::mapping());
    config.set(
        "@type",
        Value::string(
            "type.googleapis.com/envoy.extensions.filters.network.kafka_broker.v3.KafkaBroker"));
    config.set("stat_prefix", Value::string(kafka.name.value));
    add_document(c, out, rank::envoy_filter, "EnvoyFilter", names.kafka_namespace, name,
                 std::move(doc));
}

/// The identity plugin: a NETWORK plugin on the client port that tells Kafka which mesh
/// principal opened the connection. FAIL_CLOSE: without it, Kafka would see no identity.
void emit_identity_plugin(const EmitContext& c, const MeshNames& names,
                          std::vector<Manifest>& out) {
    const model::Kafka& kafka = *c.topology.kafka;
    const std::string& image = c.topology.mesh.filters->identity_image->value;
    std::string name = kafka.name.value + "-mesh-identity";
    Value doc = base_document(c, "WasmPlugin", name, names.kafka_namespace);
    Value& spec = doc.set("spec", Value::mapping());
    spec.set("selector", Value::mapping())
        .set("matchLabels", string_map(feature_selector(names, k_mesh_identity_label)));
    spec.set("url", Value::string(model::image_registry_url(image).value_or(image)));
    spec.set("sha256", Value::string(model::image_sha256(image)));
    // STATS runs the plugin after the RBAC filter (network filter order CUSTOM, AUTHN, AUTHZ,
    // RBAC, STATS: istio/istio pilot/pkg/networking/core/networkfilter.go), so it never parses
    // the bytes of a connection the AuthorizationPolicies deny.
    spec.set("phase", Value::string("STATS"));
    spec.set("failStrategy", Value::string("FAIL_CLOSE"));
    // The default type HTTP never runs on a TCP filter chain.
    spec.set("type", Value::string("NETWORK"));
    Value& match = spec.set("match", Value::sequence()).push(Value::mapping());
    match.set("mode", Value::string("SERVER"));
    match.set("ports", Value::sequence())
        .push(Value::mapping())
        .set("number", Value::integer(kafka.listener_port));
    Value& config = spec.set("pluginConfig", Value::mapping());
    config.set("trustDomain", Value::string(c.topology.mesh.trust_domain.value));
    // The same user name the KafkaUsers of authentication 'mesh' carry.
    config.set("principal", Value::string("User:{namespace}-{serviceAccount}"));
    add_document(c, out, rank::wasm_plugin, "WasmPlugin", names.kafka_namespace, name,
                 std::move(doc));
}

/// Envoy's file access log on the brokers' inbound side. TCP entries are written when a
/// connection closes.
void emit_access_logs(const EmitContext& c, const MeshNames& names, std::vector<Manifest>& out) {
    std::string name = c.topology.kafka->name.value + "-access-logs";
    Value doc = base_document(c, "Telemetry", name, names.kafka_namespace);
    Value& spec = doc.set("spec", Value::mapping());
    spec.set("selector", Value::mapping())
        .set("matchLabels", string_map(feature_selector(names, k_access_logs_label)));
    Value& logging = spec.set("accessLogging", Value::sequence()).push(Value::mapping());
    logging.set("providers", Value::sequence())
        .push(Value::mapping())
        .set("name", Value::string("envoy"));
    logging.set("match", Value::mapping()).set("mode", Value::string("SERVER"));
    add_document(c, out, rank::telemetry, "Telemetry", names.kafka_namespace, name, std::move(doc));
}

}  // namespace

void emit_mesh_filters(const EmitContext& c, std::vector<Manifest>& out) {
    const model::Mesh& mesh = c.topology.mesh;
    // Ambient has no broker sidecar to carry any of these; the checks refuse them there.
    if (!mesh.filters || mesh.dataplane != model::Dataplane::sidecar) {
        return;
    }
    MeshNames names = mesh_names(c.topology);
    if (mesh.filters->kafka_metrics_proxy_image) {
        emit_kafka_broker_filter(c, names, out);
    }
    if (mesh.filters->identity_image) {
        emit_identity_plugin(c, names, out);
    }
    if (mesh.filters->access_logs) {
        emit_access_logs(c, names, out);
    }
}

}  // namespace km::emit
