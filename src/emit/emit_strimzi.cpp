// Strimzi resources: the KRaft cluster, its node pool, topics, users with ACLs, and KafkaAccess.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <string_view>
#include <vector>

#include "emit/emit.h"
#include "emit/mesh_names.h"
#include "emit/pod_mesh.h"
#include "emit/token_auth.h"
#include "model/derived.h"
#include "util/strings.h"

namespace km::emit {

std::string strimzi_api_version(const model::Kafka& k) {
    return k.strimzi && k.strimzi->api == model::StrimziApi::v1beta2 ? "kafka.strimzi.io/v1beta2"
                                                                     : "kafka.strimzi.io/v1";
}

namespace {

Value strimzi_document(const EmitContext& c, const std::string& kind, const std::string& name,
                       std::map<std::string, std::string> labels = {},
                       std::map<std::string, std::string> annotations = {}) {
    const model::Kafka& k = *c.topology.kafka;
    Value doc = base_document(c, kind, name, k.ns.value, std::move(labels), std::move(annotations));
    doc.set("apiVersion", Value::string(strimzi_api_version(k)));
    return doc;
}

std::map<std::string, std::string> cluster_label(const model::Kafka& k) {
    return {{"strimzi.io/cluster", k.name.value}};
}

Value config_value(const model::ConfigValue& v) {
    switch (v.type) {
        case model::ConfigValue::Type::string:
            return Value::string(v.text);
        case model::ConfigValue::Type::boolean:
            return Value::boolean(v.text[0] == 't' || v.text[0] == 'T');
        default:
            return Value::number(v.text);
    }
}

Value config_map(const std::vector<model::ConfigEntry>& entries) {
    std::vector<const model::ConfigEntry*> sorted;
    for (const model::ConfigEntry& e : entries) {
        sorted.push_back(&e);
    }
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto* a, const auto* b) { return a->key.value < b->key.value; });
    Value map = Value::mapping();
    for (const model::ConfigEntry* e : sorted) {
        map.set(e->key.value, config_value(e->value));
    }
    return map;
}

/// Sidecar injection and start-up ordering for Strimzi's pod templates.
void mesh_pod_template(const EmitContext& c, Value& owner, PodRole role) {
    std::map<std::string, std::string> labels = mesh_pod_labels(c.topology, role);
    std::map<std::string, std::string> annotations = mesh_pod_annotations(c.topology, role);
    if (labels.empty() && annotations.empty()) {
        return;
    }
    Value& metadata = owner.set("template", Value::mapping())
                          .set("pod", Value::mapping())
                          .set("metadata", Value::mapping());
    for (const auto& [field, entries] :
         {std::pair{"labels", &labels}, std::pair{"annotations", &annotations}}) {
        if (!entries->empty()) {
            metadata.set(field, string_map(*entries));
        }
    }
}

