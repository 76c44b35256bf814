#include "admin/plan_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "diff/settings_diff.h"
#include "graph/authorizer.h"

namespace km::admin {
namespace {

using diff::Flag;
using diff::Grant;
using model::Operation;

void add_flag(std::vector<Flag>& flags, diag::Code code, diff::Place at, std::string subject,
              std::string message) {
    Flag f;
    f.code = code;
    f.place = std::move(at);
    f.subject = std::move(subject);
    f.message = std::move(message);
    flags.push_back(std::move(f));
}

std::string pattern_text(const live::LiveAcl& a) {
    return a.pattern == model::PatternType::prefix ? a.name + "*" : a.name;
}

std::string entry_text(const live::LiveAcl& a) {
    return fmt::format("{} on {} '{}'", model::operation_name(a.operation),
                       model::resource_type_name(a.type), pattern_text(a));
}

std::string list_text(const std::vector<std::string>& items) {
    constexpr std::size_t shown = 3;
    std::vector<std::string> head(items.begin(),
                                  items.begin() + static_cast<long>(std::min(shown, items.size())));
    std::string text = fmt::format("{}", fmt::join(head, ", "));
    if (items.size() > shown) {
        text += fmt::format(" and {} more", items.size() - shown);
    }
    return text;
}

/// The graph's entry a wanted binding comes from, or null for a binding only the cluster holds.
const graph::AclEntry* entry_of(const PlanInputs& in, const AclBinding& b) {
    auto p = in.want.principals.find(b.principal);
    if (p == in.want.principals.end()) {
        return nullptr;
    }
    const DesiredPrincipal& d = p->second;
    auto at = std::lower_bound(d.acls.begin(), d.acls.end(), b.acl);
    if (at == d.acls.end() || !(*at == b.acl)) {
        return nullptr;
    }
    const graph::Identity& id = in.graph.identities[d.graph_index];
    return &graph::kafka_acls(id)[d.entries[static_cast<std::size_t>(at - d.acls.begin())]];
}

/// Declared topics a prefix or '*' topic binding matches.
std::vector<std::string> covered_topics(const PlanInputs& in, const graph::AclEntry& e) {
    std::vector<std::string> out;
    if (e.type != model::ResourceType::topic ||
        (e.pattern != model::PatternType::prefix && e.name != "*")) {
        return out;
    }
    for (const model::Topic& t : in.topology.topics) {
        if (graph::pattern_matches(e, model::ResourceType::topic, t.name.value)) {
            out.push_back(t.name.value);
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

Grant grant_of(const PlanInputs& in, const AclBinding& b) {
    Grant g{b.acl.type, b.acl.pattern, b.acl.name, b.acl.effect, b.acl.operation, {}, {}};
    if (const graph::AclEntry* e = entry_of(in, b)) {
        g.covers = covered_topics(in, *e);
        for (const graph::Provenance& p : e->sources) {
            g.sources.push_back({std::string(graph::rule_name(p.rule)), p.via,
                                 diff::place_of(in.sources, p.location)});
        }
    }
    return g;
}

diff::IdentityDiff& identity(std::map<std::string, diff::IdentityDiff>& out, const PlanInputs& in,
                             const std::string& principal) {
    diff::IdentityDiff& d = out[principal];
    if (d.key.empty()) {
        d.key = principal;
        auto p = in.want.principals.find(principal);
        d.user = p != in.want.principals.end() ? p->second.user
                                               : principal.substr(principal.find(':') + 1);
    }
    return d;
}

/// Flags of the bindings one principal gains and loses, as diff flags them.
void flag_principal(const diff::IdentityDiff& d, std::vector<Flag>& flags) {
    std::vector<std::string> widened;
    diff::Place first;
    for (const Grant& g : d.gained) {
        diff::Place at = g.sources.empty() ? diff::Place{} : g.sources.front().place;
        live::LiveAcl a{g.type, g.pattern, g.name, g.effect, g.operation, "*", {}};
        if (g.effect != model::Effect::allow) {
            continue;
        }
        if (widened.empty()) {
            first = at;
        }
        widened.push_back(entry_text(a));
        if (g.pattern == model::PatternType::prefix || g.name == "*") {
            add_flag(flags, diag::Code::KM602, at, d.key,
                     fmt::format("new {} grant on {} '{}' for '{}'{}",
                                 g.name == "*" ? "wildcard" : "prefix",
                                 model::resource_type_name(g.type), pattern_text(a), d.key,
                                 g.covers.empty() ? "" : " covers " + list_text(g.covers)));
        }
        if (g.type == model::ResourceType::cluster &&
            (g.operation == Operation::Alter || g.operation == Operation::AlterConfigs ||
             g.operation == Operation::ClusterAction || g.operation == Operation::All)) {
            add_flag(flags, diag::Code::KM620, at, d.key,
                     fmt::format("'{}' gains {} on the cluster", d.key,
                                 model::operation_name(g.operation)));
        }
    }
    if (!widened.empty()) {
        add_flag(
            flags, diag::Code::KM601, first, d.key,
            fmt::format("access of '{}' on the cluster widens: {}", d.key, list_text(widened)));
    }
    for (const Grant& g : d.lost) {
        if (g.effect == model::Effect::deny) {
            live::LiveAcl a{g.type, g.pattern, g.name, g.effect, g.operation, "*", {}};
            add_flag(flags, diag::Code::KM604, diff::Place{}, d.key,
                     fmt::format("the deny of {} for '{}' is deleted", entry_text(a), d.key));
        }
    }
}

void add_identities(const PlanInputs& in, diff::DiffReport& r) {
    std::map<std::string, diff::IdentityDiff> by_principal;
    for (const AclBinding& b : in.plan.create_acls) {
        identity(by_principal, in, b.principal).gained.push_back(grant_of(in, b));
    }
    for (const AclBinding& b : in.plan.delete_acls) {
        identity(by_principal, in, b.principal).lost.push_back(grant_of(in, b));
    }
    for (auto& [principal, d] : by_principal) {
        auto want = in.want.principals.find(principal);
        if (want == in.want.principals.end()) {
            d.status = diff::Status::removed;  // every ACL of an undeclared owned principal goes
        } else if (d.lost.empty() && d.gained.size() == want->second.acls.size()) {
            d.status = diff::Status::added;  // the cluster holds none of its ACLs yet
        }
        flag_principal(d, r.flags);
        r.identities.push_back(std::move(d));
    }
}

std::string config_text(const std::map<std::string, std::string>& config) {
    std::vector<std::string> parts;
    for (const auto& [k, v] : config) {
        parts.push_back(k + "=" + v);
    }
    return fmt::format("{}", fmt::join(parts, ", "));
}

diff::Place topic_place(const PlanInputs& in, const std::string& name) {
    auto t = in.want.topics.find(name);
    return t == in.want.topics.end() ? diff::Place{}
                                     : diff::place_of(in.sources, t->second.location);
}

void add_unapplied(const PlanInputs& in, std::map<std::string, diff::TopicDiff>& topics,
                   diff::DiffReport& r) {
    for (const Unapplied& u : in.plan.unapplied) {
        diff::TopicDiff& t = topics[u.topic];
        t.name = u.topic;
        diff::Place at = topic_place(in, u.topic);
        switch (u.kind) {
            case Unapplied::Kind::partitions_decrease:
                t.changes.push_back({"partitions (not applied)", u.held, u.declared});
                add_flag(r.flags, diag::Code::KM606, at, u.topic,
                         fmt::format("topic '{}' has {} partitions and the topology "
                                     "declares {}: Kafka cannot remove partitions",
                                     u.topic, u.held, u.declared));
                break;
            case Unapplied::Kind::replicas_differ:
                t.changes.push_back({"replicas (not applied)", u.held, u.declared});
                add_flag(r.flags, diag::Code::KM807, at, u.topic,
                         fmt::format("topic '{}' has {} replicas and the topology "
                                     "declares {}: apply sets replicas only when it "
                                     "creates a topic",
                                     u.topic, u.held, u.declared));
                break;
            case Unapplied::Kind::hidden_config:
                add_flag(r.flags, diag::Code::KM807, at, u.topic,
                         fmt::format("topic '{}' holds the sensitive setting '{}', "
                                     "which AlterConfigs would drop: its settings are "
                                     "not changed",
                                     u.topic, u.held));
                break;
        }
    }
}

void add_topics(const PlanInputs& in, diff::DiffReport& r) {
    std::map<std::string, diff::TopicDiff> topics;
    for (const TopicCreation& c : in.plan.create_topics) {
        diff::TopicDiff& t = topics[c.name];
        t.name = c.name;
        t.status = diff::Status::added;
        t.changes.push_back({"partitions", "",
                             c.partitions < 0 ? "(broker default)" : std::to_string(c.partitions)});
        t.changes.push_back(
            {"replicas", "", c.replicas < 0 ? "(broker default)" : std::to_string(c.replicas)});
        if (!c.config.empty()) {
            t.changes.push_back({"config", "", config_text(c.config)});
        }
    }
    for (const PartitionIncrease& p : in.plan.add_partitions) {
        topics[p.name].name = p.name;
        topics[p.name].changes.push_back(
            {"partitions", std::to_string(p.from), std::to_string(p.to)});
    }
    for (const ConfigUpdate& u : in.plan.set_configs) {
        topics[u.name].name = u.name;
        for (const auto& [key, values] : u.changed) {
            topics[u.name].changes.push_back({"config." + key, values.first, values.second});
        }
    }
    for (const std::string& name : in.plan.delete_topics) {
        topics[name].name = name;
        topics[name].status = diff::Status::removed;
        add_flag(r.flags, diag::Code::KM613, diff::Place{}, name,
                 fmt::format("topic '{}' is deleted with every record in it "
                             "(--delete-topics)",
                             name));
    }
    add_unapplied(in, topics, r);
    std::map<std::string, std::size_t> unwritable;
    for (const AclBinding& b : in.plan.unapplied_acls) {
        ++unwritable[b.principal];
    }
    for (const auto& [principal, n] : unwritable) {
        add_flag(r.flags, diag::Code::KM807, diff::Place{}, principal,
                 fmt::format("{} transactional-id ACL{} of '{}' cannot be checked or "
                             "placed: this librdkafka cannot name the resource type "
                             "(librdkafka 2.6.0 can)",
                             n, n == 1 ? "" : "s", principal));
    }
    for (auto& entry : topics) {
        r.topics.push_back(std::move(entry.second));
    }
}

}  // namespace

diff::DiffReport plan_report(const PlanInputs& in) {
    diff::DiffReport r;
    r.command = "plan";
    r.base = in.cluster;
    r.head = in.topology_label;
    add_identities(in, r);
    add_topics(in, r);
    std::sort(r.flags.begin(), r.flags.end(), [](const Flag& a, const Flag& b) {
        return std::tie(a.code, a.subject, a.place.file, a.place.line, a.place.column, a.message) <
               std::tie(b.code, b.subject, b.place.file, b.place.line, b.place.column, b.message);
    });
    return r;
}

}  // namespace km::admin
