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

void check_writers(const model::Topology& t, const graph::AccessGraph& graph,
                   const ReviewOptions& options, diag::DiagnosticSink& sink) {
    // Candidates per topic are the identities holding an allow of Write or All on a pattern that
    // can match it; authorize() then decides exactly (denies, implied operations). The cost grows
    // with the grants and the topics they cover, never with identities times topics.
    std::vector<std::pair<std::string_view, std::size_t>> by_name;
    by_name.reserve(t.topics.size());
    for (std::size_t i = 0; i < t.topics.size(); ++i) {
        by_name.emplace_back(t.topics[i].name.value, i);
    }
    std::sort(by_name.begin(), by_name.end());
    std::vector<std::vector<std::size_t>> candidates(t.topics.size());
    std::vector<std::size_t> everywhere;
    for (std::size_t id = 0; id < graph.identities.size(); ++id) {
        const Identity& identity = graph.identities[id];
        if (identity.super_user) {
            continue;
        }
        for (const AclEntry& e : identity.acls) {
            if (e.type != model::ResourceType::topic || e.effect != model::Effect::allow ||
                (e.operation != Operation::Write && e.operation != Operation::All)) {
                continue;
            }
            if (e.pattern == model::PatternType::literal && e.name == "*") {
                everywhere.push_back(id);
                continue;
            }
            auto it = std::lower_bound(by_name.begin(), by_name.end(),
                                       std::make_pair(std::string_view(e.name), std::size_t{0}));
            for (; it != by_name.end() && it->first.substr(0, e.name.size()) == e.name; ++it) {
                if (e.pattern == model::PatternType::prefix || it->first == e.name) {
                    candidates[it->second].push_back(id);
                }
                if (e.pattern == model::PatternType::literal) {
                    break;
                }
            }
        }
    }
    for (std::size_t i = 0; i < t.topics.size(); ++i) {
        const model::Topic& topic = t.topics[i];
        std::vector<std::size_t>& ids = candidates[i];
        ids.insert(ids.end(), everywhere.begin(), everywhere.end());
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        std::vector<std::string> writers;
        for (std::size_t id : ids) {
            if (graph::authorize(graph.identities[id], Operation::Write, model::ResourceType::topic,
                                 topic.name.value)
                    .allowed()) {
                writers.push_back(graph.identities[id].key);
            }
        }
        if (writers.size() <= options.max_writers) {
            continue;
        }
        auto& d = sink.report(
            diag::Code::KM454, topic.name.location,
            fmt::format("topic '{}' is writable by {} identities, more than the limit of {}",
                        topic.name.value, writers.size(), options.max_writers));
        std::string list;
        for (const std::string& w : writers) {
            list += (list.empty() ? "'" : ", '") + w + "'";
        }
        diag::add_note(d, {}, "writers: " + list);
        diag::add_help(d, "split the topic per producer, or raise the limit with --max-writers");
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

void review_topology(const model::Topology& t, const graph::AccessGraph& graph,
                     const ReviewOptions& options, diag::DiagnosticSink& sink) {
    for (const Identity& id : graph.identities) {
        check_mesh_agreement(id, sink);
        check_shadowing(id, sink);
    }
    check_writers(t, graph, options, sink);
    check_prefixes(graph, sink);
    check_roles(t, sink);
}

}  // namespace km::review