void emit_kafka(const EmitContext& c, std::vector<Manifest>& out) {
    const model::Kafka& k = *c.topology.kafka;
    std::map<std::string, std::string> annotations;
    if (k.strimzi && k.strimzi->api == model::StrimziApi::v1beta2) {
        // Strimzi 0.45-0.47 runs KRaft with node pools only when asked; 0.48 ignores these.
        annotations = {{"strimzi.io/kraft", "enabled"}, {"strimzi.io/node-pools", "enabled"}};
    }
    Value doc = strimzi_document(c, "Kafka", k.name.value, {}, annotations);
    Value& spec = doc.set("spec", Value::mapping());
    Value& kafka = spec.set("kafka", Value::mapping());
    kafka.set("version", Value::string(k.version.value));
    Value& listener = kafka.set("listeners", Value::sequence()).push(Value::mapping());
    bool tls = k.authentication == model::Authentication::tls;
    listener.set("name", Value::string(k.listener()));
    listener.set("port", Value::integer(k.listener_port));
    listener.set("type", Value::string("internal"));
    listener.set("tls", Value::boolean(tls));
    if (k.authentication == model::Authentication::service_account_token) {
        // Custom listener authentication with Kafka's stock classes: every listenerConfig key is
        // written as listener.name.<listener>.<key> and the broker-wide sasl.enabled.mechanisms
        // is left empty (strimzi-kafka-operator 1.2.0, KafkaBrokerConfigurationBuilder
        // configureAuthentication and configureListeners).
        Value& authentication = listener.set("authentication", Value::mapping());
        authentication.set("type", Value::string("custom"));
        authentication.set("sasl", Value::boolean(true));
        Value& config = authentication.set("listenerConfig", Value::mapping());
        for (auto& [key, value] :
             model::token_listener_settings(k, "OAUTHBEARER", k_service_account_ca)) {
            config.set(key, Value::string(value));
        }
    } else if (k.authentication != model::Authentication::mesh) {
        listener.set("authentication", Value::mapping())
            .set("type", Value::string(tls ? "tls" : "scram-sha-512"));
    }
    Value& authorization = kafka.set("authorization", Value::mapping());
    authorization.set("type", Value::string("simple"));
    std::vector<std::string> super_users;
    for (const graph::Identity& id : c.graph.identities) {
        if (id.super_user) {
            super_users.push_back(id.principal_name);
        }
    }
    if (!super_users.empty()) {
        Value& list = authorization.set("superUsers", Value::sequence());
        for (const std::string& u : super_users) {
            list.push(Value::string(u));
        }
    }
    std::vector<model::ConfigEntry> config = k.config;
    auto add_default = [&](std::string key, model::ConfigValue::Type type, std::string text) {
        bool set_by_user = std::any_of(config.begin(), config.end(),
                                       [&](const auto& e) { return e.key.value == key; });
        if (!set_by_user) {
            config.push_back(
                {model::Text{std::move(key), {}}, model::ConfigValue{type, std::move(text), {}}});
        }
    };
    using T = model::ConfigValue::Type;
    add_default("allow.everyone.if.no.acl.found", T::boolean, "false");
    add_default("auto.create.topics.enable", T::boolean, "false");
    for (const model::ReplicationSetting& setting : model::replication_settings()) {
        add_default(std::string(setting.key), T::integer,
                    std::to_string(model::derived_replication_value(setting, k.nodes)));
    }
    kafka.set("config", config_map(config));
    bool tokens = k.authentication == model::Authentication::service_account_token;
    if (tokens) {
        // Kafka 4.x refuses every OAuth URL the JVM does not allow (BrokerSecurityConfigs
        // ALLOWED_SASL_OAUTHBEARER_URLS_CONFIG, exact match).
        Value& property = kafka.set("jvmOptions", Value::mapping())
                              .set("javaSystemProperties", Value::sequence())
                              .push(Value::mapping());
        property.set("name", Value::string(std::string(model::k_allowed_urls_property)));
        property.set("value", Value::string(model::token_options(k).jwks_url.value));
    }
    Value& entity = spec.set("entityOperator", Value::mapping());
    entity.set("topicOperator", Value::mapping());
    // No KafkaUser can name a service account's principal (a Kubernetes name holds no ':'), so
    // kafkamesh apply places those ACLs, and a User Operator would delete them as users it has no
    // KafkaUser for (user-operator KafkaUserOperator, the delete path of reconcile).
    if (!tokens) {
        entity.set("userOperator", Value::mapping());
    }
    mesh_pod_template(c, entity, PodRole::helper);
    add_document(c, out, rank::kafka, "Kafka", k.ns.value, k.name.value, std::move(doc));
}

void emit_node_pool(const EmitContext& c, std::vector<Manifest>& out) {
    const model::Kafka& k = *c.topology.kafka;
    std::string name = k.name.value + "-dual-role";
    Value doc = strimzi_document(c, "KafkaNodePool", name, cluster_label(k));
    Value& spec = doc.set("spec", Value::mapping());
    spec.set("replicas", Value::integer(k.nodes));
    Value& roles = spec.set("roles", Value::sequence());
    roles.push(Value::string("controller"));
    roles.push(Value::string("broker"));
    Value& storage = spec.set("storage", Value::mapping());
    storage.set("type", Value::string("jbod"));
    Value& volume = storage.set("volumes", Value::sequence()).push(Value::mapping());
    volume.set("id", Value::integer(0));
    volume.set("type", Value::string("persistent-claim"));
    volume.set("size", Value::string(k.storage.size.value));
    if (k.storage.storage_class) {
        volume.set("class", Value::string(k.storage.storage_class->value));
    }
    volume.set("deleteClaim", Value::boolean(false));
    volume.set("kraftMetadata", Value::string("shared"));
    mesh_pod_template(c, spec, PodRole::broker);
    add_document(c, out, rank::kafka_node_pool, "KafkaNodePool", k.ns.value, name, std::move(doc));
}

