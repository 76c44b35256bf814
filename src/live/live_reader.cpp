#include "live/live_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>

#include "source/yaml_loader.h"
#include "util/strings.h"

namespace km::live {

LivePrincipal& LiveState::principal(const std::string& name) {
    LivePrincipal& p = principals[name];
    p.principal = name;
    return p;
}

std::string kafka_user_principal(const std::string& user, const std::string& authentication) {
    return "User:" + (authentication == "tls" ? "CN=" + user : user);
}

namespace {

using source::no_node;
using source::NodeId;
using source::NodeKind;
using source::YamlDocument;

// ---------------------------------------------------------------------------------------------
// Kubernetes documents

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
                for (NodeId from : m_doc.children(value)) {
                    NodeId src = get(from, "source");
                    if (src == no_node || !expect(src, NodeKind::mapping, "from[].source")) {
                        continue;
                    }
                    for (std::size_t j = 0; j < m_doc.entry_count(src); ++j) {
                        std::string field = node(m_doc.key(src, j)).value;
                        NodeId v = m_doc.value(src, j);
                        if (field == "principals") {
                            for (auto& [principal, at] : strings(v, "source.principals")) {
                                p.principals.insert(principal);
                            }
                        } else {
                            p.unsupported.push_back({fmt::format("source field '{}'", field),
                                                     node(m_doc.key(src, j)).location});
                        }
                    }
                }
            } else if (key == "to" && expect(value, NodeKind::sequence, "rules[].to")) {
                for (NodeId to : m_doc.children(value)) {
                    NodeId op = get(to, "operation");
                    if (op == no_node || !expect(op, NodeKind::mapping, "to[].operation")) {
                        continue;
                    }
                    for (std::size_t j = 0; j < m_doc.entry_count(op); ++j) {
                        std::string field = node(m_doc.key(op, j)).value;
                        NodeId v = m_doc.value(op, j);
                        if (field == "ports") {
                            for (auto& [port, at] : strings(v, "operation.ports")) {
                                p.ports.insert(port);
                            }
                        } else {
                            p.unsupported.push_back({fmt::format("operation field '{}'", field),
                                                     node(m_doc.key(op, j)).location});
                        }
                    }
                }
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

// ---------------------------------------------------------------------------------------------
// kafka-acls.sh --list
//
// Kafka 3.x (core/src/main/scala/kafka/admin/AclCommand.scala, printResourceAcls) prints
//   s"Current ACLs for resource `$resource`: $Newline ${acls.map("\t" + _).mkString(Newline)}
//   $Newline"
// and Kafka 4.x (tools/src/main/java/org/apache/kafka/tools/AclCommand.java, printResourceAcls)
//   "Current ACLs for resource `" + resource + "`:" + NL + "\t" + acl (joined by NL) + NL
// with `ACLs for principal `<p>`` before each principal's block under --principal. The resource is
// ResourcePattern#toString, "ResourcePattern(resourceType=TOPIC, name=x, patternType=LITERAL)",
// each entry AccessControlEntryData#toString,
// "(principal=User:x, host=*, operation=READ, permissionType=ALLOW)".

struct LineReader {
    const source::SourceManager& sources;
    std::uint32_t file;
    diag::DiagnosticSink& sink;

    diag::Location at(std::uint32_t line, std::size_t column = 0) const {
        return diag::Location{file, line, static_cast<std::uint32_t>(column + 1), 0};
    }
};

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
        s.remove_suffix(1);
    }
    return s;
}

std::size_t indent_of(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) {
        ++i;
    }
    return i;
}

/// The value of `key=` in a "(a=x, b=y, c=z)" text, ending at the next of `next`, or at the end.
/// Searched from the right for the later keys, because principals and group names may hold ", ".
std::optional<std::string> field(std::string_view text, std::string_view key,
                                 std::string_view next) {
    std::size_t start = text.find(key);
    if (start == std::string_view::npos) {
        return std::nullopt;
    }
    start += key.size();
    std::size_t end = next.empty() ? text.size() : text.rfind(next);
    if (end == std::string_view::npos || end < start) {
        return std::nullopt;
    }
    return std::string(text.substr(start, end - start));
}

