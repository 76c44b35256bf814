#include "live/drift.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <iterator>
#include <map>

#include "model/derived.h"

namespace km::live {
namespace {

using Json = nlohmann::ordered_json;

std::string_view change_name(Change c) {
    switch (c) {
        case Change::extra:
            return "extra";
        case Change::missing:
            return "missing";
        case Change::differs:
            return "differs";
    }
    return "differs";
}

/// Kafka prints quotas as doubles (1048576.0), Strimzi holds integers: compared as numbers.
bool same_number(const std::string& a, const std::string& b) {
    if (a == b) {
        return true;
    }
    char* end_a = nullptr;
    char* end_b = nullptr;
    double x = std::strtod(a.c_str(), &end_a);
    double y = std::strtod(b.c_str(), &end_b);
    return end_a && end_b && *end_a == '\0' && *end_b == '\0' && !a.empty() && !b.empty() && x == y;
}

/// Every key of either map, in order.
template <class A, class B>
std::set<std::string> keys_of(const A& a, const B& b) {
    std::set<std::string> keys;
    for (const auto& entry : a) {
        keys.insert(entry.first);
    }
    for (const auto& entry : b) {
        keys.insert(entry.first);
    }
    return keys;
}

bool same_text(const std::string& a, const std::string& b) {
    return a == b;
}

/// A key the topology and the cluster hold different values for.
struct ValueDifference {
    std::string key;
    std::string want;
    std::string have;
};

/// The keys whose values differ, in order; `absent` stands for a key one side does not hold.
std::vector<ValueDifference> differing_values(
    const std::map<std::string, std::string>& want, const std::map<std::string, std::string>& have,
    const std::string& absent, bool (*same)(const std::string&, const std::string&)) {
    std::vector<ValueDifference> out;
    for (const std::string& k : keys_of(want, have)) {
        auto w = want.find(k);
        auto h = have.find(k);
        std::string x = w == want.end() ? absent : w->second;
        std::string y = h == have.end() ? absent : h->second;
        if (!same(x, y)) {
            out.push_back({k, std::move(x), std::move(y)});
        }
    }
    return out;
}

/// How the members of a set read when the cluster holds one the topology does not declare (a
/// risk) and when it lacks one the topology declares.
struct MemberWording {
    std::string category;
    std::string subject;
    std::function<std::string(const std::string&)> extra;
    std::function<std::string(const std::string&)> missing;
};

void compare_members(const std::set<std::string>& want, const std::set<std::string>& have,
                     const MemberWording& w, DriftReport& r) {
    for (const std::string& m : have) {
        if (!want.contains(m)) {
            r.items.push_back(
                {w.category, w.subject, Change::extra, w.extra(m), true, std::nullopt});
        }
    }
    for (const std::string& m : want) {
        if (!have.contains(m)) {
            r.items.push_back(
                {w.category, w.subject, Change::missing, w.missing(m), false, std::nullopt});
        }
    }
}

std::string subject_of(const LivePrincipal& p) {
    return p.from_kafka_user && p.principal != "User:" + p.user
               ? fmt::format("{} (KafkaUser {})", p.principal, p.user)
               : p.principal;
}

void compare_principals(const Expected& e, const LiveState& have, DriftReport& r) {
    const LiveState& want = e.state;
    bool users = have.parts.contains(Part::users);
    bool acls = users || have.parts.contains(Part::acls);
    for (const std::string& name : keys_of(want.principals, have.principals)) {
        auto w = want.principals.find(name);
        auto h = have.principals.find(name);
        const LivePrincipal* wp = w == want.principals.end() ? nullptr : &w->second;
        const LivePrincipal* hp = h == have.principals.end() ? nullptr : &h->second;
        const LivePrincipal& any = wp ? *wp : *hp;
        std::string subject = subject_of(hp ? *hp : any);
        if (!wp) {
            r.items.push_back(
                {"principal", subject, Change::extra,
                 hp->from_kafka_user
                     ? fmt::format("KafkaUser '{}' that no service declares", hp->user)
                     : "a principal with ACLs that no service declares",
                 true, std::nullopt});
        } else if (!hp && users) {
            r.items.push_back({"principal", subject, Change::missing,
                               fmt::format("KafkaUser '{}' is not in the cluster", wp->user), false,
                               std::nullopt});
        }
        if (acls) {
            static const std::vector<LiveAcl> none;
            const std::vector<LiveAcl>& a = wp ? wp->acls : none;
            const std::vector<LiveAcl>& b = hp ? hp->acls : none;
            std::vector<LiveAcl> extra;
            std::vector<LiveAcl> missing;
            std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::back_inserter(extra));
            std::set_difference(a.begin(), a.end(), b.begin(), b.end(),
                                std::back_inserter(missing));
            for (const LiveAcl& acl : extra) {
                if (acl.host != "*" && e.host_acls_acknowledged.contains(name)) {
                    r.acknowledged.push_back(fmt::format(
                        "{} {}: host-restricted, acknowledged (KM710)", subject, acl_text(acl)));
                    continue;
                }
                r.items.push_back({"acl", subject, Change::extra,
                                   fmt::format("{}: the cluster grants what the topology does not",
                                               acl_text(acl)),
                                   acl.effect == model::Effect::allow, acl});
            }
            for (const LiveAcl& acl : missing) {
                r.items.push_back(
                    {"acl", subject, Change::missing,
                     fmt::format("{}: the topology grants what the cluster lacks", acl_text(acl)),
                     acl.effect == model::Effect::deny, acl});
            }
        }
        if (users && wp && hp && hp->from_kafka_user == wp->from_kafka_user) {
            static const std::map<std::string, std::string> no_quotas;
            for (const ValueDifference& d : differing_values(
                     wp->quotas ? wp->quotas->values : no_quotas,
                     hp->quotas ? hp->quotas->values : no_quotas, "none", same_number)) {
                r.items.push_back(
                    {"quota", subject, Change::differs,
                     fmt::format("{}: topology {}, cluster {}", d.key, d.want, d.have), false,
                     std::nullopt});
            }
        }
    }
}

void compare_client_policies(const Expected& e, const LiveState& have, DriftReport& r) {
    std::set<std::string> want = client_policy_principals(e.state, e.kafka_ns, e.listener_port);
    std::set<std::string> got = client_policy_principals(have, e.kafka_ns, e.listener_port);
    MemberWording wording{
        "client-policy",
        fmt::format("AuthorizationPolicy {}/* on port {}", e.kafka_ns, e.listener_port),
        [](const std::string& p) {
            return fmt::format("{} is admitted to the brokers but not declared", p);
        },
        [](const std::string& p) { return fmt::format("{} is declared but not admitted", p); }};
    compare_members(want, got, wording, r);
}

std::string mode_text(const std::string& mode) {
    return mode.empty() ? "unset" : mode;
}

int strictness(const std::string& mode) {
    return mode == "STRICT" ? 2 : mode == "PERMISSIVE" ? 1 : mode == "DISABLE" ? 0 : -1;
}

void compare_peer_authentications(const LiveState& want, const LiveState& have, DriftReport& r) {
    std::map<std::string, const LivePeerAuthentication*> a;
    std::map<std::string, const LivePeerAuthentication*> b;
    std::set<std::string> namespaces;
    for (const auto& pa : want.peer_authentications) {
        a[pa.ns + "/" + pa.name] = &pa;
        namespaces.insert(pa.ns);
    }
    for (const auto& pa : have.peer_authentications) {
        b[pa.ns + "/" + pa.name] = &pa;
    }
    for (const auto& [key, w] : a) {
        std::string subject = "PeerAuthentication " + key;
        auto it = b.find(key);
        if (it == b.end()) {
            r.items.push_back(
                {"peer-authentication", subject, Change::missing,
                 fmt::format("mtls {} is declared but not in the cluster", mode_text(w->mode)),
                 false, std::nullopt});
            continue;
        }
        const LivePeerAuthentication& h = *it->second;
        if (h.mode != w->mode) {
            r.items.push_back({"peer-authentication", subject, Change::differs,
                               fmt::format("mtls mode: topology {}, cluster {}", mode_text(w->mode),
                                           mode_text(h.mode)),
                               strictness(h.mode) < strictness(w->mode), std::nullopt});
        }
        if (h.port_modes != w->port_modes) {
            r.items.push_back({"peer-authentication", subject, Change::differs,
                               "portLevelMtls differs from what the topology emits", false,
                               std::nullopt});
        }
    }
    for (const auto& [key, h] : b) {
        if (!a.contains(key) && namespaces.contains(h->ns)) {
            r.items.push_back(
                {"peer-authentication", "PeerAuthentication " + key, Change::extra,
                 fmt::format("mtls {} that the topology does not declare", mode_text(h->mode)),
                 strictness(h->mode) < 2, std::nullopt});
        }
    }
}

std::string optional_number(const std::optional<long long>& n) {
    return n ? std::to_string(*n) : "unset";
}

void compare_count(const std::string& subject, std::string_view what,
                   const std::optional<long long>& want, const std::optional<long long>& have,
                   DriftReport& r) {
    if (want != have) {
        r.items.push_back({"topic", subject, Change::differs,
                           fmt::format("{}: topology {}, cluster {}", what, optional_number(want),
                                       optional_number(have)),
                           false, std::nullopt});
    }
}

void compare_topics(const Expected& e, const LiveState& have, DriftReport& r) {
    for (const auto& [name, w] : e.state.topics) {
        std::string subject = "topic " + name;
        auto it = have.topics.find(name);
        if (it == have.topics.end()) {
            r.items.push_back({"topic", subject, Change::missing, "declared, not in the cluster",
                               false, std::nullopt});
            continue;
        }
        const LiveTopic& h = it->second;
        compare_count(subject, "partitions", w.partitions, h.partitions, r);
        compare_count(subject, "replicas", w.replicas, h.replicas, r);
        for (const ValueDifference& d : differing_values(w.config, h.config, "unset", same_text)) {
            r.items.push_back(
                {"topic", subject, Change::differs,
                 fmt::format("config {}: topology {}, cluster {}", d.key, d.want, d.have), false,
                 std::nullopt});
        }
    }
    for (const auto& [name, h] : have.topics) {
        if (!e.state.topics.contains(name) && !e.external_topics.contains(name)) {
            r.items.push_back({"topic", "topic " + name, Change::extra,
                               "in the cluster, not declared", false, std::nullopt});
        }
    }
}

void compare_super_users(const LiveState& want, const LiveState& have, DriftReport& r) {
    if (!want.kafka || !have.kafka || !have.parts.contains(Part::kafka)) {
        return;
    }
    std::set<std::string> a(want.kafka->super_users.begin(), want.kafka->super_users.end());
    std::set<std::string> b(have.kafka->super_users.begin(), have.kafka->super_users.end());
    MemberWording wording{"super-user", "Kafka " + have.kafka->ns + "/" + have.kafka->name,
                          [](const std::string& u) {
                              return fmt::format(
                                  "super user '{}' that the topology does not declare", u);
                          },
                          [](const std::string& u) {
                              return fmt::format("super user '{}' is not in the cluster", u);
                          }};
    compare_members(a, b, wording, r);
}

}  // namespace