/// A Kubernetes name for a topic: the topic itself when valid, else a lowercase form with a
/// hash of the real name, so two topics never share a resource.
std::string topic_resource_name(const std::string& topic) {
    if (util::is_dns_subdomain(topic)) {
        return topic;
    }
    std::string base;
    for (char ch : topic) {
        unsigned char u = static_cast<unsigned char>(ch);
        base += std::isalnum(u) ? static_cast<char>(std::tolower(u)) : (ch == '.' ? '.' : '-');
    }
    std::string cleaned;
    for (char ch : base) {
        bool sep = ch == '-' || ch == '.';
        if (sep && (cleaned.empty() || cleaned.back() == '-' || cleaned.back() == '.')) {
            continue;
        }
        cleaned += ch;
    }
    std::uint32_t hash = util::fnv1a(topic);
    cleaned = cleaned.substr(0, 240);
    while (!cleaned.empty() && (cleaned.back() == '-' || cleaned.back() == '.')) {
        cleaned.pop_back();
    }
    return fmt::format("{}{}{:08x}", cleaned, cleaned.empty() ? "topic-" : "-", hash);
}

/// The owner of each declared topic, by index: the namespace of the identities that may write
/// it by name (a literal allow of Write or All, as `produces` gives), when they all live in one
/// namespace. A topic written by name from several namespaces, or by none (only through prefixes,
/// or by super users alone), is the platform's (""). Prefix grants decide nothing: one
/// `orders.*` producer would otherwise claim every team's topics under it.
std::vector<std::string> topic_owners(const EmitContext& c) {
    const std::vector<model::Topic>& topics = c.topology.topics;
    std::vector<std::pair<std::string_view, std::size_t>> by_name;
    by_name.reserve(topics.size());
    for (std::size_t i = 0; i < topics.size(); ++i) {
        by_name.emplace_back(topics[i].name.value, i);
    }
    std::sort(by_name.begin(), by_name.end());
    std::vector<std::string> owners(topics.size());
    std::vector<bool> shared(topics.size(), false);
    for (const graph::Identity& id : c.graph.identities) {
        if (id.super_user) {
            continue;
        }
        for (const graph::AclEntry& e : id.acls) {
            if (e.type != model::ResourceType::topic || e.effect != model::Effect::allow ||
                e.pattern != model::PatternType::literal ||
                (e.operation != model::Operation::Write && e.operation != model::Operation::All)) {
                continue;
            }
            auto it = std::lower_bound(by_name.begin(), by_name.end(),
                                       std::make_pair(std::string_view(e.name), std::size_t{0}));
            if (it == by_name.end() || it->first != e.name) {
                continue;  // the literal '*', or a topic the topology does not declare
            }
            std::string& owner = owners[it->second];
            if (owner.empty() && !shared[it->second]) {
                owner = id.ns;
            } else if (owner != id.ns) {
                shared[it->second] = true;
                owner.clear();
            }
        }
    }
    return owners;
}

/// Topics [first, last) of the topology.
void emit_topics(const EmitContext& c, const std::vector<std::string>& owners,
                 std::vector<Manifest>& out, std::size_t first, std::size_t last) {
    const model::Kafka& k = *c.topology.kafka;
    for (std::size_t i = first; i < last; ++i) {
        const model::Topic& t = c.topology.topics[i];
        if (t.external) {
            continue;
        }
        // An adopted KafkaTopic keeps its metadata.name: the Topic Operator marks a second
        // KafkaTopic for the same topic ResourceConflict and never reconciles it
        // (strimzi-kafka-operator 1.2.0, topic-operator BatchingTopicController.java).
        std::string name =
            t.resource_name ? t.resource_name->value : topic_resource_name(t.name.value);
        Value doc = strimzi_document(c, "KafkaTopic", name, cluster_label(k));
        Value& spec = doc.set("spec", Value::mapping());
        if (name != t.name.value) {
            spec.set("topicName", Value::string(t.name.value));
        }
        if (t.partitions) {
            spec.set("partitions", Value::integer(*t.partitions));
        }
        if (t.replicas) {
            spec.set("replicas", Value::integer(*t.replicas));
        }
        if (!t.config.empty()) {
            spec.set("config", config_map(t.config));
        }
        add_document(c, out, rank::kafka_topic, "KafkaTopic", k.ns.value, name, std::move(doc),
                     owners[i]);
    }
}

