#include "live/kubernetes_documents.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <string>
#include <string_view>

namespace km::live {
namespace {

using source::no_node;
using source::NodeId;
using source::NodeKind;
using source::YamlDocument;

class DocReader {
  public:
    DocReader(const YamlDocument& doc, LiveState& state, diag::DiagnosticSink& sink)
        : m_doc(doc), m_state(state), m_sink(sink) {}

    void read_root() {
        NodeId root = m_doc.root;
        if (kind_of(root) == "List" || ends_with(kind_of(root), "List")) {
            NodeId items = get(root, "items");
            if (items == no_node || node(items).kind == NodeKind::null) {
                return;
            }
            if (!expect(items, NodeKind::sequence, "'items' of a List")) {
                return;
            }
            for (NodeId item : m_doc.children(items)) {
                read_object(item);
            }
            return;
        }
        read_object(root);
    }

  private:
    const source::YamlNode& node(NodeId id) const { return m_doc.node(id); }

    static bool ends_with(std::string_view s, std::string_view tail) {
        return s.size() > tail.size() && s.substr(s.size() - tail.size()) == tail;
    }

    NodeId get(NodeId mapping, std::string_view key) const {
        if (mapping == no_node || node(mapping).kind != NodeKind::mapping) {
            return no_node;
        }
        for (std::size_t i = 0; i < m_doc.entry_count(mapping); ++i) {
            if (node(m_doc.key(mapping, i)).value == key) {
                return m_doc.value(mapping, i);
            }
        }
        return no_node;
    }

    NodeId path(NodeId from, std::initializer_list<std::string_view> keys) const {
        NodeId at = from;
        for (std::string_view k : keys) {
            at = get(at, k);
        }
        return at;
    }

    std::string scalar(NodeId id) const {
        return id != no_node && node(id).kind == NodeKind::scalar ? node(id).value : "";
    }

    std::string kind_of(NodeId object) const { return scalar(get(object, "kind")); }

    bool expect(NodeId id, NodeKind kind, std::string_view what) {
        if (node(id).kind == kind) {
            return true;
        }
        m_sink.report(diag::Code::KM701, node(id).location,
                      fmt::format("{} must be {}, not {}", what, source::kind_name(kind),
                                  source::kind_name(node(id).kind)));
        return false;
    }

    std::optional<long long> integer(NodeId id, std::string_view what) {
        if (id == no_node || node(id).kind == NodeKind::null) {
            return std::nullopt;
        }
        const std::string& text = node(id).value;
        long long value = 0;
        bool ok =
            node(id).kind == NodeKind::scalar && !text.empty() && text.size() < 19 &&
            std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (ok) {
            value = std::stoll(text);
            return value;
        }
        m_sink.report(diag::Code::KM701, node(id).location,
                      fmt::format("{} must be a whole number", what));
        return std::nullopt;
    }

    /// A mapping of scalars (labels, config): anything else in it is malformed.
    std::map<std::string, std::string> string_map(NodeId id, std::string_view what) {
        std::map<std::string, std::string> out;
        if (id == no_node || node(id).kind == NodeKind::null) {
            return out;
        }
        if (!expect(id, NodeKind::mapping, what)) {
            return out;
        }
        for (std::size_t i = 0; i < m_doc.entry_count(id); ++i) {
            NodeId v = m_doc.value(id, i);
            if (node(v).kind == NodeKind::mapping || node(v).kind == NodeKind::sequence) {
                m_sink.report(diag::Code::KM701, node(v).location,
                              fmt::format("a value of {} must be a scalar", what));
                continue;
            }
            out[node(m_doc.key(id, i)).value] = node(v).value;
        }
        return out;
    }

    std::vector<std::pair<std::string, diag::Location>> strings(NodeId id, std::string_view what) {
        std::vector<std::pair<std::string, diag::Location>> out;
        if (id == no_node || node(id).kind == NodeKind::null) {
            return out;
        }
        if (!expect(id, NodeKind::sequence, what)) {
            return out;
        }
        for (NodeId item : m_doc.children(id)) {
            if (expect(item, NodeKind::scalar, fmt::format("an item of {}", what))) {
                out.emplace_back(node(item).value, node(item).location);
            }
        }
        return out;
    }