std::size_t DriftReport::risks() const {
    return static_cast<std::size_t>(
        std::count_if(items.begin(), items.end(), [](const DriftItem& i) { return i.risk; }));
}

std::string acl_text(const LiveAcl& acl) {
    std::string text = fmt::format("{} {} {} {} {}", model::resource_type_name(acl.type),
                                   model::pattern_type_name(acl.pattern), acl.name,
                                   model::operation_name(acl.operation),
                                   acl.effect == model::Effect::allow ? "allow" : "deny");
    if (acl.host != "*") {
        text += " host " + acl.host;
    }
    return text;
}

Expected expected_state(const model::Topology& topology, LiveState emitted) {
    Expected e;
    e.state = std::move(emitted);
    const model::Kafka& k = *topology.kafka;
    e.kafka_ns = k.ns.value;
    e.listener_port = std::to_string(k.listener_port);
    for (const model::Topic& t : topology.topics) {
        if (t.external) {
            e.external_topics.insert(t.name.value);
        }
    }
    for (const model::Acknowledgement& a : topology.acknowledgements) {
        if (a.code.value != "KM710") {
            continue;
        }
        for (const model::Service& s : topology.services) {
            if (s.location.file == a.from.file && s.location.line == a.from.line &&
                s.location.column == a.from.column) {
                e.host_acls_acknowledged.insert("User:" +
                                                model::kafka_principal_name(k.authentication, s));
            }
        }
    }
    return e;
}

