// Helm values for the Bitnami Kafka chart 32.x (outputs.md "Kafka, distribution bitnami"):
// KRaft combined nodes, the image, the operators' SASL user and the authorizer settings. Users,
// ACLs, quotas and topics are not the chart's: see emit_reconcilers.cpp. Every key written here
// is in schema/bitnami-kafka-32.values-keys.txt.
#include <fmt/format.h>

#include <algorithm>

#include "emit/emit.h"
#include "emit/mesh_names.h"
#include "emit/pod_mesh.h"
#include "emit/token_auth.h"
#include "model/bitnami_users.h"
#include "model/derived.h"

namespace km::emit {
namespace {

/// Helm reads every number in values as a float64 and renders 604800000 as 6.048e+08, so
/// settings that end up in properties files are written as strings.
std::vector<std::pair<std::string, std::string>> sorted_config(
    const std::vector<model::ConfigEntry>& entries) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const model::ConfigEntry& e : entries) {
        std::string text = e.value.text;
        if (e.value.type == model::ConfigValue::Type::boolean) {
            text = (text[0] == 't' || text[0] == 'T') ? "true" : "false";
        }
        out.emplace_back(e.key.value, text);
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    return out;
}

Value broker_config(const EmitContext& c) {
    const model::Kafka& k = *c.topology.kafka;
    std::vector<std::string> super_users(model::k_bitnami_reserved_users.begin(),
                                         model::k_bitnami_reserved_users.end());
    for (const graph::Identity& id : c.graph.identities) {
        if (id.super_user) {
            super_users.push_back(id.principal_name);
        }
    }
    std::string super_list;
    for (const std::string& u : super_users) {
        super_list += (super_list.empty() ? "User:" : ";User:") + u;
    }
    std::map<std::string, std::string> config;
    for (const model::ReplicationSetting& setting : model::replication_settings()) {
        config[std::string(setting.key)] =
            std::to_string(model::derived_replication_value(setting, k.nodes));
    }
    for (const auto& [key, value] : sorted_config(k.config)) {
        config[key] = value;
    }
    // The settings the security model rests on come last, so nothing above can replace them.
    config["allow.everyone.if.no.acl.found"] = "false";
    config["auto.create.topics.enable"] = "false";
    config["authorizer.class.name"] = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";
    config["super.users"] = super_list;
    return string_map(config);
}

/// `image.registry`, `image.repository`, `image.tag` and `image.digest` of a reference
/// `[registry/]repository[:tag][@digest]` (checked by KM534); a first component without '.' or
/// ':' (and not localhost) is a Docker Hub repository, as container runtimes read it.
void set_image(Value& values, const std::string& reference) {
    std::string rest = reference;
    std::string digest;
    if (auto at = rest.find('@'); at != std::string::npos) {
        digest = rest.substr(at + 1);
        rest.resize(at);
    }
    std::string registry = "docker.io";
    if (auto slash = rest.find('/'); slash != std::string::npos) {
        std::string first = rest.substr(0, slash);
        if (first.find_first_of(".:") != std::string::npos || first == "localhost") {
            registry = first;
            rest = rest.substr(slash + 1);
        }
    }
    std::string tag;
    if (auto colon = rest.rfind(':'); colon != std::string::npos) {
        tag = rest.substr(colon + 1);
        rest.resize(colon);
    }
    Value& image = values.set("image", Value::mapping());
    image.set("registry", Value::string(registry));
    image.set("repository", Value::string(rest));
    image.set("tag", Value::string(tag));
    image.set("digest", Value::string(digest));
    // The chart refuses to render with any image but its own (bitnami/common _errors.tpl,
    // "Original containers have been substituted") unless told to.
    if (registry != "docker.io" || rest != "bitnami/kafka") {
        values.set("global", Value::mapping())
            .set("security", Value::mapping())
            .set("allowInsecureImages", Value::boolean(true));
    }
}

/// authentication: service-account-token on the client listener. The chart's own OAUTHBEARER
/// values render class names Kafka 4 no longer has (chart 32.4.4 _helpers.tpl,
/// ...oauthbearer.secured.*), so the listener is configured through overrideConfiguration, which
/// the chart merges over what it generates (templates/broker/configmap.yaml, mustMergeOverwrite);
/// PLAIN stays for the operators' admin. The JVM option travels in JAVA_TOOL_OPTIONS, which the
/// JVM itself reads whatever the image's scripts do; the CA is the kube-root-ca.crt ConfigMap the
/// API server publishes in every namespace, so the brokers need no service-account token.
void add_token_listener(const model::Kafka& k, Value& config) {
    std::string ca = fmt::format("{}/ca.crt", k_bitnami_kube_ca_dir);
    for (auto& [key, value] : model::token_broker_settings(k, "client", "PLAIN,OAUTHBEARER", ca)) {
        config.set(key, Value::string(value));
    }
}

/// The brokers' JVM option and the CA file the key fetch trusts (add_token_listener).
void add_token_pod_settings(const model::Kafka& k, Value& controller) {
    Value& env = controller.set("extraEnvVars", Value::sequence()).push(Value::mapping());
    env.set("name", Value::string("JAVA_TOOL_OPTIONS"));
    env.set("value", Value::string(model::token_broker_jvm_option(k)));
    Value& volume = controller.set("extraVolumes", Value::sequence()).push(Value::mapping());
    volume.set("name", Value::string("kafkamesh-kube-ca"));
    Value& map = volume.set("configMap", Value::mapping());
    map.set("name", Value::string("kube-root-ca.crt"));
    Value& item = map.set("items", Value::sequence()).push(Value::mapping());
    item.set("key", Value::string("ca.crt"));
    item.set("path", Value::string("ca.crt"));
    Value& mount = controller.set("extraVolumeMounts", Value::sequence()).push(Value::mapping());
    mount.set("name", Value::string("kafkamesh-kube-ca"));
    mount.set("mountPath", Value::string(std::string(k_bitnami_kube_ca_dir)));
    mount.set("readOnly", Value::boolean(true));
}

}  // namespace

