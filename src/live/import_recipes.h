// How the ACLs of one principal are written as a service of the imported topology: the recipes a
// topology has (a Connect worker, a Streams application, producing and consuming) take what they
// grant, and a role takes the rest.
#pragma once

#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "live/import_steps.h"
#include "model/acl.h"

namespace km::live {

/// The grants of one principal still to be expressed, by (type, pattern, name) -> effect -> ops.
struct Grants {
    std::map<std::tuple<model::ResourceType, model::PatternType, std::string>,
             std::set<model::Operation>>
        allow;
    std::map<std::tuple<model::ResourceType, model::PatternType, std::string>,
             std::set<model::Operation>>
        deny;

    bool has(model::ResourceType t, model::PatternType p, const std::string& n,
             std::initializer_list<model::Operation> ops) const;
    void take(model::ResourceType t, model::PatternType p, const std::string& n,
              std::initializer_list<model::Operation> ops);
    /// The (pattern, name) of every resource of `t` holding all of `ops`, in order.
    std::vector<std::pair<model::PatternType, std::string>> holding(
        model::ResourceType t, std::initializer_list<model::Operation> ops) const;
};

/// A topology's reference to a resource: the name, with '*' after a prefix.
std::string ref(model::PatternType p, const std::string& name);

/// A YAML sequence of strings.
emit::Value strings(const std::vector<std::string>& items);

/// A Connect worker: a group reading its three storage topics, and the connector groups.
void express_connect(Grants& g, ServiceOut& s);

/// A Streams application: a group and the internal topics prefixed with its id. Returns whether
/// the grants hold one.
bool express_streams(Grants& g, ServiceOut& s);

/// The topics produced and consumed (with their groups), and a transactional id.
void express_topics(Grants& g, ServiceOut& s, bool streams);

/// What no recipe took, as a role: one grant per (resource type, operations, effect).
std::optional<emit::Value> role_of(const Grants& g, ServiceOut& s, const std::string& role_name);

}  // namespace km::live