std::set<std::string> client_policy_principals(const LiveState& state, const std::string& kafka_ns,
                                               const std::string& listener_port) {
    std::set<std::string> out;
    for (const LivePolicy& p : state.policies) {
        if (p.ns == kafka_ns && p.action == "ALLOW" && !p.selector.empty() &&
            p.ports.contains(listener_port)) {
            out.insert(p.principals.begin(), p.principals.end());
        }
    }
    return out;
}

DriftReport compare(const Expected& expected, const LiveState& live) {
    DriftReport r;
    if (live.parts.contains(Part::users) || live.parts.contains(Part::acls)) {
        compare_principals(expected, live, r);
    } else {
        r.not_compared.push_back("KafkaUsers and ACLs");
    }
    if (live.parts.contains(Part::policies)) {
        compare_client_policies(expected, live, r);
    } else {
        r.not_compared.push_back("AuthorizationPolicies");
    }
    if (live.parts.contains(Part::peer_authentications)) {
        compare_peer_authentications(expected.state, live, r);
    } else {
        r.not_compared.push_back("PeerAuthentications");
    }
    if (live.parts.contains(Part::topics)) {
        compare_topics(expected, live, r);
    } else {
        r.not_compared.push_back("KafkaTopics");
    }
    compare_super_users(expected.state, live, r);
    return r;
}