std::optional<model::Operation> kafka_operation(std::string_view upper) {
    // AclOperation's enum names; the topology spells them as Strimzi does.
    static const std::pair<std::string_view, model::Operation> ops[] = {
        {"ALL", model::Operation::All},
        {"READ", model::Operation::Read},
        {"WRITE", model::Operation::Write},
        {"CREATE", model::Operation::Create},
        {"DELETE", model::Operation::Delete},
        {"ALTER", model::Operation::Alter},
        {"DESCRIBE", model::Operation::Describe},
        {"CLUSTER_ACTION", model::Operation::ClusterAction},
        {"DESCRIBE_CONFIGS", model::Operation::DescribeConfigs},
        {"ALTER_CONFIGS", model::Operation::AlterConfigs},
        {"IDEMPOTENT_WRITE", model::Operation::IdempotentWrite},
    };
    for (auto [name, op] : ops) {
        if (upper == name) {
            return op;
        }
    }
    return std::nullopt;
}

/// A token ACL stops Strimzi's User Operator: its ACL cache converts every ACL of the cluster,
/// ignored users' included, and throws on the resource types USER and DELEGATION_TOKEN and the
/// operations CREATE_TOKENS and DESCRIBE_TOKENS, then drops the cache, so every reconcile fails
/// (strimzi-kafka-operator 1.2.0, user-operator SimpleAclRuleResource.fromKafkaResourcePattern,
/// SimpleAclRule.fromKafkaAclOperation, AbstractCache.updateCache). kafkamesh runs that operator
/// on both distributions: an error, never a skipped entry.
void report_token_acl(const LineReader& r, diag::Location at, const std::string& what) {
    auto& d = r.sink.report(diag::Code::KM704, at,
                            fmt::format("an ACL with {} is in the cluster: Strimzi's User "
                                        "Operator cannot read it and stops reconciling every "
                                        "KafkaUser",
                                        what));
    diag::add_help(d,
                   "remove the token ACLs (kafka-acls.sh --remove) before adopting the "
                   "cluster; delegation tokens cannot be managed next to the User Operator");
}

