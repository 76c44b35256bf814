// Helm values for the Bitnami Kafka chart 32.x (outputs.md "Kafka, distribution bitnami"):
// KRaft combined nodes, SASL users, the authorizer settings, and topics, ACLs and quotas through
// the provisioning Job. Every key written here is in schema/bitnami-kafka-32.values-keys.txt.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "emit/emit.h"
#include "emit/mesh_names.h"
#include "emit/pod_mesh.h"
#include "model/bitnami_users.h"
#include "model/derived.h"
#include "util/shell.h"

namespace km::emit {
namespace {

constexpr const char* k_kafka_bin = "/opt/bitnami/kafka/bin";
// The provisioning Job's client settings in chart 32 (it was $CLIENT_CONF up to 31).
constexpr const char* k_client_config = "/shared/client.properties";

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

/// A script as a literal block; the last newline is left to the block's own line end (yaml-cpp
/// would otherwise add a blank line).
/// A script as a literal block ending in exactly one line break, as a shell file would.
Value script_block(std::string script) {
    while (!script.empty() && script.back() == '\n') {
        script.pop_back();
    }
    return Value::block(std::move(script) + "\n");
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

Value topic_list(const EmitContext& c) {
    std::vector<const model::Topic*> topics;
    for (const model::Topic& t : c.topology.topics) {
        if (!t.external) {
            topics.push_back(&t);
        }
    }
    std::sort(topics.begin(), topics.end(),
              [](const auto* a, const auto* b) { return a->name.value < b->name.value; });
    Value list = Value::sequence();
    for (const model::Topic* t : topics) {
        Value& item = list.push(Value::mapping());
        item.set("name", Value::string(t->name.value));
        if (t->partitions) {
            item.set("partitions", Value::integer(*t->partitions));
        }
        if (t->replicas) {
            item.set("replicationFactor", Value::integer(*t->replicas));
        }
        if (!t->config.empty()) {
            Value& config = item.set("config", Value::mapping());
            for (const auto& [key, value] : sorted_config(t->config)) {
                config.set(key, Value::string(value));
            }
        }
    }
    return list;
}

/// One `kafka-acls.sh --add` line per (resource, pattern, effect), every operation explicit:
/// without `--operation` the tool grants All.
void acl_lines(const graph::Identity& id, std::vector<std::string>& lines) {
    const auto& acls = id.acls;
    for (std::size_t i = 0; i < acls.size();) {
        const graph::AclEntry& first = acls[i];
        std::string line = fmt::format("acl --{}-principal {}",
                                       first.effect == model::Effect::allow ? "allow" : "deny",
                                       util::shell_quote("User:" + id.principal_name));
        std::size_t j = i;
        for (; j < acls.size() && acls[j].type == first.type && acls[j].pattern == first.pattern &&
               acls[j].name == first.name && acls[j].effect == first.effect;
             ++j) {
            line += fmt::format(" --operation {}", model::operation_name(acls[j].operation));
        }
        switch (first.type) {
            case model::ResourceType::cluster:
                line += " --cluster";
                break;
            case model::ResourceType::topic:
                line += " --topic " + util::shell_quote(first.name);
                break;
            case model::ResourceType::group:
                line += " --group " + util::shell_quote(first.name);
                break;
            case model::ResourceType::transactional_id:
                line += " --transactional-id " + util::shell_quote(first.name);
                break;
        }
        if (first.type != model::ResourceType::cluster) {
            line +=
                fmt::format(" --resource-pattern-type {}",
                            first.pattern == model::PatternType::prefix ? "prefixed" : "literal");
        }
        lines.push_back(std::move(line));
        i = j;
    }
}

std::string quota_line(const graph::Identity& id) {
    const model::Quotas& q = *id.quotas;
    std::vector<std::string> settings;
    if (q.producer_byte_rate) {
        settings.push_back(fmt::format("producer_byte_rate={}", *q.producer_byte_rate));
    }
    if (q.consumer_byte_rate) {
        settings.push_back(fmt::format("consumer_byte_rate={}", *q.consumer_byte_rate));
    }
    if (q.request_percentage) {
        settings.push_back(fmt::format("request_percentage={}", *q.request_percentage));
    }
    if (q.controller_mutation_rate) {
        settings.push_back("controller_mutation_rate=" + q.controller_mutation_rate->text);
    }
    if (settings.empty()) {
        return {};
    }
    std::string joined;
    for (const std::string& s : settings) {
        joined += (joined.empty() ? "" : ",") + s;
    }
    return fmt::format("quota --entity-name {} --add-config {}", util::shell_quote(id.user),
                       util::shell_quote(joined));
}

std::string post_script(const EmitContext& c) {
    std::vector<std::string> acls;
    std::vector<std::string> quotas;
    for (const graph::Identity& id : c.graph.identities) {
        if (!id.super_user) {  // a super user bypasses ACLs
            acl_lines(id, acls);
        }
        if (id.quotas) {
            if (std::string line = quota_line(id); !line.empty()) {
                quotas.push_back(std::move(line));
            }
        }
    }
    std::string script = fmt::format(
        "# Generated by kafkamesh from topology '{}'.\n"
        "# Adding an ACL or quota that exists changes nothing, so every run is safe; entries\n"
        "# removed from the topology are not removed from Kafka here.\n",
        c.topology.metadata->name.value);
    if (!acls.empty()) {
        script += fmt::format(
            "acl() {{\n  {}/kafka-acls.sh --bootstrap-server \"${{KAFKA_SERVICE}}\" "
            "--command-config {} --add --force \"$@\"\n}}\n",
            k_kafka_bin, k_client_config);
        for (const std::string& line : acls) {
            script += line + "\n";
        }
    }
    if (!quotas.empty()) {
        script += fmt::format(
            "quota() {{\n  {}/kafka-configs.sh --bootstrap-server \"${{KAFKA_SERVICE}}\" "
            "--command-config {} --alter --entity-type users \"$@\"\n}}\n",
            k_kafka_bin, k_client_config);
        for (const std::string& line : quotas) {
            script += line + "\n";
        }
    }
    return script;
}

Value provisioning(const EmitContext& c) {
    const model::Topology& t = c.topology;
    Value p = Value::mapping();
    p.set("enabled", Value::boolean(true));
    p.set("replicationFactor", Value::integer(model::default_replication_factor(t.kafka->nodes)));
    p.set("topics", topic_list(c));
    std::map<std::string, std::string> labels = mesh_pod_labels(t, PodRole::job);
    std::map<std::string, std::string> annotations = mesh_pod_annotations(t, PodRole::job);
    bool sidecar = t.mesh.dataplane == model::Dataplane::sidecar;
    // The Job must finish although istio-proxy keeps running: as a native sidecar (Istio 1.24+,
    // set by mesh_pod_annotations) the proxy stops with the Job's container; before that the
    // script stops it on exit.
    bool native = sidecar && model::native_sidecars(t.mesh);
    if (!labels.empty()) {
        p.set("podLabels", string_map(labels));
    }
    if (!annotations.empty()) {
        p.set("podAnnotations", string_map(annotations));
    }
    if (sidecar && !native) {
        p.set("preScript",
              script_block("# Stop the istio-proxy sidecar when this script exits, or the Job "
                           "never completes.\n"
                           "trap '(exec 3<>/dev/tcp/127.0.0.1/15020 && printf \"POST "
                           "/quitquitquit HTTP/1.0\\r\\n\\r\\n\" >&3) || true' EXIT\n"));
    }
    p.set("postScript", script_block(post_script(c)));
    p.set("serviceAccount", Value::mapping()).set("create", Value::boolean(true));
    return p;
}

}  // namespace

std::vector<std::string> bitnami_client_users(const graph::AccessGraph& graph) {
    std::vector<std::string> users;
    for (const graph::Identity& id : graph.identities) {
        if (!id.acls.empty() || id.super_user) {
            users.push_back(id.user);
        }
    }
    std::sort(users.begin(), users.end());
    users.insert(users.begin(), std::string(model::k_bitnami_admin_user));
    return users;
}

Value emit_bitnami_values(const EmitContext& c) {
    const model::Topology& t = c.topology;
    const model::Kafka& k = *t.kafka;
    Value values = Value::mapping();

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
    // users[0] is the identity the provisioning Job runs as.
    Value& user_list = sasl.set("client", Value::mapping()).set("users", Value::sequence());
    for (const std::string& u : bitnami_client_users(c.graph)) {
        user_list.push(Value::string(u));
    }

    values.set("overrideConfiguration", broker_config(c));
    values.set("provisioning", provisioning(c));
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