    void read_object(NodeId object) {
        if (!expect(object, NodeKind::mapping, "a Kubernetes document")) {
            return;
        }
        std::string kind = kind_of(object);
        NodeId metadata = get(object, "metadata");
        std::string name = scalar(get(metadata, "name"));
        std::string ns = scalar(get(metadata, "namespace"));
        diag::Location where = node(object).location;
        if (kind.empty() || name.empty()) {
            m_sink.report(diag::Code::KM701, where,
                          "a Kubernetes document without 'kind' or 'metadata.name'");
            return;
        }
        NodeId spec = get(object, "spec");
        if (kind == "KafkaUser" || kind == "KafkaTopic") {
            // The User and Topic Operators watch only the resources labelled with their cluster
            // (strimzi/strimzi-kafka-operator, operator-common/src/main/java/io/strimzi/operator/
            // common/model/Labels.java, STRIMZI_CLUSTER_LABEL "strimzi.io/cluster").
            std::string cluster = scalar(path(metadata, {"labels", "strimzi.io/cluster"}));
            if (!cluster.empty() && !ns.empty()) {
                m_state.cluster_labels.insert({ns, cluster});
            }
        }
        if (kind == "Kafka") {
            read_kafka(name, ns, spec, where);
        } else if (kind == "KafkaNodePool") {
            read_node_pool(spec);
        } else if (kind == "KafkaUser") {
            read_user(name, ns, spec, where);
        } else if (kind == "KafkaTopic") {
            read_topic(name, spec, where);
        } else if (kind == "Namespace") {
            LiveNamespace& n = m_state.namespaces[name];
            n.name = name;
            n.labels = string_map(get(metadata, "labels"), "metadata.labels");
            n.location = where;
        } else if (kind == "PeerAuthentication") {
            read_peer_authentication(name, ns, spec, where);
        } else if (kind == "AuthorizationPolicy") {
            std::size_t before = m_state.policies.size();
            read_authorization_policy(name, ns, spec, where);
            if (m_state.policies.size() > before) {
                m_state.policies.back().topology_label =
                    scalar(path(metadata, {"labels", "kafkamesh.io/topology"}));
            }
        } else if (kind == "KafkaAccess") {
            // The Access Operator's Secret placement (spec.user: kind, apiGroup, name, namespace;
            // strimzi/kafka-access-operator,
            // api/src/main/java/io/strimzi/kafka/access/model/KafkaUserReference.java):
            // no grant depends on it; import uses it to find the namespace of a user's clients.
            NodeId user = get(spec, "user");
            std::string user_kind = scalar(get(user, "kind"));
            std::string user_name = scalar(get(user, "name"));
            if (!ns.empty() && !user_name.empty() &&
                (user_kind.empty() || user_kind == "KafkaUser")) {
                m_state.access_namespaces[user_name].insert(ns);
            }
        } else if (kind == "Topology" &&
                   scalar(get(object, "apiVersion")).starts_with("kafkamesh.io/")) {
            auto& d = m_sink.report(diag::Code::KM705, where,
                                    "a kafkamesh topology, not the state of a running platform");
            diag::add_help(d,
                           "give the files 'kubectl get -o yaml', 'kafka-acls.sh --list' and "
                           "'kafka-configs.sh --describe' exported; drift takes the topology "
                           "first: kafkamesh drift TOPOLOGY --live LIVE...");
        } else {
            auto& d = m_sink.report(diag::Code::KM702, where,
                                    fmt::format("{} '{}' is skipped: the live readers use Kafka, "
                                                "KafkaNodePool, KafkaUser, KafkaTopic, "
                                                "KafkaAccess, Namespace, PeerAuthentication and "
                                                "AuthorizationPolicy",
                                                kind, name));
            (void)d;
        }
    }

