#include "live/import_recipes.h"

#include <algorithm>

#include "util/strings.h"

namespace km::live {

using emit::Value;
using model::Operation;
using model::PatternType;
using model::ResourceType;

bool Grants::has(ResourceType t, PatternType p, const std::string& n,
                 std::initializer_list<Operation> ops) const {
    auto it = allow.find({t, p, n});
    if (it == allow.end()) {
        return false;
    }
    return std::all_of(ops.begin(), ops.end(),
                       [&](Operation op) { return it->second.contains(op); });
}

void Grants::take(ResourceType t, PatternType p, const std::string& n,
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

std::vector<std::pair<PatternType, std::string>> Grants::holding(
    ResourceType t, std::initializer_list<Operation> ops) const {
    std::vector<std::pair<PatternType, std::string>> out;
    // Not a structured binding: clang before 16 cannot capture one in the lambda.
    for (const auto& entry : allow) {
        const auto& key = entry.first;
        const auto& held = entry.second;
        if (std::get<0>(key) == t &&
            std::all_of(ops.begin(), ops.end(), [&](Operation op) { return held.contains(op); })) {
            out.emplace_back(std::get<1>(key), std::get<2>(key));
        }
    }
    return out;
}

std::string ref(PatternType p, const std::string& name) {
    return p == PatternType::prefix ? name + "*" : name;
}

Value strings(const std::vector<std::string>& items) {
    Value seq = Value::sequence();
    for (const std::string& s : items) {
        seq.push(Value::string(s));
    }
    return seq;
}

namespace {

/// Takes `ops` on a topic a recipe of the service names; a literal name is declared with it.
void take_topic(Grants& g, ServiceOut& s, PatternType p, const std::string& topic,
                std::initializer_list<Operation> ops) {
    g.take(ResourceType::topic, p, topic, ops);
    if (p == PatternType::literal) {
        s.literal_topics.insert(topic);
    }
}

/// Whether a group, Streams application id or Connect group id the service reads is written
/// out: it is not the service's name, or other users read it too (its sharing then noted).
bool group_written_out(ServiceOut& s, PatternType p, const std::string& group) {
    bool shared = p == PatternType::literal && s.shared_groups.contains(group);
    if (shared) {
        s.shared_written.insert(group);
    }
    return shared || ref(p, group) != s.name;
}

}  // namespace

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
        if (group_written_out(s, PatternType::literal, group)) {
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
                take_topic(g, s, p, t, {Operation::Read, Operation::Describe});
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
                take_topic(g, s, p, t, {Operation::Write, Operation::Describe});
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
        if (group_written_out(s, PatternType::literal, app)) {
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
        take_topic(g, s, p, t, {Operation::Write, Operation::Describe});
    }
    auto topics = g.holding(ResourceType::topic, {Operation::Read, Operation::Describe});
    Value consumes = Value::sequence();
    if (streams) {
        for (const auto& [p, t] : topics) {
            consumes.push(Value::string(ref(p, t)));
            take_topic(g, s, p, t, {Operation::Read, Operation::Describe});
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
                if (!group_written_out(s, gp, grp)) {
                    consumes.push(Value::string(ref(tp, t)));
                } else {
                    Value c = Value::mapping();
                    c.set("topic", Value::string(ref(tp, t)));
                    c.set("group", Value::string(ref(gp, grp)));
                    consumes.push(std::move(c));
                }
            }
            for (const auto& [p, t] : topics) {
                take_topic(g, s, p, t, {Operation::Read, Operation::Describe});
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

namespace {

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

}  // namespace

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

}  // namespace km::live