std::string render_text(const DriftReport& report) {
    std::string out;
    if (report.in_sync()) {
        out += "in sync: the cluster holds what the topology declares\n";
    } else {
        out += fmt::format("drift: {} difference{}, {} flagged as a risk\n", report.items.size(),
                           report.items.size() == 1 ? "" : "s", report.risks());
        std::string last;
        for (const DriftItem& i : report.items) {
            const std::string& head = i.subject;
            if (head != last) {
                out += "\n" + head + "\n";
                last = head;
            }
            out += fmt::format("  {:<8} {}{}\n", change_name(i.change), i.detail,
                               i.risk ? "  [risk]" : "");
        }
    }
    if (!report.acknowledged.empty()) {
        out += fmt::format("\nacknowledged in the topology, not counted:\n  {}\n",
                           fmt::join(report.acknowledged, "\n  "));
    }
    if (!report.not_compared.empty()) {
        out += fmt::format("\nnot compared (none in the live input): {}\n",
                           fmt::join(report.not_compared, ", "));
    }
    return out;
}

std::string render_markdown(const DriftReport& report) {
    std::string out = "### kafkamesh drift\n\n";
    if (report.in_sync()) {
        out += "In sync: the cluster holds what the topology declares.\n";
    } else {
        out += fmt::format("**{} difference{}**, {} flagged as a risk.\n\n", report.items.size(),
                           report.items.size() == 1 ? "" : "s", report.risks());
        out += "| | subject | change | detail |\n|---|---|---|---|\n";
        for (const DriftItem& i : report.items) {
            std::string detail = i.detail;
            std::string escaped;
            for (char c : detail) {
                escaped += c == '|' ? std::string("\\|") : std::string(1, c);
            }
            out += fmt::format("| {} | `{}` | {} | {} |\n", i.risk ? ":warning:" : "", i.subject,
                               change_name(i.change), escaped);
        }
    }
    if (!report.acknowledged.empty()) {
        out += fmt::format("\nAcknowledged in the topology, not counted: {}.\n",
                           fmt::join(report.acknowledged, "; "));
    }
    if (!report.not_compared.empty()) {
        out += fmt::format("\nNot compared (none in the live input): {}.\n",
                           fmt::join(report.not_compared, ", "));
    }
    return out;
}

std::string render_json(const DriftReport& report) {
    Json root;
    root["inSync"] = report.in_sync();
    root["risks"] = report.risks();
    Json items = Json::array();
    for (const DriftItem& i : report.items) {
        Json o;
        o["category"] = i.category;
        o["subject"] = i.subject;
        o["change"] = change_name(i.change);
        o["risk"] = i.risk;
        o["detail"] = i.detail;
        if (i.acl) {
            Json a;
            a["resourceType"] = model::resource_type_name(i.acl->type);
            a["patternType"] = model::pattern_type_name(i.acl->pattern);
            a["name"] = i.acl->name;
            a["operation"] = model::operation_name(i.acl->operation);
            a["effect"] = i.acl->effect == model::Effect::allow ? "allow" : "deny";
            a["host"] = i.acl->host;
            o["acl"] = a;
        }
        items.push_back(o);
    }
    root["differences"] = items;
    root["notCompared"] = report.not_compared;
    if (!report.acknowledged.empty()) {
        root["acknowledged"] = report.acknowledged;
    }
    return root.dump(2) + "\n";
}

}  // namespace km::live