    void read_kafka(const std::string& name, const std::string& ns, NodeId spec,
                    diag::Location where) {
        if (m_state.kafka && !m_state.kafka->name.empty() && m_state.kafka->name != name) {
            auto& d = m_sink.report(diag::Code::KM701, where,
                                    fmt::format("a second Kafka cluster '{}'; a topology "
                                                "describes one cluster",
                                                name));
            diag::add_note(d, m_state.kafka->location, "the first one");
            return;
        }
        LiveKafka k;
        k.name = name;
        k.ns = ns;
        k.location = where;
        NodeId kafka = get(spec, "kafka");
        k.version = scalar(get(kafka, "version"));
        NodeId listeners = get(kafka, "listeners");
        if (listeners != no_node && expect(listeners, NodeKind::sequence, "spec.kafka.listeners")) {
            // The first internal listener is the one clients in the mesh use; Strimzi's own
            // replication and control-plane listeners are not in this list.
            for (NodeId l : m_doc.children(listeners)) {
                if (scalar(get(l, "type")) != "internal") {
                    continue;
                }
                if (auto port = integer(get(l, "port"), "a listener's port")) {
                    k.listener_port = *port;
                }
                k.authentication = scalar(path(l, {"authentication", "type"}));
                k.listener_name = scalar(get(l, "name"));
                break;
            }
        }
        for (auto& [user, at] :
             strings(path(kafka, {"authorization", "superUsers"}), "superUsers")) {
            k.super_users.push_back(user);
        }
        k.config = string_map(get(kafka, "config"), "spec.kafka.config");
        k.user_secret_prefix =
            scalar(path(spec, {"entityOperator", "userOperator", "secretPrefix"}));
        std::optional<long long> nodes = m_state.kafka ? m_state.kafka->nodes : std::nullopt;
        k.nodes = nodes;
        m_state.kafka = std::move(k);
        m_state.parts.insert(Part::kafka);
    }

    void read_node_pool(NodeId spec) {
        bool broker = false;
        for (auto& [role, at] : strings(get(spec, "roles"), "spec.roles")) {
            broker = broker || role == "broker";
        }
        std::optional<long long> replicas = integer(get(spec, "replicas"), "spec.replicas");
        if (!broker || !replicas) {
            return;
        }
        if (!m_state.kafka) {
            m_state.kafka.emplace();
        }
        m_state.kafka->nodes = m_state.kafka->nodes.value_or(0) + *replicas;
    }

    std::optional<model::Operation> operation(NodeId id) {
        if (!expect(id, NodeKind::scalar, "an ACL operation")) {
            return std::nullopt;
        }
        if (auto op = model::parse_operation(node(id).value)) {
            return op;
        }
        m_sink.report(diag::Code::KM703, node(id).location,
                      fmt::format("operation '{}' is not one a topology can grant; the entry is "
                                  "left out",
                                  node(id).value));
        return std::nullopt;
    }

    void read_user(const std::string& name, const std::string& ns, NodeId spec,
                   diag::Location where) {
        std::string authentication = scalar(path(spec, {"authentication", "type"}));
        LivePrincipal& p = m_state.principal(kafka_user_principal(name, authentication));
        if (p.from_kafka_user) {
            m_sink.report(diag::Code::KM701, where,
                          fmt::format("KafkaUser '{}' appears twice in the input", name));
            return;
        }
        p.user = name;
        p.authentication = authentication;
        NodeId ref = path(spec, {"authentication", "password", "valueFrom", "secretKeyRef"});
        p.password_secret = scalar(get(ref, "name"));
        p.password_key = scalar(get(ref, "key"));
        p.from_kafka_user = true;
        p.location = where;
        (void)ns;
        m_state.parts.insert(Part::users);
        NodeId acls = path(spec, {"authorization", "acls"});
        if (acls != no_node && expect(acls, NodeKind::sequence, "spec.authorization.acls")) {
            for (NodeId rule : m_doc.children(acls)) {
                read_acl_rule(rule, p);
            }
        }
        NodeId quotas = get(spec, "quotas");
        if (quotas != no_node && expect(quotas, NodeKind::mapping, "spec.quotas")) {
            // Strimzi's KafkaUserQuotas names each Kafka quota key in camel case.
            static const std::pair<std::string_view, std::string_view> keys[] = {
                {"producerByteRate", "producer_byte_rate"},
                {"consumerByteRate", "consumer_byte_rate"},
                {"requestPercentage", "request_percentage"},
                {"controllerMutationRate", "controller_mutation_rate"},
            };
            LiveQuotas q;
            q.location = node(quotas).location;
            for (auto [camel, kafka_key] : keys) {
                NodeId v = get(quotas, camel);
                if (v != no_node && expect(v, NodeKind::scalar, std::string(camel))) {
                    q.values[std::string(kafka_key)] = node(v).value;
                }
            }
            p.quotas = std::move(q);
        }
    }