Value acl_list(const graph::Identity& id) {
    Value acls = Value::sequence();
    const graph::AclEntry* previous = nullptr;
    Value* operations = nullptr;
    for (const graph::AclEntry& e : graph::kafka_acls(id)) {
        bool same_rule = previous && previous->type == e.type && previous->pattern == e.pattern &&
                         previous->name == e.name && previous->effect == e.effect;
        if (!same_rule) {
            Value& acl = acls.push(Value::mapping());
            Value& resource = acl.set("resource", Value::mapping());
            resource.set("type", Value::string(std::string(model::resource_type_name(e.type))));
            if (e.type != model::ResourceType::cluster) {
                resource.set("name", Value::string(e.name));
                resource.set("patternType",
                             Value::string(std::string(model::pattern_type_name(e.pattern))));
            }
            acl.set("operations", Value::sequence());
            acl.set("host", Value::string("*"));
            acl.set("type", Value::string(e.effect == model::Effect::allow ? "allow" : "deny"));
            operations = acl.find("operations");
        }
        operations->push(Value::string(std::string(model::operation_name(e.operation))));
        previous = &e;
    }
    return acls;
}

/// The KafkaUser's authentication type, or "" for none. With 'mesh' the user has no credentials
/// of its own: the User Operator then installs its ACLs for User:<name> (KafkaUserOperator,
/// the scram-or-none branch; KafkaUserModel.getUserName), which is the principal the broker's
/// principal builder gives a mesh client. tls-external would put them on User:CN=<name>.
std::string authentication_type(model::Authentication a) {
    switch (a) {
        case model::Authentication::scram_sha_512:
            return "scram-sha-512";
        case model::Authentication::tls:
            return "tls";
        case model::Authentication::mesh:
        case model::Authentication::service_account_token:
            return "";
    }
    return "scram-sha-512";
}

/// KafkaUsers of identities [first, last) of the graph.
void emit_users(const EmitContext& c, std::vector<Manifest>& out, std::size_t first,
                std::size_t last) {
    const model::Kafka& k = *c.topology.kafka;
    for (std::size_t i = first; i < last; ++i) {
        const graph::Identity& id = c.graph.identities[i];
        if (!has_kafka_user(id)) {
            continue;
        }
        Value doc = strimzi_document(c, "KafkaUser", id.user, cluster_label(k));
        Value& spec = doc.set("spec", Value::mapping());
        if (std::string type = authentication_type(id.authentication); !type.empty()) {
            Value& authentication = spec.set("authentication", Value::mapping());
            authentication.set("type", Value::string(type));
            // An existing password: the User Operator takes it from this Secret rather than
            // generating one (KafkaUserModel.maybeGeneratePassword, strimzi-kafka-operator 1.2.0).
            if (!id.password_secret.empty() &&
                id.authentication == model::Authentication::scram_sha_512) {
                Value& ref = authentication.set("password", Value::mapping())
                                 .set("valueFrom", Value::mapping())
                                 .set("secretKeyRef", Value::mapping());
                ref.set("name", Value::string(id.password_secret));
                ref.set("key", Value::string(id.password_key));
            }
        }
        // A super user bypasses ACLs, so it carries none (graph::kafka_acls).
        if (!graph::kafka_acls(id).empty()) {
            Value& authorization = spec.set("authorization", Value::mapping());
            authorization.set("type", Value::string("simple"));
            authorization.set("acls", acl_list(id));
        }
        if (id.quotas) {
            Value& quotas = spec.set("quotas", Value::mapping());
            if (id.quotas->producer_byte_rate) {
                quotas.set("producerByteRate", Value::integer(*id.quotas->producer_byte_rate));
            }
            if (id.quotas->consumer_byte_rate) {
                quotas.set("consumerByteRate", Value::integer(*id.quotas->consumer_byte_rate));
            }
            if (id.quotas->request_percentage) {
                quotas.set("requestPercentage", Value::integer(*id.quotas->request_percentage));
            }
            if (id.quotas->controller_mutation_rate) {
                quotas.set("controllerMutationRate",
                           Value::number(id.quotas->controller_mutation_rate->text));
            }
        }
        add_document(c, out, rank::kafka_user, "KafkaUser", k.ns.value, id.user, std::move(doc),
                     id.ns);
    }
}

