#include <fmt/format.h>

#include <algorithm>

#include "live/import_steps.h"

namespace km::live {
namespace {

using emit::Value;

/// A scalar from a live document's config as the topology types it: whole numbers and booleans
/// as YAML writes them, anything else as a string.
Value config_value(const std::string& text) {
    bool integer = !text.empty() && text.size() < 19 &&
                   std::all_of(text.begin() + (text[0] == '-' ? 1 : 0), text.end(),
                               [](char c) { return c >= '0' && c <= '9'; }) &&
                   text != "-";
    if (integer) {
        return Value::number(text);
    }
    if (text == "true" || text == "false") {
        return Value::boolean(text == "true");
    }
    return Value::string(text);
}

Value express_mesh(const LiveState& state, const Listener& listener, const Identities& ids) {
    Value mesh = Value::mapping();
    if (ids.trust_domains.size() == 1 && *ids.trust_domains.begin() != "cluster.local") {
        mesh.set("trustDomain", Value::string(*ids.trust_domains.begin()));
    }
    for (const LivePeerAuthentication& pa : state.peer_authentications) {
        if (pa.ns == listener.kafka_ns && pa.name == "default" && pa.mode == "PERMISSIVE") {
            mesh.set("mtls", Value::string("permissive"));
        }
    }
    if (state.parts.contains(Part::policies)) {
        bool deny = std::any_of(
            state.policies.begin(), state.policies.end(),
            [&](const LivePolicy& p) { return p.ns == listener.kafka_ns && p.empty_spec; });
        if (!deny) {
            mesh.set("defaultDeny", Value::boolean(false));
        }
    }
    return mesh;
}

/// The cluster's super users, as the services the import wrote for them.
Value express_super_users(const LiveKafka& live, const std::vector<ServiceOut>& services,
                          std::vector<std::string>& comments) {
    Value supers = Value::sequence();
    for (const std::string& u : live.super_users) {
        std::string principal = "User:" + u;
        auto found = std::find_if(services.begin(), services.end(), [&](const ServiceOut& s) {
            return s.principal->principal == principal;
        });
        if (found == services.end()) {
            comments.push_back(fmt::format(
                "not imported: super user '{}', which no Kafka user of the input names", u));
            continue;
        }
        supers.push(Value::string(found->ns + "/" + found->name));
    }
    return supers;
}

/// The client listener's name, node count, authentication and port, where they differ from the
/// defaults.
void express_listener(const LiveState& state, const Listener& listener, Value& kafka) {
    if (state.kafka && !state.kafka->listener_name.empty() &&
        state.kafka->listener_name != (listener.authentication == "tls" ? "tls" : "plain")) {
        kafka.set("listenerName", Value::string(state.kafka->listener_name));
    }
    if (state.kafka && state.kafka->nodes) {
        kafka.set("nodes", Value::integer(*state.kafka->nodes));
    }
    if (listener.authentication == "tls") {
        kafka.set("authentication", Value::string("tls"));
    } else if (listener.authentication.empty() && state.kafka && !state.kafka->name.empty()) {
        bool external =
            std::any_of(state.principals.begin(), state.principals.end(),
                        [](const auto& e) { return e.second.authentication == "tls-external"; });
        if (external) {
            kafka.set("authentication", Value::string("mesh"));
        }
    }
    if (listener.port != "9092") {
        kafka.set("listenerPort", Value::number(listener.port));
    }
}

Value express_kafka(const LiveState& state, const Listener& listener, const Identities& ids,
                    const std::vector<ServiceOut>& services, std::vector<std::string>& comments) {
    Value kafka = Value::mapping();
    kafka.set("name", Value::string(listener.kafka_name));
    kafka.set("namespace", Value::string(listener.kafka_ns));
    if (!listener.labelled && (!state.kafka || state.kafka->name.empty())) {
        kafka.find("name")->comment(
            "not in the live input: the Kafka cluster's name and namespace are placeholders");
        kafka.set("distribution", Value::string("bitnami"));
    } else if (ids.bitnami_release) {
        kafka.set("distribution", Value::string("bitnami"));
    }
    kafka.set("managed", Value::boolean(false));
    if (ids.bitnami_release) {
        Value bitnami = Value::mapping();
        bitnami.set("release", Value::string(*ids.bitnami_release));
        kafka.set("bitnami", std::move(bitnami));
    }
    express_listener(state, listener, kafka);
    if (state.kafka && !state.kafka->super_users.empty()) {
        Value supers = express_super_users(*state.kafka, services, comments);
        if (!supers.empty()) {
            kafka.set("superUsers", std::move(supers));
        }
    }
    if (kafka.find("nodes") || kafka.find("superUsers")) {
        // What the running cluster holds, recorded for the checks (replication against the
        // node count, who-can for super users); an unmanaged topology never applies it, which
        // KM330 would otherwise repeat on every command.
        Value ack = Value::mapping();
        ack.set("code", Value::string("KM330"));
        ack.set("reason", Value::string("imported: the running cluster's own settings, "
                                        "recorded for the checks"));
        kafka.set("acknowledge", Value::sequence()).push(std::move(ack));
    }
    if (state.kafka && !state.kafka->version.empty()) {
        // The version describes the cluster itself, which an unmanaged topology never emits.
        kafka.comment(fmt::format("the cluster runs Kafka {}", state.kafka->version));
    }
    return kafka;
}

/// The KafkaTopics of the input, then the topics granted by exact name that none of them is.
Value express_topic_list(const LiveState& state, const std::set<std::string>& literal_topics) {
    Value topics = Value::sequence();
    for (const auto& [name, t] : state.topics) {
        Value v = Value::mapping();
        v.set("name", Value::string(name));
        if (!t.resource_name.empty() && t.resource_name != name) {
            // The KafkaTopic keeps its name: another one for the same topic would be refused
            // by the Topic Operator as a ResourceConflict.
            v.set("resourceName", Value::string(t.resource_name));
        }
        if (t.partitions) {
            v.set("partitions", Value::integer(*t.partitions));
        }
        if (t.replicas) {
            v.set("replicas", Value::integer(*t.replicas));
        }
        if (!t.config.empty()) {
            Value& config = v.set("config", Value::mapping());
            for (const auto& [k, val] : t.config) {
                config.set(k, config_value(val));
            }
        }
        topics.push(std::move(v));
    }
    for (const std::string& name : literal_topics) {
        if (!state.topics.contains(name) && name != "*") {
            Value v = Value::mapping();
            v.set("name", Value::string(name));
            v.set("external", Value::boolean(true));
            v.comment("granted in the cluster, not a KafkaTopic of the input");
            topics.push(std::move(v));
        }
    }
    return topics;
}

}  // namespace

Value express_platform(const LiveState& state, const Listener& listener, const Identities& ids,
                       const std::vector<ServiceOut>& services,
                       const std::set<std::string>& literal_topics,
                       std::vector<std::string> comments) {
    Value platform = Value::mapping();
    platform.set("apiVersion", Value::string("kafkamesh.io/v1alpha1"));
    platform.set("kind", Value::string("Topology"));
    platform.set("metadata", Value::mapping())
        .set("name", Value::string(sanitised_label(listener.kafka_name)));
    Value mesh = express_mesh(state, listener, ids);
    if (!mesh.empty()) {
        platform.set("mesh", std::move(mesh));
    }
    platform.set("kafka", express_kafka(state, listener, ids, services, comments));
    Value topics = express_topic_list(state, literal_topics);
    if (!topics.empty()) {
        platform.set("topics", std::move(topics));
    }
    comments.insert(comments.begin(), "imported from a running platform by kafkamesh import");
    platform.comment(fmt::format("{}", fmt::join(comments, "\n")));
    return platform;
}

}  // namespace km::live