    void read_acl_rule(NodeId rule, LivePrincipal& p) {
        if (!expect(rule, NodeKind::mapping, "an ACL rule")) {
            return;
        }
        NodeId resource = get(rule, "resource");
        if (resource == no_node) {
            m_sink.report(diag::Code::KM701, node(rule).location, "an ACL rule without 'resource'");
            return;
        }
        LiveAcl base;
        base.location = node(rule).location;
        // Strimzi's AclRule: host defaults to "*", type to allow, patternType to literal
        // (api/.../user/acl/AclRule.java and AclRuleTopicResource.java).
        std::string type = scalar(get(resource, "type"));
        if (type == "topic") {
            base.type = model::ResourceType::topic;
        } else if (type == "group") {
            base.type = model::ResourceType::group;
        } else if (type == "transactionalId") {
            base.type = model::ResourceType::transactional_id;
        } else if (type == "cluster") {
            base.type = model::ResourceType::cluster;
        } else {
            m_sink.report(diag::Code::KM703, node(resource).location,
                          fmt::format("resource type '{}' is not one a topology can grant; the "
                                      "rule is left out",
                                      type));
            return;
        }
        base.name = base.type == model::ResourceType::cluster ? "kafka-cluster"
                                                              : scalar(get(resource, "name"));
        std::string pattern = scalar(get(resource, "patternType"));
        base.pattern =
            pattern == "prefix" ? model::PatternType::prefix : model::PatternType::literal;
        if (!pattern.empty() && pattern != "prefix" && pattern != "literal") {
            m_sink.report(diag::Code::KM701, node(get(resource, "patternType")).location,
                          fmt::format("patternType '{}' is neither literal nor prefix", pattern));
            return;
        }
        if (base.type != model::ResourceType::cluster && base.name.empty()) {
            m_sink.report(diag::Code::KM701, node(resource).location,
                          "an ACL resource without a name");
            return;
        }
        std::string effect = scalar(get(rule, "type"));
        base.effect = effect == "deny" ? model::Effect::deny : model::Effect::allow;
        NodeId host = get(rule, "host");
        base.host = host == no_node ? "*" : scalar(host);
        std::vector<NodeId> ops;
        NodeId operations = get(rule, "operations");
        if (operations != no_node && expect(operations, NodeKind::sequence, "operations")) {
            for (NodeId op : m_doc.children(operations)) {
                ops.push_back(op);
            }
        }
        if (NodeId single = get(rule, "operation"); single != no_node) {
            ops.push_back(single);  // the deprecated singular field
        }
        for (NodeId op_node : ops) {
            if (auto op = operation(op_node)) {
                LiveAcl acl = base;
                acl.operation = *op;
                p.acls.push_back(std::move(acl));
            }
        }
    }

    void read_topic(const std::string& name, NodeId spec, diag::Location where) {
        std::string topic_name = scalar(get(spec, "topicName"));
        LiveTopic t;
        t.name = topic_name.empty() ? name : topic_name;
        t.resource_name = name;
        t.location = where;
        t.partitions = integer(get(spec, "partitions"), "spec.partitions");
        t.replicas = integer(get(spec, "replicas"), "spec.replicas");
        t.config = string_map(get(spec, "config"), "spec.config");
        m_state.topics[t.name] = std::move(t);
        m_state.parts.insert(Part::topics);
    }

    void read_peer_authentication(const std::string& name, const std::string& ns, NodeId spec,
                                  diag::Location where) {
        LivePeerAuthentication pa;
        pa.ns = ns;
        pa.name = name;
        pa.location = where;
        pa.mode = scalar(path(spec, {"mtls", "mode"}));
        pa.has_selector = get(spec, "selector") != no_node;
        NodeId ports = get(spec, "portLevelMtls");
        if (ports != no_node && expect(ports, NodeKind::mapping, "spec.portLevelMtls")) {
            for (std::size_t i = 0; i < m_doc.entry_count(ports); ++i) {
                pa.port_modes[node(m_doc.key(ports, i)).value] =
                    scalar(get(m_doc.value(ports, i), "mode"));
            }
        }
        m_state.peer_authentications.push_back(std::move(pa));
        m_state.parts.insert(Part::peer_authentications);
    }