Value emit_bitnami_values(const EmitContext& c) {
    const model::Topology& t = c.topology;
    const model::Kafka& k = *t.kafka;
    Value values = Value::mapping();
    set_image(values, k.bitnami && k.bitnami->image ? k.bitnami->image->value
                                                    : std::string(model::k_bitnami_default_image));

    Value& controller = values.set("controller", Value::mapping());
    controller.set("replicaCount", Value::integer(k.nodes));
    controller.set("controllerOnly", Value::boolean(false));  // KRaft combined nodes
    Value& persistence = controller.set("persistence", Value::mapping());
    persistence.set("enabled", Value::boolean(true));
    persistence.set("size", Value::string(k.storage.size.value));
    if (k.storage.storage_class) {
        persistence.set("storageClass", Value::string(k.storage.storage_class->value));
    }
    if (auto labels = mesh_pod_labels(t); !labels.empty()) {
        controller.set("podLabels", string_map(labels));
    }
    if (auto annotations = mesh_pod_annotations(t); !annotations.empty()) {
        controller.set("podAnnotations", string_map(annotations));
    }
    bool tokens = k.authentication == model::Authentication::service_account_token;
    if (tokens) {
        add_token_pod_settings(k, controller);  // before `values` grows and moves `controller`
    }
    values.set("broker", Value::mapping()).set("replicaCount", Value::integer(0));

    // SASL_PLAINTEXT everywhere: the mesh's mTLS encrypts, SASL names the principal for ACLs.
    Value& listeners = values.set("listeners", Value::mapping());
    Value& client = listeners.set("client", Value::mapping());
    client.set("containerPort", Value::integer(k.listener_port));
    client.set("protocol", Value::string("SASL_PLAINTEXT"));
    listeners.set("controller", Value::mapping()).set("protocol", Value::string("SASL_PLAINTEXT"));
    listeners.set("interbroker", Value::mapping()).set("protocol", Value::string("SASL_PLAINTEXT"));
    values.set("service", Value::mapping())
        .set("ports", Value::mapping())
        .set("client", Value::integer(k.listener_port));

    Value& sasl = values.set("sasl", Value::mapping());
    sasl.set("enabledMechanisms", Value::string("PLAIN,SCRAM-SHA-512"));
    sasl.set("interBrokerMechanism", Value::string("PLAIN"));
    sasl.set("controllerMechanism", Value::string("PLAIN"));  // KRaft controllers take no SCRAM
    // The chart's only client user is the one the standalone operators log in as. Application
    // users are KafkaUsers with a credential each: the chart matches client passwords to this
    // list by position and creates SCRAM users only when the storage is formatted.
    sasl.set("client", Value::mapping())
        .set("users", Value::sequence())
        .push(Value::string(std::string(model::k_bitnami_admin_user)));
    if (k.bitnami && k.bitnami->existing_secret) {
        // The passwords are the Secret's (chart 32.4.4 _helpers.tpl kafka.saslSecretName and
        // kafka.createSaslSecret): nothing is generated, so no render changes them.
        sasl.set("existingSecret", Value::string(k.bitnami->existing_secret->value));
    }

    Value config = broker_config(c);
    if (tokens) {
        add_token_listener(k, config);
    }
    values.set("overrideConfiguration", std::move(config));
    // Topics, ACLs and quotas are reconciled by Strimzi's operators (emit_reconcilers.cpp), so
    // nothing runs as a Job: no pod that must finish under the mesh.
    values.set("provisioning", Value::mapping()).set("enabled", Value::boolean(false));
    values.set("serviceAccount", Value::mapping()).set("create", Value::boolean(true));
    if (t.mesh.dataplane == model::Dataplane::ambient) {
        // The chart's NetworkPolicy must let ztunnel's HBONE port through.
        Value& port = values.set("networkPolicy", Value::mapping())
                          .set("extraIngress", Value::sequence())
                          .push(Value::mapping())
                          .set("ports", Value::sequence())
                          .push(Value::mapping());
        port.set("port", Value::integer(15008));
        port.set("protocol", Value::string("TCP"));
    }
    return values;
}

}  // namespace km::emit
