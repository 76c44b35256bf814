#include "review/review_checks.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "graph/authorizer.h"
#include "graph/mesh_reach.h"

namespace km::review {
namespace {

using graph::AclEntry;
using graph::Identity;
using model::Operation;

diag::Location where(const AclEntry& e) {
    return e.sources.empty() ? diag::Location{} : e.sources.front().location;
}

std::string describe(const AclEntry& e) {
    std::string name = e.pattern == model::PatternType::prefix ? e.name + "*" : e.name;
    return fmt::format("{} {} on {} '{}'", e.effect == model::Effect::allow ? "allow" : "deny",
                       model::operation_name(e.operation), model::resource_type_name(e.type), name);
}

std::string origin(const AclEntry& e) {
    if (e.sources.empty()) {
        return "the grant";
    }
    return fmt::format("{} of '{}'", graph::rule_name(e.sources.front().rule),
                       e.sources.front().via);
}

/// The operations an ALLOW of `op` permits, itself first.
std::vector<Operation> permitted(Operation op) {
    std::vector<Operation> out{op};
    for (Operation implied : {Operation::Describe, Operation::DescribeConfigs}) {
        if (implied != op && graph::allow_permits(op, implied)) {
            out.push_back(implied);
        }
    }
    return out;
}

/// An allow entry grants something when at least one operation it permits is not denied over
/// its whole pattern.
bool allow_effective(const Identity& id, const AclEntry& allow) {
    for (Operation op : permitted(allow.operation)) {
        bool denied = false;
        for (const AclEntry& deny : id.acls) {
            if (deny.effect == model::Effect::deny && graph::deny_forbids(deny.operation, op) &&
                pattern_covers(deny, allow)) {
                denied = true;
                break;
            }
        }
        if (!denied) {
            return true;
        }
    }
    return false;
}

void check_mesh_agreement(const Identity& id, diag::DiagnosticSink& sink) {
    if (id.super_user) {
        return;
    }
    if (!id.acls.empty() && !graph::admitted_to_client_port(id)) {
        auto& d = sink.report(
            diag::Code::KM451, where(id.acls.front()),
            fmt::format("'{}' holds only deny grants, so the mesh admits it to no broker port",
                        id.key));
        diag::add_help(d, "drop the deny-only role, or grant the identity what it needs");
        return;
    }
    if (!graph::admitted_to_client_port(id)) {
        return;
    }
    for (const AclEntry& e : id.acls) {
        if (e.effect == model::Effect::allow && allow_effective(id, e)) {
            return;
        }
    }
    auto& d = sink.report(diag::Code::KM452, where(id.acls.front()),
                          fmt::format("the mesh admits '{}' to the client port, but its deny "
                                      "grants leave it no Kafka access",
                                      id.key));
    diag::add_help(d, "remove the grants the denies cancel, or the denies");
}

void check_shadowing(const Identity& id, diag::DiagnosticSink& sink) {
    for (const AclEntry& deny : id.acls) {
        if (deny.effect != model::Effect::deny) {
            continue;
        }
        for (const AclEntry& allow : id.acls) {
            if (allow.effect != model::Effect::allow ||
                !graph::deny_forbids(deny.operation, allow.operation) ||
                !pattern_covers(deny, allow)) {
                continue;
            }
            if (deny.pattern == allow.pattern && deny.name == allow.name &&
                deny.operation == allow.operation) {
                continue;  // an exact cancel is KM316
            }
            auto& d = sink.report(
                diag::Code::KM453, where(deny),
                fmt::format("{} shadows {} for '{}'", describe(deny), describe(allow), id.key));
            diag::add_note(d, where(allow), fmt::format("the allow comes from {}", origin(allow)));
        }
    }
}

/// The declared topics sorted by name, each with its index in the topology.
std::vector<std::pair<std::string_view, std::size_t>> topics_by_name(const model::Topology& t) {
    std::vector<std::pair<std::string_view, std::size_t>> by_name;
    by_name.reserve(t.topics.size());
    for (std::size_t i = 0; i < t.topics.size(); ++i) {
        by_name.emplace_back(t.topics[i].name.value, i);
    }
    std::sort(by_name.begin(), by_name.end());
    return by_name;
}

/// Calls `visit(topic index)` for every declared topic the entry's pattern matches, except for
/// the literal '*', which matches them all and is left to the caller.
template <class Visit>
void for_each_matched_topic(const std::vector<std::pair<std::string_view, std::size_t>>& by_name,
                            const AclEntry& e, Visit visit) {
    auto it = std::lower_bound(by_name.begin(), by_name.end(),
                               std::make_pair(std::string_view(e.name), std::size_t{0}));
    for (; it != by_name.end() && it->first.substr(0, e.name.size()) == e.name; ++it) {
        if (e.pattern == model::PatternType::prefix || it->first == e.name) {
            visit(it->second);
        }
        if (e.pattern == model::PatternType::literal) {
            break;
        }
    }
}

/// Per declared topic, the identities (not super users) that Kafka allows `op` on it, in graph
/// order. Candidates are the identities holding an allow of `op` or All on a pattern that can
/// match the topic; authorize() then decides exactly (denies, implied operations). The cost grows
/// with the grants and the topics they cover, never with identities times topics.
std::vector<std::vector<std::size_t>> topic_clients(
    const model::Topology& t, const graph::AccessGraph& graph,
    const std::vector<std::pair<std::string_view, std::size_t>>& by_name, Operation op) {
    std::vector<std::vector<std::size_t>> candidates(t.topics.size());
    std::vector<std::size_t> everywhere;
    for (std::size_t id = 0; id < graph.identities.size(); ++id) {
        const Identity& identity = graph.identities[id];
        if (identity.super_user) {
            continue;
        }
        for (const AclEntry& e : identity.acls) {
            if (e.type != model::ResourceType::topic || e.effect != model::Effect::allow ||
                (e.operation != op && e.operation != Operation::All)) {
                continue;
            }
            if (e.pattern == model::PatternType::literal && e.name == "*") {
                everywhere.push_back(id);
                continue;
            }
            for_each_matched_topic(
                by_name, e, [&candidates, id](std::size_t i) { candidates[i].push_back(id); });
        }
    }
    for (std::size_t i = 0; i < t.topics.size(); ++i) {
        const model::Topic& topic = t.topics[i];
        std::vector<std::size_t>& ids = candidates[i];
        ids.insert(ids.end(), everywhere.begin(), everywhere.end());
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        ids.erase(std::remove_if(ids.begin(), ids.end(),
                                 [&](std::size_t id) {
                                     return !graph::authorize(graph.identities[id], op,
                                                              model::ResourceType::topic,
                                                              topic.name.value)
                                                 .allowed();
                                 }),
                  ids.end());
    }
    return candidates;
}

void check_writers(const model::Topology& t, const graph::AccessGraph& graph,
                   const std::vector<std::vector<std::size_t>>& writers_of,
                   const ReviewOptions& options, diag::DiagnosticSink& sink) {
    for (std::size_t i = 0; i < t.topics.size(); ++i) {
        const model::Topic& topic = t.topics[i];
        const std::vector<std::size_t>& writers = writers_of[i];
        if (writers.size() <= options.max_writers) {
            continue;
        }
        auto& d = sink.report(
            diag::Code::KM454, topic.name.location,
            fmt::format("topic '{}' is writable by {} identities, more than the limit of {}",
                        topic.name.value, writers.size(), options.max_writers));
        std::string list;
        for (std::size_t id : writers) {
            list += (list.empty() ? "'" : ", '") + graph.identities[id].key + "'";
        }
        diag::add_note(d, {}, "writers: " + list);
        diag::add_help(d, "split the topic per producer, or raise the limit with --max-writers");
    }
}

/// KM457 and KM458: a declared topic that only super users (or nobody) can write, or read. A
/// Connect storage topic the topology did not declare itself is the workers' own, and an
/// external topic lives outside the topology with clients that may too: both are skipped.
void check_unused_topics(const model::Topology& t, const graph::AccessGraph& graph,
                         const std::vector<std::vector<std::size_t>>& writers_of,
                         const std::vector<std::vector<std::size_t>>& readers_of,
                         diag::DiagnosticSink& sink) {
    bool super_users = std::any_of(graph.identities.begin(), graph.identities.end(),
                                   [](const Identity& id) { return id.super_user; });
    std::string who = super_users ? "no identity but a super user" : "no identity";
    for (std::size_t i = 0; i < t.topics.size(); ++i) {
        const model::Topic& topic = t.topics[i];
        if (topic.implicit || topic.external) {
            continue;
        }
        if (writers_of[i].empty()) {
            auto& d = sink.report(diag::Code::KM457, topic.name.location,
                                  fmt::format("{} may write to topic '{}'", who, topic.name.value));
            diag::add_help(d,
                           "list the topic under the producing service's 'produces', remove it, "
                           "or acknowledge KM457 on the topic when that is intended");
        }
        if (readers_of[i].empty()) {
            auto& d = sink.report(diag::Code::KM458, topic.name.location,
                                  fmt::format("{} may read topic '{}'", who, topic.name.value));
            diag::add_help(d,
                           "list the topic under the reading service's 'consumes', remove it, "
                           "or acknowledge KM458 on the topic when that is intended");
        }
    }
}

void check_denied_topic_covers(const model::Topology& t, const graph::AccessGraph& graph,
                               diag::DiagnosticSink& sink) {
    std::set<std::tuple<diag::Location, std::string, diag::Location>> reported;
    for (const DeniedTopicCover& c : denied_topic_covers(t, graph)) {
        // A role shared by many services gives each identity the same grant: one report.
        if (!reported.emplace(where(*c.grant), c.topic, where(*c.deny)).second) {
            continue;
        }
        auto& d = sink.report(
            diag::Code::KM459, where(*c.grant),
            fmt::format("prefix grant '{}*' of '{}' allows {} on topic '{}', which '{}' is "
                        "explicitly denied",
                        c.grant->name, c.holder->key, model::operation_name(c.operation), c.topic,
                        c.denied->key));
        diag::add_note(d, where(*c.deny), fmt::format("the deny comes from {}", origin(*c.deny)));
        diag::add_help(d,
                       "grant the topics by name, add a deny of the topic for this identity too, "
                       "or acknowledge KM459 where the grant is declared when it is intended");
    }
}

void check_prefixes(const graph::AccessGraph& graph, diag::DiagnosticSink& sink) {
    // Only one identity's own grants are compared: a narrower prefix that another identity holds
    // with other operations is a separate grant, not a redundant one. Each prefix is compared with
    // its own shorter prefixes: a map lookup per length, so the cost grows with the grants.
    std::set<std::tuple<diag::Location, model::ResourceType, std::string>> reported;
    for (const Identity& id : graph.identities) {
        if (id.super_user) {
            continue;
        }
        std::map<std::pair<model::ResourceType, std::string>, const AclEntry*> prefixes;
        for (const AclEntry& e : id.acls) {
            if (e.pattern == model::PatternType::prefix && e.effect == model::Effect::allow) {
                auto [it, fresh] = prefixes.emplace(std::make_pair(e.type, e.name), &e);
                if (!fresh && where(e) < where(*it->second)) {
                    it->second = &e;
                }
            }
        }
        for (const auto& [inner_key, inner] : prefixes) {
            const std::string& name = inner_key.second;
            for (std::size_t length = 1; length < name.size(); ++length) {
                auto outer_it =
                    prefixes.find(std::make_pair(inner_key.first, name.substr(0, length)));
                if (outer_it == prefixes.end()) {
                    continue;
                }
                const auto& [outer_key, outer] = *outer_it;
                // A role shared by many services gives each identity the same pair of grants.
                if (!reported.emplace(where(*inner), inner_key.first, outer_key.second).second) {
                    continue;
                }
                auto& d = sink.report(diag::Code::KM455, where(*inner),
                                      fmt::format("{} prefix '{}*' of '{}' lies inside its prefix "
                                                  "'{}*'",
                                                  model::resource_type_name(inner_key.first),
                                                  inner_key.second, id.key, outer_key.second));
                diag::add_note(d, where(*outer),
                               fmt::format("the wider prefix comes from {}", origin(*outer)));
            }
        }
    }
}

void check_roles(const model::Topology& t, diag::DiagnosticSink& sink) {
    std::set<std::string> used;
    for (const model::Service& s : t.services) {
        for (const model::Text& r : s.roles) {
            used.insert(r.value);
        }
    }
    for (const model::Role& role : t.roles) {
        if (!used.count(role.name.value)) {
            auto& d = sink.report(diag::Code::KM456, role.name.location,
                                  fmt::format("role '{}' is used by no service", role.name.value));
            diag::add_help(d, "remove it, or list it under a service's 'roles'");
        }
    }
}

}  // namespace

bool pattern_covers(const AclEntry& deny, const AclEntry& allow) {
    if (deny.type != allow.type) {
        return false;
    }
    if (deny.pattern == model::PatternType::literal) {
        if (deny.name == "*") {
            return true;
        }
        return allow.pattern == model::PatternType::literal && allow.name == deny.name;
    }
    if (allow.pattern == model::PatternType::literal && allow.name == "*") {
        return false;
    }
    return allow.name.rfind(deny.name, 0) == 0;
}

std::vector<DeniedTopicCover> denied_topic_covers(const model::Topology& t,
                                                  const graph::AccessGraph& graph) {
    // The topic operations that touch its records or its existence; Describe, DescribeConfigs
    // and Create (of a topic that exists) do not.
    static constexpr Operation k_data_operations[] = {Operation::Read, Operation::Write,
                                                      Operation::Delete, Operation::Alter,
                                                      Operation::AlterConfigs};
    std::vector<std::pair<std::string_view, std::size_t>> by_name = topics_by_name(t);
    // The explicit denies per declared topic: every deny of a topic pattern but the literal '*'
    // (which names no topic), with the identity holding it.
    std::vector<std::vector<std::pair<const Identity*, const AclEntry*>>> denies(t.topics.size());
    for (const Identity& id : graph.identities) {
        for (const AclEntry& e : id.acls) {
            if (e.type != model::ResourceType::topic || e.effect != model::Effect::deny ||
                (e.pattern == model::PatternType::literal && e.name == "*")) {
                continue;
            }
            const Identity* holder = &id;
            const AclEntry* entry = &e;
            for_each_matched_topic(by_name, e, [&denies, holder, entry](std::size_t i) {
                denies[i].emplace_back(holder, entry);
            });
        }
    }
    std::vector<DeniedTopicCover> out;
    for (const Identity& id : graph.identities) {
        if (id.super_user) {
            continue;
        }
        for (const AclEntry& e : id.acls) {
            if (e.type != model::ResourceType::topic || e.effect != model::Effect::allow ||
                e.pattern != model::PatternType::prefix) {
                continue;
            }
            const Identity* holder = &id;
            const AclEntry* grant = &e;
            for_each_matched_topic(by_name, e, [&](std::size_t i) {
                const std::string& topic = t.topics[i].name.value;
                for (const auto& [denied, deny] : denies[i]) {
                    if (denied == holder) {
                        continue;
                    }
                    // Reported only when the grant really lets the holder do to the records
                    // what the other identity is denied: its own denies may carve the topic out
                    // as well, and Describe shows metadata only (a lag exporter's grant).
                    for (Operation op : k_data_operations) {
                        if (graph::allow_permits(grant->operation, op) &&
                            graph::deny_forbids(deny->operation, op) &&
                            graph::authorize(*holder, op, model::ResourceType::topic, topic)
                                .allowed()) {
                            out.push_back({holder, grant, topic, denied, deny, op});
                            break;
                        }
                    }
                }
            });
        }
    }
    return out;
}

void review_topology(const model::Topology& t, const graph::AccessGraph& graph,
                     const ReviewOptions& options, diag::DiagnosticSink& sink) {
    for (const Identity& id : graph.identities) {
        check_mesh_agreement(id, sink);
        check_shadowing(id, sink);
    }
    std::vector<std::pair<std::string_view, std::size_t>> by_name = topics_by_name(t);
    std::vector<std::vector<std::size_t>> writers =
        topic_clients(t, graph, by_name, Operation::Write);
    std::vector<std::vector<std::size_t>> readers =
        topic_clients(t, graph, by_name, Operation::Read);
    check_writers(t, graph, writers, options, sink);
    check_unused_topics(t, graph, writers, readers, sink);
    check_denied_topic_covers(t, graph, sink);
    check_prefixes(graph, sink);
    check_roles(t, sink);
}

}  // namespace km::review