    void read_authorization_policy(const std::string& name, const std::string& ns, NodeId spec,
                                   diag::Location where) {
        LivePolicy p;
        p.ns = ns;
        p.name = name;
        p.location = where;
        m_state.parts.insert(Part::policies);
        if (spec == no_node ||
            (node(spec).kind == NodeKind::mapping && m_doc.entry_count(spec) == 0)) {
            p.empty_spec = true;
            m_state.policies.push_back(std::move(p));
            return;
        }
        if (!expect(spec, NodeKind::mapping, "spec")) {
            return;
        }
        if (std::string action = scalar(get(spec, "action")); !action.empty()) {
            p.action = action;
        }
        p.selector = string_map(path(spec, {"selector", "matchLabels"}), "selector.matchLabels");
        NodeId rules = get(spec, "rules");
        if (rules != no_node && expect(rules, NodeKind::sequence, "spec.rules")) {
            for (NodeId rule : m_doc.children(rules)) {
                read_policy_rule(rule, p);
            }
        }
        m_state.policies.push_back(std::move(p));
    }

    /// How a rule's `from` or `to` list is written: each item holds one object, and of that
    /// object's fields a topology writes only one.
    struct RuleList {
        std::string_view key;     ///< "from"
        std::string_view object;  ///< "source"
        std::string_view field;   ///< "principals"
    };
    static constexpr RuleList k_from{"from", "source", "principals"};
    static constexpr RuleList k_to{"to", "operation", "ports"};

    /// The items of a rule's `from` or `to`: the values of the field a topology writes go to
    /// `values`, every other field is reported as unsupported.
    void read_rule_list(NodeId list, const RuleList& l, std::set<std::string>& values,
                        LivePolicy& p) {
        for (NodeId item : m_doc.children(list)) {
            NodeId object = get(item, l.object);
            if (object == no_node ||
                !expect(object, NodeKind::mapping, fmt::format("{}[].{}", l.key, l.object))) {
                continue;
            }
            for (std::size_t j = 0; j < m_doc.entry_count(object); ++j) {
                std::string field = node(m_doc.key(object, j)).value;
                NodeId v = m_doc.value(object, j);
                if (field == l.field) {
                    for (auto& [value, at] : strings(v, fmt::format("{}.{}", l.object, l.field))) {
                        values.insert(value);
                    }
                } else {
                    p.unsupported.push_back({fmt::format("{} field '{}'", l.object, field),
                                             node(m_doc.key(object, j)).location});
                }
            }
        }
    }

    void read_policy_rule(NodeId rule, LivePolicy& p) {
        if (!expect(rule, NodeKind::mapping, "a rule")) {
            return;
        }
        // Istio's security/v1beta1/authorization.proto: Source and Operation fields. Only
        // principals and ports are what a topology writes; anything else is reported.
        for (std::size_t i = 0; i < m_doc.entry_count(rule); ++i) {
            std::string key = node(m_doc.key(rule, i)).value;
            NodeId value = m_doc.value(rule, i);
            if (key == "from" && expect(value, NodeKind::sequence, "rules[].from")) {
                read_rule_list(value, k_from, p.principals, p);
            } else if (key == "to" && expect(value, NodeKind::sequence, "rules[].to")) {
                read_rule_list(value, k_to, p.ports, p);
            } else if (key == "when") {
                p.unsupported.push_back({"a 'when' condition", node(m_doc.key(rule, i)).location});
            }
        }
        if (get(rule, "from") == no_node) {
            p.unsupported.push_back({"a rule without 'from' (any source)", node(rule).location});
        }
    }

    const YamlDocument& m_doc;
    LiveState& m_state;
    diag::DiagnosticSink& m_sink;
};

}  // namespace

void read_kubernetes_document(const source::YamlDocument& doc, LiveState& state,
                              diag::DiagnosticSink& sink) {
    DocReader(doc, state, sink).read_root();
}

}  // namespace km::live
