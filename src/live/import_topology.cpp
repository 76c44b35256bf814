#include "live/import_topology.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "emit/emit.h"
#include "emit/manifest.h"
#include "emit/manifest_writer.h"
#include "live/drift.h"
#include "live/replaced_policies.h"
#include "model/bitnami_users.h"
#include "util/strings.h"

namespace km::live {
namespace {

using emit::Value;
using model::Operation;
using model::PatternType;
using model::ResourceType;

const char* const k_placeholder_ns = "replace-me";

struct MeshIdentity {
    std::string trust_domain;
    std::string ns;
    std::string sa;
};

std::optional<MeshIdentity> parse_mesh_principal(const std::string& p) {
    std::size_t ns = p.find("/ns/");
    std::size_t sa = p.find("/sa/");
    if (ns == std::string::npos || sa == std::string::npos || sa < ns) {
        return std::nullopt;
    }
    MeshIdentity id{p.substr(0, ns), p.substr(ns + 4, sa - ns - 4), p.substr(sa + 4)};
    if (!util::is_dns_label(id.ns) || id.sa.empty() || id.sa.find('/') != std::string::npos) {
        return std::nullopt;
    }
    return id;
}

/// The grants of one principal still to be expressed, by (type, pattern, name) -> effect -> ops.
struct Grants {
    std::map<std::tuple<ResourceType, PatternType, std::string>, std::set<Operation>> allow;
    std::map<std::tuple<ResourceType, PatternType, std::string>, std::set<Operation>> deny;

