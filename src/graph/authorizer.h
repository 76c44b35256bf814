// Kafka's authorizer decision (StandardAuthorizerData.authorize) over one identity's ACL entries:
// super users, literal, literal '*' and prefixed matches, DENY wins, implied operations.
#pragma once

#include <string_view>
#include <vector>

#include "graph/access_graph.h"

namespace km::graph {

struct Decision {
    enum class Reason : std::uint8_t { super_user, allowed, denied, no_match };
    Reason reason = Reason::no_match;
    /// The deciding entries: every matching DENY when denied, every matching ALLOW when allowed.
    std::vector<const AclEntry*> entries;

    bool allowed() const { return reason == Reason::super_user || reason == Reason::allowed; }
};

/// True when the entry's resource pattern matches the named resource: the literal name, the
/// literal '*', or a prefix of the name.
bool pattern_matches(const AclEntry& entry, model::ResourceType type, std::string_view name);

/// True when an ALLOW of `granted` permits `requested`: the same operation, All, or an implied
/// one (Read, Write, Delete and Alter imply Describe; AlterConfigs implies DescribeConfigs).
bool allow_permits(model::Operation granted, model::Operation requested);

/// True when a DENY of `denied` forbids `requested`: the same operation or All, nothing implied.
bool deny_forbids(model::Operation denied, model::Operation requested);

/// What Kafka decides when `identity` asks for `operation` on the resource `name` of `type`.
Decision authorize(const Identity& identity, model::Operation operation, model::ResourceType type,
                   std::string_view name);

/// The cluster operations among Alter, AlterConfigs and ClusterAction that `identity` is allowed
/// without being a super user. Each makes it one in effect: Alter on the cluster authorizes
/// CreateAcls and DeleteAcls (it can grant itself anything), AlterConfigs changes broker
/// settings, ClusterAction the requests brokers send each other.
std::vector<model::Operation> super_user_equivalent_operations(const Identity& identity);

}  // namespace km::graph