void read_acl_text(const LineReader& r, LiveState& state) {
    state.parts.insert(Part::acls);
    const std::string& text = r.sources.file(r.file).text;
    std::optional<LiveAcl> resource;  // the current block's resource, no operation yet
    bool skip_block = false;
    std::uint32_t number = 0;
    std::size_t begin = 0;
    while (begin < text.size()) {
        std::size_t end = text.find('\n', begin);
        if (end == std::string::npos) {
            end = text.size();
        }
        std::string_view raw(text.data() + begin, end - begin);
        begin = end + 1;
        ++number;
        std::string_view line = trim(raw);
        std::size_t column = indent_of(raw);
        // "#" lines are never printed by the tool: a note an operator added to the export.
        if (line.empty() || line.starts_with("#") || line.starts_with("ACLs for principal `")) {
            continue;
        }
        if (line.starts_with("Current ACLs for resource `ResourcePattern(")) {
            std::string_view body =
                line.substr(std::string_view("Current ACLs for resource `").size());
            std::size_t close = body.rfind(")`:");
            auto type = field(body, "resourceType=", ", name=");
            auto name = field(body, ", name=", ", patternType=");
            auto pattern = close == std::string_view::npos
                               ? std::nullopt
                               : field(body.substr(0, close), ", patternType=", "");
            if (!type || !name || !pattern) {
                r.sink.report(diag::Code::KM701, r.at(number, column),
                              "a resource line not in the form kafka-acls.sh prints: "
                              "ResourcePattern(resourceType=..., name=..., patternType=...)");
                resource.reset();
                skip_block = true;
                continue;
            }
            LiveAcl acl;
            skip_block = false;
            acl.location = r.at(number, column);
            static const std::pair<std::string_view, model::ResourceType> types[] = {
                {"TOPIC", model::ResourceType::topic},
                {"GROUP", model::ResourceType::group},
                {"CLUSTER", model::ResourceType::cluster},
                {"TRANSACTIONAL_ID", model::ResourceType::transactional_id},
            };
            bool known = false;
            for (auto [spelled, t] : types) {
                if (*type == spelled) {
                    acl.type = t;
                    known = true;
                }
            }
            if (!known && (*type == "USER" || *type == "DELEGATION_TOKEN")) {
                report_token_acl(r, r.at(number, column), fmt::format("resource type {}", *type));
                resource.reset();
                skip_block = true;
                continue;
            }
            if (!known) {
                r.sink.report(diag::Code::KM703, r.at(number, column),
                              fmt::format("resource type {} is not one a topology can grant; its "
                                          "entries are left out",
                                          *type));
                resource.reset();
                skip_block = true;
                continue;
            }
            if (*pattern != "LITERAL" && *pattern != "PREFIXED") {
                r.sink.report(
                    diag::Code::KM701, r.at(number, column),
                    fmt::format("pattern type '{}' is neither LITERAL nor PREFIXED", *pattern));
                resource.reset();
                skip_block = true;
                continue;
            }
            acl.pattern =
                *pattern == "PREFIXED" ? model::PatternType::prefix : model::PatternType::literal;
            acl.name = acl.type == model::ResourceType::cluster ? "kafka-cluster" : *name;
            resource = std::move(acl);
            continue;
        }
        if (line.starts_with("(principal=")) {
            if (skip_block) {
                continue;
            }
            if (!resource) {
                r.sink.report(diag::Code::KM701, r.at(number, column),
                              "an ACL entry before any 'Current ACLs for resource' line");
                continue;
            }
            std::string_view body = line.substr(1, line.size() - (line.ends_with(")") ? 2 : 1));
            auto permission = field(body, ", permissionType=", "");
            auto operation = field(body, ", operation=", ", permissionType=");
            std::string_view before_op = body.substr(0, body.rfind(", operation="));
            auto host = field(before_op, ", host=", "");
            std::optional<std::string> principal;
            if (auto h = before_op.rfind(", host="); h != std::string_view::npos) {
                principal = std::string(before_op.substr(10, h - 10));
            }
            if (!line.ends_with(")") || !permission || !operation || !host || !principal ||
                body.rfind(", operation=") == std::string_view::npos) {
                r.sink.report(diag::Code::KM701, r.at(number, column),
                              "an ACL entry not in the form kafka-acls.sh prints: (principal=..., "
                              "host=..., operation=..., permissionType=...)");
                continue;
            }
            auto op = kafka_operation(*operation);
            if (!op && (*operation == "CREATE_TOKENS" || *operation == "DESCRIBE_TOKENS")) {
                report_token_acl(r, r.at(number, column), fmt::format("operation {}", *operation));
                continue;
            }
            if (!op) {
                r.sink.report(diag::Code::KM703, r.at(number, column),
                              fmt::format("operation {} is not one a topology can grant; the "
                                          "entry is left out",
                                          *operation));
                continue;
            }
            if (*permission != "ALLOW" && *permission != "DENY") {
                r.sink.report(
                    diag::Code::KM701, r.at(number, column),
                    fmt::format("permission type '{}' is neither ALLOW nor DENY", *permission));
                continue;
            }
            LiveAcl acl = *resource;
            acl.location = r.at(number, column);
            acl.operation = *op;
            acl.effect = *permission == "DENY" ? model::Effect::deny : model::Effect::allow;
            acl.host = *host;
            LivePrincipal& p = state.principal(*principal);
            if (!p.location.known()) {
                p.location = acl.location;
            }
            p.acls.push_back(std::move(acl));
            continue;
        }
        r.sink.report(diag::Code::KM701, r.at(number, column),
                      "a line that kafka-acls.sh --list does not print");
    }
}