    bool has(ResourceType t, PatternType p, const std::string& n,
             std::initializer_list<Operation> ops) const {
        auto it = allow.find({t, p, n});
        if (it == allow.end()) {
            return false;
        }
        return std::all_of(ops.begin(), ops.end(),
                           [&](Operation op) { return it->second.contains(op); });
    }
    void take(ResourceType t, PatternType p, const std::string& n,
              std::initializer_list<Operation> ops) {
        auto it = allow.find({t, p, n});
        if (it == allow.end()) {
            return;
        }
        for (Operation op : ops) {
            it->second.erase(op);
        }
        if (it->second.empty()) {
            allow.erase(it);
        }
    }
    /// The (pattern, name) of every resource of `t` holding all of `ops`, in order.
    std::vector<std::pair<PatternType, std::string>> holding(
        ResourceType t, std::initializer_list<Operation> ops) const {
        std::vector<std::pair<PatternType, std::string>> out;
        // Not a structured binding: clang before 16 cannot capture one in the lambda.
        for (const auto& entry : allow) {
            const auto& key = entry.first;
            const auto& held = entry.second;
            if (std::get<0>(key) == t && std::all_of(ops.begin(), ops.end(), [&](Operation op) {
                    return held.contains(op);
                })) {
                out.emplace_back(std::get<1>(key), std::get<2>(key));
            }
        }
        return out;
    }
};

std::string ref(PatternType p, const std::string& name) {
    return p == PatternType::prefix ? name + "*" : name;
}

struct ServiceOut {
    std::string name;
    std::string ns;
    std::string user;  ///< written when it is not the default
    bool unresolved = false;
    std::vector<std::string> comments;
    Value value = Value::mapping();
    std::optional<Value> role;             ///< the grants no recipe expresses
    std::set<std::string> literal_topics;  ///< exact topic references, to declare
    const LivePrincipal* principal = nullptr;
};

std::string kafka_user_name(const LivePrincipal& p, bool tls) {
    if (!p.user.empty()) {
        return p.user;
    }
    std::string name = p.principal.substr(5);
    if (tls && name.rfind("CN=", 0) == 0) {
        return name.substr(3);
    }
    return name;
}

Value strings(const std::vector<std::string>& items) {
    Value seq = Value::sequence();
    for (const std::string& s : items) {
        seq.push(Value::string(s));
    }
    return seq;
}

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

/// A quota as the topology types it, or nothing when it cannot be written there. Kafka keeps quotas
/// as doubles and prints them with Java's Double.toString ("1048576.0", "1.048576E7"); KafkaUser
/// quotas are YAML numbers ("0.5" for controllerMutationRate). Byte rates and requestPercentage are
/// integers in the schema, controllerMutationRate is any number.
std::optional<Value> quota_value(const std::string& text, bool integer_only) {
    double v = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, v);
    if (ec != std::errc{} || ptr != end || !std::isfinite(v) || v < 0) {
        return std::nullopt;
    }
    if (v == std::floor(v) && v < 9007199254740992.0) {
        return Value::number(fmt::format("{:.0f}", v));
    }
    if (integer_only) {
        return std::nullopt;
    }
    return Value::number(fmt::format("{}", v));
}

void express_connect(Grants& g, ServiceOut& s) {
    for (const auto& [pattern, group] : g.holding(ResourceType::group, {Operation::Read})) {
        if (pattern != PatternType::literal) {
            continue;
        }
        std::initializer_list<Operation> storage = {Operation::Create, Operation::Describe,
                                                    Operation::DescribeConfigs, Operation::Read,
                                                    Operation::Write};
        bool all = true;
        for (const char* suffix : {"-configs", "-offsets", "-status"}) {
            all = all && g.has(ResourceType::topic, PatternType::literal, group + suffix, storage);
        }
        if (!all || group.rfind("connect-", 0) == 0) {
            continue;
        }
        s.value.set("kind", Value::string("connect"));
        g.take(ResourceType::group, PatternType::literal, group, {Operation::Read});
        for (const char* suffix : {"-configs", "-offsets", "-status"}) {
            g.take(ResourceType::topic, PatternType::literal, group + suffix, storage);
        }
        Value connect = Value::mapping();
        if (group != s.name) {
            connect.set("groupId", Value::string(group));
        }
        // Which connector reads which topic is not in the ACLs; every connector group reading
        // every consumed topic grants the same set.
        std::vector<std::string> consumed;
        for (const auto& [p, t] :
             g.holding(ResourceType::topic, {Operation::Read, Operation::Describe})) {
            consumed.push_back(ref(p, t));
        }
        std::vector<std::string> produced;
        for (const auto& [p, t] :
             g.holding(ResourceType::topic, {Operation::Write, Operation::Describe})) {
            produced.push_back(ref(p, t));
        }
        Value connectors = Value::sequence();
        std::vector<std::string> names;
        for (const auto& [p, grp] : g.holding(ResourceType::group, {Operation::Read})) {
            if (p == PatternType::literal && grp.rfind("connect-", 0) == 0 && grp.size() > 8 &&
                util::is_dns_label(grp.substr(8))) {
                names.push_back(grp.substr(8));
            }
        }
        if (consumed.empty()) {
            names.clear();
        }
        for (const std::string& n : names) {
            Value c = Value::mapping();
            c.set("name", Value::string(n));
            c.set("consumes", strings(consumed));
            g.take(ResourceType::group, PatternType::literal, "connect-" + n, {Operation::Read});
            connectors.push(std::move(c));
        }
        if (!names.empty()) {
            for (const auto& [p, t] :
                 g.holding(ResourceType::topic, {Operation::Read, Operation::Describe})) {
                g.take(ResourceType::topic, p, t, {Operation::Read, Operation::Describe});
                if (p == PatternType::literal) {
                    s.literal_topics.insert(t);
                }
            }
        }
        if (!produced.empty()) {
            Value* target = nullptr;
            if (connectors.items().empty()) {
                Value c = Value::mapping();
                c.set("name", Value::string("imported"));
                target = &connectors.push(std::move(c));
            } else {
                target = const_cast<Value*>(&connectors.items().front());
            }
            target->set("produces", strings(produced));
            for (const auto& [p, t] :
                 g.holding(ResourceType::topic, {Operation::Write, Operation::Describe})) {
                g.take(ResourceType::topic, p, t, {Operation::Write, Operation::Describe});
                if (p == PatternType::literal) {
                    s.literal_topics.insert(t);
                }
            }
        }
        if (!connectors.empty()) {
            connect.set("connectors", std::move(connectors));
        }
        if (!connect.empty()) {
            s.value.set("connect", std::move(connect));
        }
        return;
    }
}

bool express_streams(Grants& g, ServiceOut& s) {
    std::initializer_list<Operation> internal = {Operation::Create,   Operation::Delete,
                                                 Operation::Describe, Operation::DescribeConfigs,
                                                 Operation::Read,     Operation::Write};
    for (const auto& [pattern, app] : g.holding(ResourceType::group, {Operation::Read})) {
        if (pattern != PatternType::literal ||
            !g.has(ResourceType::topic, PatternType::prefix, app + "-", internal)) {
            continue;
        }
        s.value.set("kind", Value::string("streams"));
        if (app != s.name) {
            s.value.set("applicationId", Value::string(app));
        }
        g.take(ResourceType::group, PatternType::literal, app, {Operation::Read});
        g.take(ResourceType::topic, PatternType::prefix, app + "-", internal);
        if (g.has(ResourceType::transactional_id, PatternType::prefix, app + "-",
                  {Operation::Write, Operation::Describe})) {
            s.value.set("exactlyOnce", Value::boolean(true));
            g.take(ResourceType::transactional_id, PatternType::prefix, app + "-",
                   {Operation::Write, Operation::Describe});
        }
        return true;
    }
    return false;
}

void express_topics(Grants& g, ServiceOut& s, bool streams) {
    std::vector<std::string> produced;
    for (const auto& [p, t] :
         g.holding(ResourceType::topic, {Operation::Write, Operation::Describe})) {
        produced.push_back(ref(p, t));
        g.take(ResourceType::topic, p, t, {Operation::Write, Operation::Describe});
        if (p == PatternType::literal) {
            s.literal_topics.insert(t);
        }
    }
    auto topics = g.holding(ResourceType::topic, {Operation::Read, Operation::Describe});
    Value consumes = Value::sequence();
    if (streams) {
        for (const auto& [p, t] : topics) {
            consumes.push(Value::string(ref(p, t)));
            g.take(ResourceType::topic, p, t, {Operation::Read, Operation::Describe});
            if (p == PatternType::literal) {
                s.literal_topics.insert(t);
            }
        }
    } else if (!topics.empty()) {
        auto groups = g.holding(ResourceType::group, {Operation::Read});
        if (!groups.empty()) {
            // Any pairing of the topics with the groups grants the same set, as long as each
            // topic and each group appears: topics in order, the groups left over on the first.
            std::size_t n = std::max(topics.size(), groups.size());
            for (std::size_t i = 0; i < n; ++i) {
                const auto& [tp, t] = topics[std::min(i, topics.size() - 1)];
                const auto& [gp, grp] = groups[std::min(i, groups.size() - 1)];
                std::string group_ref = ref(gp, grp);
                if (group_ref == s.name) {
                    consumes.push(Value::string(ref(tp, t)));
                } else {
                    Value c = Value::mapping();
                    c.set("topic", Value::string(ref(tp, t)));
                    c.set("group", Value::string(group_ref));
                    consumes.push(std::move(c));
                }
            }
            for (const auto& [p, t] : topics) {
                g.take(ResourceType::topic, p, t, {Operation::Read, Operation::Describe});
                if (p == PatternType::literal) {
                    s.literal_topics.insert(t);
                }
            }
            for (const auto& [p, grp] : groups) {
                g.take(ResourceType::group, p, grp, {Operation::Read});
            }
        }
    }
    if (!produced.empty()) {
        s.value.set("produces", strings(produced));
    }
    if (!consumes.empty()) {
        s.value.set("consumes", std::move(consumes));
    }
    if (!streams) {
        auto ids =
            g.holding(ResourceType::transactional_id, {Operation::Write, Operation::Describe});
        if (!ids.empty()) {
            s.value.set("transactionalId", Value::string(ref(ids[0].first, ids[0].second)));
            g.take(ResourceType::transactional_id, ids[0].first, ids[0].second,
                   {Operation::Write, Operation::Describe});
        }
    }
}

std::string_view grant_key(ResourceType t) {
    switch (t) {
        case ResourceType::topic:
            return "topics";
        case ResourceType::group:
            return "groups";
        case ResourceType::transactional_id:
            return "transactionalIds";
        case ResourceType::cluster:
            return "cluster";
    }
    return "topics";
}

/// What no recipe took, as a role: one grant per (resource type, operations, effect).
std::optional<Value> role_of(const Grants& g, ServiceOut& s, const std::string& role_name) {
    std::map<std::tuple<ResourceType, bool, std::vector<Operation>>, std::vector<std::string>>
        grouped;
    for (bool deny : {false, true}) {
        for (const auto& [key, ops] : deny ? g.deny : g.allow) {
            const auto& [t, p, n] = key;
            grouped[{t, deny, std::vector<Operation>(ops.begin(), ops.end())}].push_back(ref(p, n));
            if (t == ResourceType::topic && p == PatternType::literal && n != "*") {
                s.literal_topics.insert(n);
            }
        }
    }
    if (grouped.empty()) {
        return std::nullopt;
    }
    Value role = Value::mapping();
    role.set("name", Value::string(role_name));
    Value& grants = role.set("grants", Value::sequence());
    for (const auto& [key, names] : grouped) {
        const auto& [t, deny, ops] = key;
        Value grant = Value::mapping();
        if (t == ResourceType::cluster) {
            grant.set("cluster", Value::boolean(true));
        } else {
            grant.set(std::string(grant_key(t)), strings(names));
        }
        Value& list = grant.set("operations", Value::sequence());
        for (Operation op : ops) {
            list.push(Value::string(std::string(model::operation_name(op))));
        }
        if (deny) {
            grant.set("effect", Value::string("deny"));
        }
        grants.push(std::move(grant));
    }
    return role;
}

std::string sanitised_label(const std::string& text) {
    std::string out;
    for (char c : text) {
        char l = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        bool ok = (l >= 'a' && l <= 'z') || (l >= '0' && l <= '9');
        if (ok) {
            out += l;
        } else if (!out.empty() && out.back() != '-') {
            out += '-';
        }
    }
    while (!out.empty() && out.back() == '-') {
        out.pop_back();
    }
    if (out.size() > 63) {
        out.resize(63);
    }
    while (!out.empty() && out.back() == '-') {
        out.pop_back();
    }
    return out.empty() ? "user" : out;
}

}  // namespace

