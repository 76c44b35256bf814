#include "graph/authorizer.h"

namespace km::graph {

using model::Operation;

bool pattern_matches(const AclEntry& entry, model::ResourceType type, std::string_view name) {
    if (entry.type != type) {
        return false;
    }
    if (entry.pattern == model::PatternType::prefix) {
        return name.substr(0, entry.name.size()) == entry.name;
    }
    return entry.name == "*" || entry.name == name;
}

bool allow_permits(Operation granted, Operation requested) {
    if (granted == Operation::All || granted == requested) {
        return true;
    }
    if (requested == Operation::Describe) {
        return granted == Operation::Read || granted == Operation::Write ||
               granted == Operation::Delete || granted == Operation::Alter;
    }
    return requested == Operation::DescribeConfigs && granted == Operation::AlterConfigs;
}

bool deny_forbids(Operation denied, Operation requested) {
    return denied == Operation::All || denied == requested;
}

Decision authorize(const Identity& identity, Operation operation, model::ResourceType type,
                   std::string_view name) {
    Decision d;
    // Super users are allowed before any ACL is looked at, whatever DENY entries say.
    if (identity.super_user) {
        d.reason = Decision::Reason::super_user;
        return d;
    }
    std::vector<const AclEntry*> allows;
    for (const AclEntry& e : identity.acls) {
        if (!pattern_matches(e, type, name)) {
            continue;
        }
        if (e.effect == model::Effect::deny) {
            if (deny_forbids(e.operation, operation)) {
                d.entries.push_back(&e);
            }
        } else if (allow_permits(e.operation, operation)) {
            allows.push_back(&e);
        }
    }
    if (!d.entries.empty()) {
        d.reason = Decision::Reason::denied;
    } else if (!allows.empty()) {
        d.reason = Decision::Reason::allowed;
        d.entries = std::move(allows);
    }
    return d;
}

std::vector<Operation> super_user_equivalent_operations(const Identity& identity) {
    std::vector<Operation> out;
    if (identity.super_user) {
        return out;
    }
    for (Operation op : {Operation::Alter, Operation::AlterConfigs, Operation::ClusterAction}) {
        if (authorize(identity, op, model::ResourceType::cluster, "kafka-cluster").allowed()) {
            out.push_back(op);
        }
    }
    return out;
}

}  // namespace km::graph