/// KafkaAccess resources of identities [first, last) of the graph.
void emit_access(const EmitContext& c, std::vector<Manifest>& out, std::size_t first,
                 std::size_t last) {
    const model::Kafka& k = *c.topology.kafka;
    for (std::size_t i = first; i < last; ++i) {
        const graph::Identity& id = c.graph.identities[i];
        // In the Kafka namespace the User Operator's Secret already has the KafkaAccess's
        // default Secret name (the KafkaAccess name, KafkaAccessReconciler.determineSecretName),
        // and the Access Operator, which only sees Secrets it labelled itself, would fail to
        // create it on every reconcile; the service reads the User Operator's Secret instead.
        if (!has_kafka_user(id) || id.ns == k.ns.value) {
            continue;
        }
        Value doc = base_document(c, "KafkaAccess", id.user, id.ns);
        Value& spec = doc.set("spec", Value::mapping());
        Value& kafka = spec.set("kafka", Value::mapping());
        kafka.set("name", Value::string(k.name.value));
        kafka.set("namespace", Value::string(k.ns.value));
        kafka.set("listener", Value::string(k.listener()));
        Value& user = spec.set("user", Value::mapping());
        user.set("kind", Value::string("KafkaUser"));
        user.set("apiGroup", Value::string("kafka.strimzi.io"));
        user.set("name", Value::string(id.user));
        user.set("namespace", Value::string(k.ns.value));
        add_document(c, out, rank::kafka_access, "KafkaAccess", id.ns, id.user, std::move(doc));
    }
}

}  // namespace

/// Every identity of a cluster with credentials has a KafkaUser, even one granted nothing: the
/// User Operator deletes the SCRAM credentials, quotas and ACLs of every user it does not find a
/// KafkaUser for and does not ignore (strimzi-kafka-operator 1.2.0, user-operator
/// UserController.java and KafkaUserOperator.java, the delete path of reconcile), so a user
/// without one would lose its login. With 'mesh' only one that holds something has one.
bool has_kafka_user(const graph::Identity& id) {
    if (id.authentication == model::Authentication::service_account_token) {
        return false;  // its ACLs are kafkamesh apply's (token_auth.h)
    }
    return !id.acls.empty() || id.super_user || id.quotas ||
           id.authentication != model::Authentication::mesh;
}

void add_topic_and_user_jobs(const EmitContext& c, std::vector<EmitJob>& jobs) {
    auto owners = std::make_shared<const std::vector<std::string>>(topic_owners(c));
    add_slices(jobs, c.topology.topics.size(),
               [owners](const EmitContext& context, std::vector<Manifest>& out, std::size_t first,
                        std::size_t last) { emit_topics(context, *owners, out, first, last); });
    add_slices(jobs, c.graph.identities.size(), emit_users);
}

void add_strimzi_jobs(const EmitContext& c, std::vector<EmitJob>& jobs) {
    if (c.topology.kafka->managed) {
        // A cluster that runs already (kafka.managed: false) is only referenced: its users and
        // topics carry its strimzi.io/cluster label, its own resources are not emitted.
        jobs.emplace_back([](const EmitContext& context, std::vector<Manifest>& out) {
            emit_kafka(context, out);
            emit_node_pool(context, out);
        });
    }
    add_topic_and_user_jobs(c, jobs);
    if (c.topology.kafka->authentication == model::Authentication::service_account_token) {
        jobs.emplace_back(emit_issuer_discovery_binding);
    }
    // With 'mesh' there is no credential to deliver, and the Access Operator refuses a user
    // whose authentication the listener does not match (KafkaParser.listenerAndUserAuthCompatible).
    if (c.topology.kafka->strimzi && c.topology.kafka->strimzi->access_operator &&
        c.topology.kafka->authentication != model::Authentication::mesh) {
        add_slices(jobs, c.graph.identities.size(), emit_access);
    }
}

}  // namespace km::emit