// ---------------------------------------------------------------------------------------------
// kafka-configs.sh --describe --entity-type users
//
// ConfigCommand (core/src/main/scala/kafka/admin/ConfigCommand.scala in 3.x,
// tools/.../ConfigCommand.java in 4.x, describeQuotaConfigs) prints
//   "Quota configs for " + entity + " are " + key=value joined by ", "
// with entity "user-principal '<name>'" (or "the default user-principal", and ", client-id
// '<id>'" for a user and client pair), then, per user, "SCRAM credential configs for
// user-principal '<name>' are SCRAM-SHA-512=iterations=4096".

void read_configs_text(const LineReader& r, LiveState& state) {
    const std::string& text = r.sources.file(r.file).text;
    std::uint32_t number = 0;
    std::size_t begin = 0;
    while (begin < text.size()) {
        std::size_t end = text.find('\n', begin);
        if (end == std::string::npos) {
            end = text.size();
        }
        std::string_view raw(text.data() + begin, end - begin);
        begin = end + 1;
        ++number;
        std::string_view line = trim(raw);
        std::size_t column = indent_of(raw);
        if (line.empty() || line.starts_with("#")) {
            continue;
        }
        bool quota = line.starts_with("Quota configs for ");
        bool scram = line.starts_with("SCRAM credential configs for ");
        if (!quota && !scram) {
            if (line.starts_with("Error retrieving SCRAM credential configs")) {
                continue;  // a user with quotas and no credential
            }
            r.sink.report(diag::Code::KM701, r.at(number, column),
                          "a line that kafka-configs.sh --describe --entity-type users does not "
                          "print");
            continue;
        }
        std::size_t are = line.find(" are");
        std::string_view entity = line.substr(0, are);
        std::size_t open = entity.find("user-principal '");
        if (are == std::string_view::npos || open == std::string_view::npos) {
            if (entity.find("the default user-principal") != std::string_view::npos) {
                r.sink.report(diag::Code::KM703, r.at(number, column),
                              "a default user quota is not something a topology declares; it is "
                              "left out");
                continue;
            }
            r.sink.report(diag::Code::KM701, r.at(number, column),
                          "a line without \"user-principal '<name>'\" and \" are\"");
            continue;
        }
        std::string_view rest = entity.substr(open + 16);
        std::size_t close = rest.find('\'');
        if (close == std::string_view::npos) {
            r.sink.report(diag::Code::KM701, r.at(number, column),
                          "an unterminated user-principal name");
            continue;
        }
        std::string user(rest.substr(0, close));
        if (rest.find("client-id", close) != std::string_view::npos) {
            r.sink.report(diag::Code::KM703, r.at(number, column),
                          fmt::format("a quota for user '{}' and one client id is not something a "
                                      "topology declares; it is left out",
                                      user));
            continue;
        }
        LivePrincipal& p = state.principal("User:" + user);
        if (!p.location.known()) {
            p.location = r.at(number, column);
        }
        if (p.user.empty()) {
            p.user = user;
        }
        state.parts.insert(Part::users);
        if (scram) {
            continue;
        }
        std::string_view values = trim(line.substr(are + 4));
        LiveQuotas q;
        q.location = r.at(number, column);
        while (!values.empty()) {
            std::size_t comma = values.find(", ");
            std::string_view item = values.substr(0, comma);
            std::size_t eq = item.find('=');
            if (eq == std::string_view::npos) {
                r.sink.report(diag::Code::KM701, r.at(number, column),
                              fmt::format("'{}' is not key=value", item));
                break;
            }
            q.values[std::string(item.substr(0, eq))] = std::string(item.substr(eq + 1));
            values =
                comma == std::string_view::npos ? std::string_view{} : values.substr(comma + 2);
        }
        if (!q.values.empty()) {
            p.quotas = std::move(q);
        }
    }
}

