#include "diff/semantic_diff.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "diff/settings_diff.h"
#include "graph/authorizer.h"
#include "review/review_checks.h"

namespace km::diff {

Place place_of(const source::SourceManager& sources, diag::Location where) {
    if (!where.known() || where.file >= sources.size()) {
        return {};
    }
    return {sources.file(where.file).path, where.line, where.column};
}

void compare(std::vector<Change>& out, std::string field, std::string before, std::string after) {
    if (before != after) {
        out.push_back({std::move(field), std::move(before), std::move(after)});
    }
}

namespace {

using graph::AclEntry;
using graph::Identity;
using model::Operation;

std::string pattern_text(const AclEntry& e) {
    return e.pattern == model::PatternType::prefix ? e.name + "*" : e.name;
}

std::string entry_text(const AclEntry& e) {
    return fmt::format("{} on {} '{}'", model::operation_name(e.operation),
                       model::resource_type_name(e.type), pattern_text(e));
}

/// Declared topics a prefix or '*' topic entry matches; empty for literal names.
std::vector<std::string> covered_topics(const AclEntry& e, const model::Topology& t) {
    std::vector<std::string> out;
    bool broad = e.pattern == model::PatternType::prefix || e.name == "*";
    if (e.type != model::ResourceType::topic || !broad) {
        return out;
    }
    for (const model::Topic& topic : t.topics) {
        if (graph::pattern_matches(e, model::ResourceType::topic, topic.name.value)) {
            out.push_back(topic.name.value);
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

Grant to_grant(const AclEntry& e, const DiffSide& side) {
    Grant g;
    g.type = e.type;
    g.pattern = e.pattern;
    g.name = e.name;
    g.effect = e.effect;
    g.operation = e.operation;
    g.covers = covered_topics(e, side.topology);
    for (const graph::Provenance& p : e.sources) {
        g.sources.push_back(
            {std::string(graph::rule_name(p.rule)), p.via, place_of(side.sources, p.location)});
    }
    return g;
}

std::string quotas_text(const util::Boxed<model::Quotas>& q) {
    if (!q) {
        return "";
    }
    std::vector<std::string> parts;
    if (q->producer_byte_rate) {
        parts.push_back(fmt::format("producerByteRate={}", *q->producer_byte_rate));
    }
    if (q->consumer_byte_rate) {
        parts.push_back(fmt::format("consumerByteRate={}", *q->consumer_byte_rate));
    }
    if (q->request_percentage) {
        parts.push_back(fmt::format("requestPercentage={}", *q->request_percentage));
    }
    if (q->controller_mutation_rate) {
        parts.push_back("controllerMutationRate=" + q->controller_mutation_rate->text);
    }
    return fmt::format("{}", fmt::join(parts, ", "));
}

/// Entries of `from` whose key() is not in `other`, both sorted by key().
std::vector<const AclEntry*> missing_from(const std::vector<AclEntry>& from,
                                          const std::vector<AclEntry>& other) {
    std::vector<const AclEntry*> out;
    auto it = other.begin();
    for (const AclEntry& e : from) {
        while (it != other.end() && it->key() < e.key()) {
            ++it;
        }
        if (it == other.end() || it->key() != e.key()) {
            out.push_back(&e);
        }
    }
    return out;
}

std::vector<graph::MeshPort> ports_missing(const std::vector<graph::MeshPort>& from,
                                           const std::vector<graph::MeshPort>& other) {
    std::vector<graph::MeshPort> out;
    for (const graph::MeshPort& p : from) {
        bool found = std::any_of(other.begin(), other.end(),
                                 [&](const graph::MeshPort& o) { return o.key() == p.key(); });
        if (!found) {
            out.push_back(p);
        }
    }
    return out;
}

/// True when an allow gained in head lets the identity do something base did not.
bool widens(const AclEntry& gained, const Identity& head, const Identity* base) {
    if (gained.pattern == model::PatternType::literal && gained.name != "*" &&
        !graph::authorize(head, gained.operation, gained.type, gained.name).allowed()) {
        return false;  // a deny in head stops it
    }
    if (!base) {
        return true;
    }
    if (base->super_user) {
        return false;
    }
    if (gained.pattern == model::PatternType::literal && gained.name != "*") {
        return !graph::authorize(*base, gained.operation, gained.type, gained.name).allowed();
    }
    // A prefix or '*' widens unless base already held an allow covering it, with no deny.
    for (const AclEntry& e : base->acls) {
        if (e.effect == model::Effect::allow && review::pattern_covers(e, gained) &&
            graph::allow_permits(e.operation, gained.operation)) {
            bool denied = std::any_of(base->acls.begin(), base->acls.end(), [&](const AclEntry& d) {
                return d.effect == model::Effect::deny && d.type == gained.type &&
                       graph::deny_forbids(d.operation, gained.operation);
            });
            if (!denied) {
                return false;
            }
        }
    }
    return true;
}

std::string list_text(const std::vector<std::string>& items, std::size_t limit = 3) {
    std::string out;
    for (std::size_t i = 0; i < items.size() && i < limit; ++i) {
        out += (i ? ", " : "") + items[i];
    }
    if (items.size() > limit) {
        out += fmt::format(" and {} more", items.size() - limit);
    }
    return out;
}

class Differ {
  public:
    Differ(const DiffSide& base, const DiffSide& head, DiffReport& report)
        : m_base(base), m_head(head), m_report(report) {
        for (const Identity& id : base.graph.identities) {
            for (const AclEntry& e : id.acls) {
                bool produces = e.sources.end() !=
                                std::find_if(e.sources.begin(), e.sources.end(), [](const auto& p) {
                                    return p.rule == graph::Rule::produces ||
                                           p.rule == graph::Rule::connector_produces;
                                });
                if (produces && e.type == model::ResourceType::topic &&
                    e.pattern == model::PatternType::literal && e.operation == Operation::Write) {
                    m_owners[e.name].insert(id.ns);
                }
            }
        }
    }

    /// KM459 as a risk: a prefix grant in HEAD covering a topic another identity is explicitly
    /// denied, where BASE had no such grant of that identity covering that topic past that
    /// identity's deny (the review warning itself reports every such grant of HEAD).
    void denied_covers() {
        using Key = std::tuple<std::string, std::string, std::string, std::string>;
        auto key = [](const review::DeniedTopicCover& c) {
            return Key{c.holder->key, c.grant->name, c.topic, c.denied->key};
        };
        std::set<Key> before;
        for (const review::DeniedTopicCover& c :
             review::denied_topic_covers(m_base.topology, m_base.graph)) {
            before.insert(key(c));
        }
        std::set<Key> flagged;
        for (const review::DeniedTopicCover& c :
             review::denied_topic_covers(m_head.topology, m_head.graph)) {
            Key k = key(c);
            if (before.count(k) || !flagged.insert(k).second) {
                continue;
            }
            flag(diag::Code::KM459, place(m_head, first_location(*c.grant)), c.holder->key,
                 fmt::format("new: prefix grant '{}*' allows {} on topic '{}', which '{}' is "
                             "explicitly denied",
                             c.grant->name, model::operation_name(c.operation), c.topic,
                             c.denied->key));
        }
    }

    void identities() {
        std::map<std::string, std::pair<const Identity*, const Identity*>> all;
        for (const Identity& id : m_base.graph.identities) {
            all[id.key].first = &id;
        }
        for (const Identity& id : m_head.graph.identities) {
            all[id.key].second = &id;
        }
        for (const auto& [key, pair] : all) {
            identity(pair.first, pair.second);
        }
        renamed_identities(all);
    }

    void topics() {
        std::map<std::string, std::pair<const model::Topic*, const model::Topic*>> all;
        for (const model::Topic& t : m_base.topology.topics) {
            all[t.name.value].first = &t;
        }
        for (const model::Topic& t : m_head.topology.topics) {
            all[t.name.value].second = &t;
        }
        for (const auto& [name, pair] : all) {
            const auto [before, after] = pair;
            TopicDiff d;
            d.name = name;
            d.status = !before ? Status::added : !after ? Status::removed : Status::changed;
            auto number = [](const std::optional<int>& n) {
                return n ? std::to_string(*n) : std::string();
            };
            auto config = [](const model::Topic* t) {
                std::map<std::string, std::string> out;
                for (const model::ConfigEntry& c :
                     t ? t->config : std::vector<model::ConfigEntry>{}) {
                    out[c.key.value] = c.value.text;
                }
                return out;
            };
            static const std::optional<int> none;
            compare(d.changes, "partitions", number(before ? before->partitions : none),
                    number(after ? after->partitions : none));
            compare(d.changes, "replicas", number(before ? before->replicas : none),
                    number(after ? after->replicas : none));
            compare(d.changes, "external", before && before->external ? "true" : "",
                    after && after->external ? "true" : "");
            std::map<std::string, std::string> cb = config(before);
            std::map<std::string, std::string> ca = config(after);
            std::set<std::string> keys;
            for (const auto& [k, v] : cb) {
                keys.insert(k);
            }
            for (const auto& [k, v] : ca) {
                keys.insert(k);
            }
            for (const std::string& k : keys) {
                compare(d.changes, "config." + k, cb.count(k) ? cb[k] : "",
                        ca.count(k) ? ca[k] : "");
            }
            if (d.status != Status::changed || !d.changes.empty()) {
                m_report.topics.push_back(std::move(d));
            }
            topic_removal(before, after, name);
            if (before && after && before->partitions && after->partitions &&
                *after->partitions < *before->partitions) {
                flag(diag::Code::KM606, place(m_head, after->partitions_location), name,
                     fmt::format("topic '{}' goes from {} to {} partitions; Kafka cannot remove "
                                 "partitions, so the topic operator will refuse it",
                                 name, *before->partitions, *after->partitions));
            }
            if (before && after && before->replicas && m_head.topology.kafka &&
                *before->replicas > m_head.topology.kafka->nodes) {
                flag(diag::Code::KM607, place(m_head, m_head.topology.kafka->nodes_location), name,
                     fmt::format("topic '{}' has {} replicas but the cluster goes to {} nodes",
                                 name, *before->replicas, m_head.topology.kafka->nodes));
            }
        }
    }

    void manifests() {
        using Key = std::tuple<std::string, std::string, std::string>;
        std::map<Key, std::pair<const DocumentDigest*, const DocumentDigest*>> all;
        for (const DocumentDigest& d : m_base.documents) {
            all[{d.kind, d.ns, d.name}].first = &d;
        }
        for (const DocumentDigest& d : m_head.documents) {
            all[{d.kind, d.ns, d.name}].second = &d;
        }
        for (const auto& [key, pair] : all) {
            if (pair.first && pair.second && pair.first->text == pair.second->text) {
                continue;
            }
            m_report.manifests.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key),
                                          !pair.first    ? Status::added
                                          : !pair.second ? Status::removed
                                                         : Status::changed});
        }
    }

  private:
    using IdentityPairs = std::map<std::string, std::pair<const Identity*, const Identity*>>;

    /// Strimzi's Topic Operator deletes the Kafka topic, and its data, when its KafkaTopic is
    /// deleted (strimzi-kafka-operator documentation/modules/operators/
    /// con-deleting-managed-topics.adoc); an `external` topic has no KafkaTopic. On Bitnami the
    /// provisioning Job only creates topics, so nothing is deleted there.
    void topic_removal(const model::Topic* before, const model::Topic* after,
                       const std::string& name) {
        bool strimzi = m_base.topology.kafka &&
                       m_base.topology.kafka->distribution == model::Distribution::strimzi;
        if (!strimzi || !before || before->external) {
            return;
        }
        const char* keep =
            "annotate its KafkaTopic strimzi.io/managed: \"false\" and apply "
            "that before this change to keep the data";
        if (!after) {
            flag(diag::Code::KM613, place(m_base, before->name.location), name,
                 fmt::format("topic '{}' is removed: when its KafkaTopic is deleted, Strimzi "
                             "deletes the topic and its data (a rename is a removal plus a new, "
                             "empty topic); {}",
                             name, keep));
        } else if (after->external) {
            flag(diag::Code::KM614, place(m_head, after->name.location), name,
                 fmt::format("topic '{}' becomes external: its KafkaTopic leaves the output, and "
                             "when it is deleted Strimzi deletes the topic and its data; {}",
                             name, keep));
        }
    }

    /// An identity whose Kafka user changes gets a new Kafka user and credentials: a changed
    /// `user`, or a removed and an added identity of one namespace that look like one renamed
    /// (they share a service name, or they are the only ones removed and added there).
    void renamed_identities(const IdentityPairs& all) {
        auto user_change = [&](const Identity& from, const Identity& to) {
            flag(diag::Code::KM616, place(m_head, service_location(to)), to.key,
                 fmt::format("'{}' becomes '{}': the Kafka user changes from '{}' to '{}' (a "
                             "new user and credentials, the old ones deleted); its clients need "
                             "the new credentials",
                             from.key, to.key, from.user, to.user));
        };
        std::vector<const Identity*> removed;
        std::vector<const Identity*> added;
        std::set<const Identity*> matched;
        for (const auto& [key, pair] : all) {
            if (pair.first && pair.second && pair.first->user != pair.second->user) {
                user_change(*pair.first, *pair.second);
            } else if (pair.first && !pair.second) {
                removed.push_back(pair.first);
            } else if (!pair.first && pair.second) {
                added.push_back(pair.second);
            }
        }
        for (const Identity* to : added) {
            for (const Identity* from : removed) {
                bool shared = from->ns == to->ns &&
                              std::any_of(to->services.begin(), to->services.end(),
                                          [&](const std::string& s) {
                                              return std::binary_search(from->services.begin(),
                                                                        from->services.end(), s);
                                          });
                if (shared) {
                    user_change(*from, *to);
                    matched.insert(from);
                    matched.insert(to);
                    break;
                }
            }
        }
        // A service renamed without a serviceAccount shares no name: one identity removed and
        // one added in the same namespace is taken as a rename too.
        std::map<std::string, std::pair<std::vector<const Identity*>, std::vector<const Identity*>>>
            per_namespace;
        for (const Identity* from : removed) {
            if (!matched.count(from)) {
                per_namespace[from->ns].first.push_back(from);
            }
        }
        for (const Identity* to : added) {
            if (!matched.count(to)) {
                per_namespace[to->ns].second.push_back(to);
            }
        }
        for (const auto& [ns, pair] : per_namespace) {
            if (pair.first.size() == 1 && pair.second.size() == 1) {
                user_change(*pair.first.front(), *pair.second.front());
            }
        }
    }

    static Place place(const DiffSide& side, diag::Location where) {
        return place_of(side.sources, where);
    }

    void flag(diag::Code code, Place where, std::string subject, std::string message) {
        m_report.flags.push_back({code, std::move(where), std::move(subject), std::move(message)});
    }

    static diag::Location first_location(const AclEntry& e) {
        return e.sources.empty() ? diag::Location{} : e.sources.front().location;
    }

    void identity(const Identity* before, const Identity* after) {
        IdentityDiff d;
        const Identity& any = after ? *after : *before;
        d.key = any.key;
        d.user = any.user;
        d.status = !before ? Status::added : !after ? Status::removed : Status::changed;
        static const std::vector<AclEntry> no_acls;
        const std::vector<AclEntry>& acls_before = before ? before->acls : no_acls;
        const std::vector<AclEntry>& acls_after = after ? after->acls : no_acls;
        std::vector<const AclEntry*> gained = missing_from(acls_after, acls_before);
        std::vector<const AclEntry*> lost = missing_from(acls_before, acls_after);
        for (const AclEntry* e : gained) {
            d.gained.push_back(to_grant(*e, m_head));
        }
        for (const AclEntry* e : lost) {
            d.lost.push_back(to_grant(*e, m_base));
        }
        std::vector<graph::MeshPort> reach_before =
            before ? graph::mesh_reach(m_base.topology, *before) : std::vector<graph::MeshPort>{};
        std::vector<graph::MeshPort> reach_after =
            after ? graph::mesh_reach(m_head.topology, *after) : std::vector<graph::MeshPort>{};
        d.reach_gained = ports_missing(reach_after, reach_before);
        d.reach_lost = ports_missing(reach_before, reach_after);
        if (before && after) {
            compare(d.changes, "user", before->user, after->user);
            compare(d.changes, "principal", "User:" + before->principal_name,
                    "User:" + after->principal_name);
            compare(d.changes, "quotas", quotas_text(before->quotas), quotas_text(after->quotas));
            compare(d.changes, "superUser", before->super_user ? "true" : "false",
                    after->super_user ? "true" : "false");
        }
        bool any_change = d.status != Status::changed || !d.gained.empty() || !d.lost.empty() ||
                          !d.reach_gained.empty() || !d.reach_lost.empty() || !d.changes.empty();
        if (!any_change) {
            return;
        }
        if (after) {
            flags_for(before, *after, gained, lost, d);
        }
        m_report.identities.push_back(std::move(d));
    }

    void flags_for(const Identity* before, const Identity& after,
                   const std::vector<const AclEntry*>& gained,
                   const std::vector<const AclEntry*>& lost, const IdentityDiff& d) {
        std::vector<std::string> widened;
        diag::Location where{};
        if (after.super_user && !(before && before->super_user)) {
            widened.push_back("becomes a super user");
        }
        cluster_admin(before, after);
        for (const AclEntry* e : gained) {
            if (e->effect == model::Effect::allow && widens(*e, after, before)) {
                widened.push_back(entry_text(*e));
                if (!where.known()) {
                    where = first_location(*e);
                }
            }
            broad_and_foreign(after, *e);
        }
        for (const AclEntry* e : lost) {
            if (e->effect != model::Effect::deny) {
                continue;
            }
            widened.push_back("no longer denied " + entry_text(*e));
            flag(diag::Code::KM604, place(m_base, first_location(*e)), after.key,
                 fmt::format("deny of {} for '{}' is removed", entry_text(*e), after.key));
        }
        for (const graph::MeshPort& p : d.reach_gained) {
            widened.push_back(fmt::format("reaches port {} of '{}'", p.port, p.workload));
        }
        if (widened.empty()) {
            return;
        }
        Place at = place(m_head, where);
        if (at.file.empty()) {
            at = place(m_head, service_location(after));
        }
        flag(diag::Code::KM601, at, after.key,
             fmt::format("{} '{}' {}: {}", d.status == Status::added ? "new identity" : "access of",
                         after.key, d.status == Status::added ? "gets access" : "widens",
                         list_text(widened)));
    }

    /// KM620: a new Alter, AlterConfigs or ClusterAction on the cluster makes an identity a super
    /// user in effect (graph::super_user_equivalent_operations).
    void cluster_admin(const Identity* before, const Identity& after) {
        std::vector<Operation> had =
            before ? graph::super_user_equivalent_operations(*before) : std::vector<Operation>{};
        std::vector<std::string> gained;
        diag::Location where{};
        for (Operation op : graph::super_user_equivalent_operations(after)) {
            if (std::find(had.begin(), had.end(), op) != had.end()) {
                continue;
            }
            gained.emplace_back(model::operation_name(op));
            for (const AclEntry& e : after.acls) {
                if (!where.known() && e.type == model::ResourceType::cluster &&
                    e.effect == model::Effect::allow && graph::allow_permits(e.operation, op)) {
                    where = first_location(e);
                }
            }
        }
        if (gained.empty()) {
            return;
        }
        Place at = place(m_head, where);
        if (at.file.empty()) {
            at = place(m_head, service_location(after));
        }
        flag(diag::Code::KM620, at, after.key,
             fmt::format("'{}' gains {} on the cluster and so becomes a super user in effect: it "
                         "can grant itself any access",
                         after.key, list_text(gained)));
    }

    diag::Location service_location(const Identity& id) const {
        for (const model::Service& s : m_head.topology.services) {
            if (s.ns.value == id.ns && s.account() == id.service_account) {
                return s.name.location;
            }
        }
        return {};
    }

    void broad_and_foreign(const Identity& id, const AclEntry& e) {
        if (e.effect != model::Effect::allow) {
            return;
        }
        std::vector<std::string> covers = covered_topics(e, m_head.topology);
        bool broad = e.pattern == model::PatternType::prefix || e.name == "*";
        // One flag per new pattern: its operations come in as separate entries.
        if (broad && m_broad_flagged.emplace(id.key, e.type, e.pattern, e.name).second) {
            flag(diag::Code::KM602, place(m_head, first_location(e)), id.key,
                 fmt::format("new {} grant on {} '{}' for '{}'{}",
                             e.name == "*" ? "wildcard" : "prefix",
                             model::resource_type_name(e.type), pattern_text(e), id.key,
                             e.type != model::ResourceType::topic
                                 ? std::string()
                                 : fmt::format(" covers {} declared topic{}{}", covers.size(),
                                               covers.size() == 1 ? "" : "s",
                                               covers.empty() ? "" : ": " + list_text(covers))));
        }
        bool writes = e.operation == Operation::Write || e.operation == Operation::Delete ||
                      e.operation == Operation::All;
        if (e.type != model::ResourceType::topic || !writes) {
            return;
        }
        if (!broad) {
            covers = {e.name};
        }
        for (const std::string& topic : covers) {
            auto owners = m_owners.find(topic);
            if (owners == m_owners.end() || owners->second.count(id.ns)) {
                continue;
            }
            flag(diag::Code::KM603, place(m_head, first_location(e)), id.key,
                 fmt::format("'{}' gains {} on topic '{}', which namespace{} {} produce{}", id.key,
                             model::operation_name(e.operation), topic,
                             owners->second.size() == 1 ? "" : "s",
                             list_text({owners->second.begin(), owners->second.end()}),
                             owners->second.size() == 1 ? "s" : ""));
        }
    }

    const DiffSide& m_base;
    const DiffSide& m_head;
    DiffReport& m_report;
    std::map<std::string, std::set<std::string>> m_owners;  ///< topic -> producing namespaces
    std::set<std::tuple<std::string, model::ResourceType, model::PatternType, std::string>>
        m_broad_flagged;
};

}  // namespace

std::string_view status_name(Status s) {
    switch (s) {
        case Status::added:
            return "added";
        case Status::removed:
            return "removed";
        case Status::changed:
            return "changed";
    }
    return "changed";
}

bool DiffReport::changed() const {
    return !identities.empty() || !topics.empty() || !settings.empty() || !manifests.empty() ||
           !flags.empty();
}

bool DiffReport::widening() const {
    return std::any_of(flags.begin(), flags.end(),
                       [](const Flag& f) { return f.code == diag::Code::KM601; });
}

bool DiffReport::risky() const {
    return !flags.empty();
}

DiffReport diff_topologies(const DiffSide& base, const DiffSide& head) {
    DiffReport report;
    report.base = base.label;
    report.head = head.label;
    Differ differ(base, head, report);
    differ.identities();
    differ.topics();
    diff_settings(base, head, report);
    differ.manifests();
    differ.denied_covers();
    std::stable_sort(report.flags.begin(), report.flags.end(), [](const Flag& a, const Flag& b) {
        return std::tie(a.code, a.subject, a.place.file, a.place.line, a.place.column, a.message) <
               std::tie(b.code, b.subject, b.place.file, b.place.line, b.place.column, b.message);
    });
    return report;
}

}  // namespace km::diff
