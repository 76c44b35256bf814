#include "admin/desired_state.h"

#include <fmt/format.h>

#include <algorithm>

#include "live/drift.h"
#include "model/derived.h"

namespace km::admin {
namespace {

NamePattern pattern_of(const std::string& written) {
    if (!written.empty() && written.back() == '*') {
        return {written.substr(0, written.size() - 1), true};
    }
    return {written, false};
}

bool any_matches(const std::vector<NamePattern>& patterns, const std::string& name) {
    return std::any_of(patterns.begin(), patterns.end(),
                       [&](const NamePattern& p) { return p.matches(name); });
}

void add_principals(const graph::AccessGraph& graph, DesiredState& out) {
    for (std::size_t i = 0; i < graph.identities.size(); ++i) {
        const graph::Identity& id = graph.identities[i];
        std::string principal = "User:" + id.principal_name;
        DesiredPrincipal p;
        p.identity = id.key;
        p.user = id.user;
        p.super_user = id.super_user;
        p.graph_index = i;
        const std::vector<graph::AclEntry>& entries = graph::kafka_acls(id);
        for (std::size_t e = 0; e < entries.size(); ++e) {
            live::LiveAcl acl;
            acl.type = entries[e].type;
            acl.pattern = entries[e].pattern;
            acl.name = entries[e].name;
            acl.effect = entries[e].effect;
            acl.operation = entries[e].operation;
            p.acls.push_back(std::move(acl));
            p.entries.push_back(e);
        }
        // The graph sorts by (type, pattern, name, effect, operation), the binding's own order.
        if (id.quotas) {
            out.quota_principals.push_back(principal);
        }
        out.ownership.declared_principals.insert(principal);
        out.principals.emplace(std::move(principal), std::move(p));
    }
}

void add_topics(const model::Topology& topology, DesiredState& out) {
    for (const model::Topic& t : topology.topics) {
        out.ownership.declared_topics.insert(t.name.value);
        if (t.external) {
            out.ownership.external_topics.insert(t.name.value);
            continue;
        }
        DesiredTopic d;
        d.partitions = t.partitions;
        d.replicas = t.replicas;
        d.location = t.location;
        for (const model::ConfigEntry& c : t.config) {
            d.config[c.key.value] = c.value.text;
        }
        out.topics.emplace(t.name.value, std::move(d));
    }
    for (const model::Service& s : topology.services) {
        if (s.kind == model::ServiceKind::streams) {
            out.ownership.streams_prefixes.push_back(model::streams_prefix(s));
        }
    }
    std::sort(out.ownership.streams_prefixes.begin(), out.ownership.streams_prefixes.end());
}

}  // namespace

bool Ownership::owns_principal(const std::string& principal) const {
    return declared_principals.contains(principal) || any_matches(principals, principal);
}

bool Ownership::owns_topic(const std::string& topic) const {
    if (external_topics.contains(topic)) {
        return false;
    }
    return declared_topics.contains(topic) || any_matches(topics, topic);
}

bool Ownership::may_delete_topic(const std::string& topic) const {
    if (declared_topics.contains(topic) || topic.rfind("__", 0) == 0 ||
        !any_matches(topics, topic)) {
        return false;
    }
    return std::none_of(streams_prefixes.begin(), streams_prefixes.end(),
                        [&](const std::string& p) { return topic.rfind(p, 0) == 0; });
}

DesiredState desired_state(const model::Topology& topology, const graph::AccessGraph& graph) {
    DesiredState out;
    add_principals(graph, out);
    add_topics(topology, out);
    if (topology.kafka && topology.kafka->ownership) {
        for (const model::Text& p : topology.kafka->ownership->principals) {
            out.ownership.principals.push_back(pattern_of(p.value));
        }
        for (const model::Text& t : topology.kafka->ownership->topics) {
            out.ownership.topics.push_back(pattern_of(t.value));
        }
    }
    return out;
}

std::string binding_text(const AclBinding& b) {
    return fmt::format("{} {}", b.principal, live::acl_text(b.acl));
}

}  // namespace km::admin