enum class FileKind : std::uint8_t { kubernetes, acls, configs, unknown };

/// The first line that is neither blank nor a comment decides; anything that is not the text
/// of kafka-acls.sh or kafka-configs.sh is read as YAML, whose documents must be Kubernetes
/// objects (KM700 otherwise).
FileKind recognise(const std::string& text) {
    std::size_t begin = 0;
    while (begin < text.size()) {
        std::size_t end = text.find('\n', begin);
        if (end == std::string::npos) {
            end = text.size();
        }
        std::string_view line = trim(std::string_view(text.data() + begin, end - begin));
        begin = end + 1;
        if (line.empty() || line.starts_with("#")) {
            continue;
        }
        if (line.starts_with("Current ACLs for resource `") ||
            line.starts_with("ACLs for principal `")) {
            return FileKind::acls;
        }
        if (line.starts_with("Quota configs for ") ||
            line.starts_with("SCRAM credential configs for ")) {
            return FileKind::configs;
        }
        return FileKind::kubernetes;
    }
    return FileKind::unknown;
}

void report_unrecognised(Session& session, diag::Location where) {
    auto& d = session.sink.report(diag::Code::KM700, where,
                                  "neither a Kubernetes document nor the output of kafka-acls.sh "
                                  "--list or kafka-configs.sh --describe --entity-type users");
    diag::add_help(d,
                   "export with 'kubectl get kafkausers,kafkatopics,... -o yaml', "
                   "'kafka-acls.sh --list' or 'kafka-configs.sh --describe --entity-type users'");
}

/// Sorted and deduplicated, so every later step reads one canonical order.
void normalise(LiveState& state) {
    for (auto& [name, p] : state.principals) {
        std::stable_sort(p.acls.begin(), p.acls.end());
        p.acls.erase(std::unique(p.acls.begin(), p.acls.end()), p.acls.end());
    }
}

}  // namespace

std::optional<LiveState> read_live(const std::vector<std::uint32_t>& files, Session& session) {
    LiveState state;
    source::LoadLimits limits;
    for (std::uint32_t file : files) {
        const std::string& text = session.sources.file(file).text;
        LineReader lines{session.sources, file, session.sink};
        switch (recognise(text)) {
            case FileKind::acls:
                read_acl_text(lines, state);
                break;
            case FileKind::configs:
                read_configs_text(lines, state);
                break;
            case FileKind::kubernetes: {
                auto docs = source::load_yaml_stream(session.sources, file, session.sink, limits);
                if (!docs) {
                    break;
                }
                for (const source::YamlDocument& doc : *docs) {
                    limits.used_nodes += doc.nodes.size();
                    const source::YamlNode& root = doc.node(doc.root);
                    bool object = false;
                    if (root.kind == source::NodeKind::mapping) {
                        for (std::size_t i = 0; i < doc.entry_count(doc.root); ++i) {
                            object = object || doc.node(doc.key(doc.root, i)).value == "kind";
                        }
                    }
                    if (!object) {
                        report_unrecognised(session, root.location);
                        continue;
                    }
                    DocReader(doc, state, session.sink).read_root();
                }
                break;
            }
            case FileKind::unknown:
                report_unrecognised(session, diag::Location{file, 0, 0, 0});
                break;
        }
    }
    if (session.sink.has_errors()) {
        return std::nullopt;
    }
    normalise(state);
    return state;
}

std::optional<LiveState> read_live_paths(const std::vector<std::string>& paths, Session& session) {
    std::vector<std::uint32_t> files =
        read_inputs(paths, session, {".yaml", ".yml", ".json", ".txt"});
    if (session.sink.has_errors()) {
        return std::nullopt;
    }
    return read_live(files, session);
}

}  // namespace km::live