std::optional<ImportResult> import_topology(const LiveState& state, Session& session) {
    diag::DiagnosticSink& sink = session.sink;
    std::vector<std::string> platform_comments;
    std::string kafka_ns = state.kafka && !state.kafka->ns.empty() ? state.kafka->ns : "kafka";
    // Without a Kafka resource, the one cluster every KafkaUser and KafkaTopic is labelled with.
    bool labelled = (!state.kafka || state.kafka->name.empty()) && state.cluster_labels.size() == 1;
    if (labelled) {
        kafka_ns = state.cluster_labels.begin()->first;
    }
    std::string kafka_name =
        state.kafka && !state.kafka->name.empty() ? state.kafka->name : "kafka";
    if (labelled) {
        kafka_name = state.cluster_labels.begin()->second;
    }
    std::string authentication = state.kafka ? state.kafka->authentication : "";
    bool tls = authentication == "tls";
    std::string port = std::to_string(state.kafka ? state.kafka->listener_port : 9092);

    // Mesh identities: the client policies' principals, by the default user name they explain.
    std::map<std::string, std::vector<MeshIdentity>> by_user;
    std::set<std::string> trust_domains;
    std::set<std::string> admitted = client_policy_principals(state, kafka_ns, port);
    for (const std::string& p : admitted) {
        if (auto id = parse_mesh_principal(p)) {
            by_user[id->ns + "-" + id->sa].push_back(*id);
            trust_domains.insert(id->trust_domain);
        }
    }
    for (const LivePolicy& p : state.policies) {
        if (p.ns != kafka_ns || p.action != "ALLOW" || p.selector.empty() ||
            !p.ports.contains(port)) {
            continue;
        }
        for (const PolicyFinding& f : p.unsupported) {
            auto& d = sink.report(diag::Code::KM712, f.location,
                                  fmt::format("AuthorizationPolicy {}/{}: {} cannot be expressed "
                                              "in a topology; it is not imported",
                                              p.ns, p.name, f.what));
            diag::add_help(d, "a topology admits mesh principals on the listener port, L4 only");
            platform_comments.push_back(fmt::format(
                "KM712: AuthorizationPolicy {}/{}: {} is not imported", p.ns, p.name, f.what));
        }
    }
    for (std::string& c :
         name_replaced_policies(state, kafka_ns, port, sanitised_label(kafka_name), sink)) {
        platform_comments.push_back(std::move(c));
    }
    std::set<std::string> explained;

    // Bitnami's reconciler: the standalone Strimzi User and Topic Operators that kafkamesh runs
    // next to the chart are admitted on the client port as <fullname>-user-operator and
    // <fullname>-topic-operator in the Kafka namespace (model/mesh_names.cpp). Both admitted and
    // no Kafka resource: the cluster is a Bitnami release of that full name, which explains them.
    std::optional<std::string> bitnami_release;
    if (!state.kafka || state.kafka->name.empty()) {
        for (const std::string& p : admitted) {
            std::optional<MeshIdentity> id = parse_mesh_principal(p);
            if (!id || id->ns != kafka_ns || !id->sa.ends_with(model::k_user_operator_suffix)) {
                continue;
            }
            std::string fullname =
                id->sa.substr(0, id->sa.size() - model::k_user_operator_suffix.size());
            std::string topic_operator = fmt::format("{}/ns/{}/sa/{}{}", id->trust_domain, id->ns,
                                                     fullname, model::k_topic_operator_suffix);
            if (admitted.contains(topic_operator)) {
                explained.insert(p);
                explained.insert(topic_operator);
                // The chart's full name is the release, with "-kafka" appended unless the
                // release holds "kafka" (bitnami/common _names.tpl, model::bitnami_fullname).
                bitnami_release = fullname.ends_with("-kafka")
                                      ? fullname.substr(0, fullname.size() - 6)
                                      : fullname;
                break;
            }
        }
    }

    // Users the <ns>-<sa> convention explains claim their principal first; a user it does not
    // explain may still match a principal whose service account is named like the user, in the
    // namespace of the user's KafkaAccess documents when there are any, if exactly one unclaimed
    // admitted principal does.
    std::set<std::string> claimed;
    for (const auto& [name, p] : state.principals) {
        auto it = by_user.find(kafka_user_name(p, tls));
        if (it != by_user.end() && it->second.size() == 1) {
            claimed.insert(fmt::format("{}/ns/{}/sa/{}", it->second[0].trust_domain,
                                       it->second[0].ns, it->second[0].sa));
        }
    }
    auto by_service_account = [&](const std::string& user) -> std::vector<MeshIdentity> {
        auto access = state.access_namespaces.find(user);
        std::vector<MeshIdentity> out;
        for (const std::string& a : admitted) {
            auto id = parse_mesh_principal(a);
            if (!id || id->sa != user || claimed.contains(a)) {
                continue;
            }
            if (access != state.access_namespaces.end() && !access->second.contains(id->ns)) {
                continue;
            }
            out.push_back(*id);
        }
        return out;
    };

    std::vector<ServiceOut> services;
    for (const auto& [name, p] : state.principals) {
        if (name.rfind("User:", 0) != 0 || name == "User:*") {
            if (!p.acls.empty()) {
                auto& d = sink.report(diag::Code::KM711, p.location,
                                      fmt::format("{} ACLs for principal '{}': a topology grants "
                                                  "to User: principals of its services only; "
                                                  "they are not imported",
                                                  p.acls.size(), name));
                (void)d;
                platform_comments.push_back(fmt::format(
                    "KM711: {} ACLs for principal '{}' are not imported", p.acls.size(), name));
            }
            continue;
        }
        ServiceOut s;
        s.principal = &p;
        std::string user = kafka_user_name(p, tls);
        auto it = by_user.find(user);
        std::vector<MeshIdentity> match;
        if (it != by_user.end()) {
            match = it->second;
        } else {
            match = by_service_account(user);
        }
        if (match.size() == 1) {
            s.ns = match[0].ns;
            s.name = match[0].sa;
            explained.insert(fmt::format("{}/ns/{}/sa/{}", match[0].trust_domain, s.ns, s.name));
            if (!util::is_dns_label(s.name)) {
                s.value.set("serviceAccount", Value::string(s.name));
                s.name = sanitised_label(s.name);
            }
        } else {
            s.unresolved = true;
            s.ns = k_placeholder_ns;
            s.name = sanitised_label(user);
            s.user = user;
            std::string why = match.empty()
                                  ? "no principal of the client AuthorizationPolicies is "
                                    "<trustDomain>/ns/<ns>/sa/<sa> with <ns>-<sa> or <sa> = the "
                                    "user"
                                  : "more than one principal of the client AuthorizationPolicies "
                                    "matches it";
            auto& d = sink.report(diag::Code::KM713, p.location,
                                  fmt::format("Kafka user '{}': its mesh identity cannot be "
                                              "determined ({}); it is written in namespace '{}'",
                                              user, why, k_placeholder_ns));
            diag::add_help(d, "set the service's namespace and serviceAccount in the topology");
            s.comments.push_back(fmt::format(
                "KM713: the mesh identity of Kafka user '{}' is unknown: set namespace and "
                "serviceAccount",
                user));
        }
        services.push_back(std::move(s));
    }
    // Service names unique per namespace: an unresolved name may meet a resolved one.
    std::set<std::pair<std::string, std::string>> taken;
    for (ServiceOut& s : services) {
        std::string base = s.name;
        for (int n = 2; !taken.insert({s.ns, s.name}).second; ++n) {
            s.name = fmt::format("{}-{}", base, n);
        }
    }

    std::set<std::string> literal_topics;
    std::map<std::string, std::vector<const ServiceOut*>> by_ns;
    for (ServiceOut& s : services) {
        const LivePrincipal& p = *s.principal;
        std::string user = kafka_user_name(p, tls);
        Value v = Value::mapping();
        v.set("name", Value::string(s.name));
        v.set("namespace", Value::string(s.ns));
        if (const Value* sa = s.value.find("serviceAccount")) {
            v.set("serviceAccount", *sa);
        }
        if (s.unresolved ||
            user != s.ns + "-" +
                        (s.value.find("serviceAccount") ? s.value.find("serviceAccount")->text()
                                                        : s.name)) {
            v.set("user", Value::string(user));
        }
        if (p.authentication == "tls" && !tls) {
            // A tls KafkaUser of a cluster whose client listener is not tls keeps its
            // certificate and its User:CN=<user> ACLs.
            v.set("authentication", Value::string("tls"));
        }
        if (p.from_kafka_user && p.authentication == "scram-sha-512") {
            // The password the user has now: the Secret its KafkaUser names, else the one the
            // User Operator wrote, <secretPrefix><user> with the key `password`
            // (strimzi-kafka-operator 1.2.0, KafkaUserModel.getSecretName and KEY_PASSWORD).
            std::string prefix = bitnami_release ? std::string(emit::k_user_secret_prefix)
                                 : state.kafka   ? state.kafka->user_secret_prefix
                                                 : "";
            Value password = Value::mapping();
            password.set("secret", Value::string(p.password_secret.empty() ? prefix + user
                                                                           : p.password_secret));
            if (!p.password_key.empty() && p.password_key != "password") {
                password.set("key", Value::string(p.password_key));
            }
            v.set("password", std::move(password));
        }
        s.value = std::move(v);
        Grants g;
        std::vector<std::string> lost;  ///< host-restricted ACLs, acknowledged below
        for (const LiveAcl& acl : p.acls) {
            if (acl.host != "*") {
                // The User Operator sets a user's ACLs to exactly its KafkaUser's
                // (strimzi-kafka-operator 1.2.0, SimpleAclOperator reconcile): one the topology
                // cannot write is removed on the first apply.
                auto& d = sink.report(
                    diag::Code::KM710, acl.location,
                    fmt::format(
                        "{} for '{}' is restricted to host {}; behind a sidecar every "
                        "client connects from 127.0.0.6, so a topology grants on every "
                        "host. It is not imported: once the topology is applied, '{}' "
                        "{} {} on {} '{}' from {}",
                        acl_text(acl), p.principal, acl.host, p.principal,
                        acl.effect == model::Effect::allow ? "loses" : "is no longer denied",
                        model::operation_name(acl.operation), model::resource_type_name(acl.type),
                        acl.name, acl.host));
                diag::add_help(d,
                               "grant it on every host in a role if the user still needs it; "
                               "the imported topology acknowledges the gap so that drift "
                               "stays clean");
                s.comments.push_back(fmt::format("KM710: not imported: {}", acl_text(acl)));
                lost.push_back(acl_text(acl));
                continue;
            }
            auto key = std::make_tuple(acl.type, acl.pattern, acl.name);
            (acl.effect == model::Effect::allow ? g.allow : g.deny)[key].insert(acl.operation);
        }
        express_connect(g, s);
        bool streams = s.value.find("kind") == nullptr && express_streams(g, s);
        bool connect = s.value.find("kind") && s.value.find("kind")->text() == "connect";
        if (connect && !s.unresolved && !s.value.find("serviceAccount")) {
            // A Connect service's service account has a default of its own on Strimzi
            // (<name>-connect): the one the cluster admits is written out, so the identity
            // stays the same whatever the distribution.
            s.value.set("serviceAccount", Value::string(s.name));
        }
        if (!connect) {
            express_topics(g, s, streams);
        }
        std::string role_name = sanitised_label(s.ns + "-" + s.name + "-imported");
        s.role = role_of(g, s, role_name);
        if (s.role) {
            Value& roles = s.value.set("roles", Value::sequence());
            roles.push(Value::string(role_name));
        }
        if (p.quotas) {
            static const std::pair<const char*, const char*> keys[] = {
                {"producer_byte_rate", "producerByteRate"},
                {"consumer_byte_rate", "consumerByteRate"},
                {"request_percentage", "requestPercentage"},
                {"controller_mutation_rate", "controllerMutationRate"},
            };
            Value quotas = Value::mapping();
            for (auto [kafka_key, field] : keys) {
                auto q = p.quotas->values.find(kafka_key);
                if (q == p.quotas->values.end()) {
                    continue;
                }
                std::optional<Value> v =
                    quota_value(q->second, std::string_view(field) != "controllerMutationRate");
                if (v) {
                    quotas.set(field, std::move(*v));
                } else {
                    s.comments.push_back(
                        fmt::format("not imported: quota {}={}", kafka_key, q->second));
                }
            }
            for (const auto& quota : p.quotas->values) {
                const std::string& k = quota.first;
                if (std::none_of(std::begin(keys), std::end(keys),
                                 [&](const auto& e) { return k == e.first; })) {
                    s.comments.push_back(fmt::format("not imported: quota {}={}", k, quota.second));
                }
            }
            if (!quotas.empty()) {
                s.value.set("quotas", std::move(quotas));
            }
        }
        if (!lost.empty()) {
            // Acknowledged: drift then does not report these ACLs, and the gap stays written.
            Value& acks = s.value.set("acknowledge", Value::sequence());
            for (const std::string& text : lost) {
                Value a = Value::mapping();
                a.set("code", Value::string("KM710"));
                a.set("reason", Value::string(fmt::format("not imported: {}; applying the topology "
                                                          "removes it",
                                                          text)));
                acks.push(std::move(a));
            }
        }
        if (!s.comments.empty()) {
            s.value.comment(fmt::format("{}", fmt::join(s.comments, "\n")));
        }
        literal_topics.insert(s.literal_topics.begin(), s.literal_topics.end());
        by_ns[s.ns].push_back(&s);
    }
    for (const std::string& p : admitted) {
        if (!explained.contains(p)) {
            const LivePolicy* from = nullptr;
            for (const LivePolicy& pol : state.policies) {
                if (pol.principals.contains(p)) {
                    from = &pol;
                    break;
                }
            }
            sink.report(diag::Code::KM714, from ? from->location : diag::Location{},
                        fmt::format("principal '{}' is admitted to the brokers but no Kafka user "
                                    "is <ns>-<sa> of it; it is not imported",
                                    p));
            platform_comments.push_back(fmt::format(
                "KM714: '{}' is admitted to the brokers, but no Kafka user matches it", p));
        }
    }

    // The platform: metadata, mesh, kafka, topics.
    Value platform = Value::mapping();
    platform.set("apiVersion", Value::string("kafkamesh.io/v1alpha1"));
    platform.set("kind", Value::string("Topology"));
    platform.set("metadata", Value::mapping())
        .set("name", Value::string(sanitised_label(kafka_name)));
    Value mesh = Value::mapping();
    if (trust_domains.size() == 1 && *trust_domains.begin() != "cluster.local") {
        mesh.set("trustDomain", Value::string(*trust_domains.begin()));
    }
    for (const LivePeerAuthentication& pa : state.peer_authentications) {
        if (pa.ns == kafka_ns && pa.name == "default" && pa.mode == "PERMISSIVE") {
            mesh.set("mtls", Value::string("permissive"));
        }
    }
    if (state.parts.contains(Part::policies)) {
        bool deny =
            std::any_of(state.policies.begin(), state.policies.end(),
                        [&](const LivePolicy& p) { return p.ns == kafka_ns && p.empty_spec; });
        if (!deny) {
            mesh.set("defaultDeny", Value::boolean(false));
        }
    }
    if (!mesh.empty()) {
        platform.set("mesh", std::move(mesh));
    }
    Value kafka = Value::mapping();
    kafka.set("name", Value::string(kafka_name));
    kafka.set("namespace", Value::string(kafka_ns));
    if (!labelled && (!state.kafka || state.kafka->name.empty())) {
        kafka.find("name")->comment(
            "not in the live input: the Kafka cluster's name and namespace are placeholders");
        kafka.set("distribution", Value::string("bitnami"));
    } else if (bitnami_release) {
        kafka.set("distribution", Value::string("bitnami"));
    }
    kafka.set("managed", Value::boolean(false));
    if (bitnami_release) {
        Value bitnami = Value::mapping();
        bitnami.set("release", Value::string(*bitnami_release));
        kafka.set("bitnami", std::move(bitnami));
    }
    if (state.kafka && !state.kafka->listener_name.empty() &&
        state.kafka->listener_name != (authentication == "tls" ? "tls" : "plain")) {
        kafka.set("listenerName", Value::string(state.kafka->listener_name));
    }
    if (state.kafka && state.kafka->nodes) {
        kafka.set("nodes", Value::integer(*state.kafka->nodes));
    }
    if (authentication == "tls") {
        kafka.set("authentication", Value::string("tls"));
    } else if (authentication.empty() && state.kafka && !state.kafka->name.empty()) {
        bool external =
            std::any_of(state.principals.begin(), state.principals.end(),
                        [](const auto& e) { return e.second.authentication == "tls-external"; });
        if (external) {
            kafka.set("authentication", Value::string("mesh"));
        }
    }
    if (port != "9092") {
        kafka.set("listenerPort", Value::number(port));
    }
    if (state.kafka && !state.kafka->super_users.empty()) {
        Value supers = Value::sequence();
        for (const std::string& u : state.kafka->super_users) {
            std::string principal = "User:" + u;
            auto found = std::find_if(services.begin(), services.end(), [&](const ServiceOut& s) {
                return s.principal->principal == principal;
            });
            if (found == services.end()) {
                platform_comments.push_back(fmt::format(
                    "not imported: super user '{}', which no Kafka user of the input names", u));
                continue;
            }
            supers.push(Value::string(found->ns + "/" + found->name));
        }
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
    platform.set("kafka", std::move(kafka));
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
    if (!topics.empty()) {
        platform.set("topics", std::move(topics));
    }
    platform_comments.insert(platform_comments.begin(),
                             "imported from a running platform by kafkamesh import");
    platform.comment(fmt::format("{}", fmt::join(platform_comments, "\n")));

    // The services, per namespace, each with its role.
    auto team_document = [&](const std::vector<std::string>& namespaces) {
        Value doc = Value::mapping();
        Value ns_list = Value::sequence();
        Value svc_list = Value::sequence();
        Value role_list = Value::sequence();
        for (const std::string& ns : namespaces) {
            Value n = Value::mapping();
            n.set("name", Value::string(ns));
            // The namespaces exist: the topology references them and emits nothing in them.
            n.set("managed", Value::boolean(false));
            if (ns == k_placeholder_ns) {
                n.comment("KM713: placeholder for Kafka users whose mesh identity is unknown");
            }
            ns_list.push(std::move(n));
            for (const ServiceOut* s : by_ns[ns]) {
                svc_list.push(s->value);
                if (s->role) {
                    role_list.push(*s->role);
                }
            }
        }
        doc.set("namespaces", std::move(ns_list));
        if (!svc_list.empty()) {
            doc.set("services", std::move(svc_list));
        }
        if (!role_list.empty()) {
            doc.set("roles", std::move(role_list));
        }
        return doc;
    };
    std::vector<std::string> namespaces;
    for (const auto& [ns, list] : by_ns) {
        namespaces.push_back(ns);
    }

    ImportResult result;
    {
        Value all = platform;
        Value team = team_document(namespaces);
        for (const auto& [key, value] : team.entries()) {
            if (!value.empty()) {
                all.set(key, value);
            }
        }
        result.single = emit::write_yaml(all);
    }
    result.files.emplace_back("platform.yaml", emit::write_yaml(platform));
    for (const std::string& ns : namespaces) {
        Value doc = Value::mapping();
        doc.set("apiVersion", Value::string("kafkamesh.io/v1alpha1"));
        doc.set("kind", Value::string("Topology"));
        Value team = team_document({ns});
        for (const auto& [key, value] : team.entries()) {
            doc.set(key, value);
        }
        result.files.emplace_back(ns + ".yaml", emit::write_yaml(doc));
    }
    return result;
}

}  // namespace km::live
