// Kafka's ACL vocabulary: resource types, pattern types, operations and which pairs are valid.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/topology.h"

namespace km::model {

// Enumerators are in the alphabetical order of their Strimzi spelling, so sorting by value
// sorts ACLs the way acl-recipes.md and the golden files read.
enum class ResourceType : std::uint8_t { cluster, group, topic, transactional_id };
enum class PatternType : std::uint8_t { literal, prefix };
enum class Operation : std::uint8_t {
    All,
    Alter,
    AlterConfigs,
    ClusterAction,
    Create,
    Delete,
    Describe,
    DescribeConfigs,
    IdempotentWrite,
    Read,
    Write,
};

std::string_view resource_type_name(ResourceType t);  ///< topic, group, cluster, transactionalId
std::string_view pattern_type_name(PatternType p);    ///< literal, prefix
std::string_view operation_name(Operation op);        ///< Read, DescribeConfigs, ...
std::optional<Operation> parse_operation(std::string_view name);
const std::vector<std::string_view>& operation_names();
/// Kafka's table of valid operations per resource type (All is valid everywhere).
bool operation_valid_for(ResourceType t, Operation op);
std::vector<Operation> valid_operations(ResourceType t);
ResourceType resource_type_of(GrantResource r);

}  // namespace km::model
