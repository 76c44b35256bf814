#include "model/acl.h"

#include <algorithm>
#include <array>

namespace km::model {
namespace {

constexpr std::array<std::string_view, 11> k_operation_names = {
    "All",      "Alter",           "AlterConfigs",    "ClusterAction", "Create", "Delete",
    "Describe", "DescribeConfigs", "IdempotentWrite", "Read",          "Write"};

}  // namespace

std::string_view resource_type_name(ResourceType t) {
    switch (t) {
        case ResourceType::cluster:
            return "cluster";
        case ResourceType::group:
            return "group";
        case ResourceType::topic:
            return "topic";
        case ResourceType::transactional_id:
            return "transactionalId";
    }
    return "topic";
}

std::string_view pattern_type_name(PatternType p) {
    return p == PatternType::literal ? "literal" : "prefix";
}

std::string_view operation_name(Operation op) {
    return k_operation_names[static_cast<std::size_t>(op)];
}

std::optional<Operation> parse_operation(std::string_view name) {
    for (std::size_t i = 0; i < k_operation_names.size(); ++i) {
        if (k_operation_names[i] == name) {
            return static_cast<Operation>(i);
        }
    }
    return std::nullopt;
}

const std::vector<std::string_view>& operation_names() {
    static const std::vector<std::string_view> names(k_operation_names.begin(),
                                                     k_operation_names.end());
    return names;
}

bool operation_valid_for(ResourceType t, Operation op) {
    using O = Operation;
    if (op == O::All) {
        return true;
    }
    switch (t) {
        case ResourceType::topic:
            return op == O::Read || op == O::Write || op == O::Create || op == O::Describe ||
                   op == O::Delete || op == O::Alter || op == O::DescribeConfigs ||
                   op == O::AlterConfigs;
        case ResourceType::group:
            return op == O::Read || op == O::Describe || op == O::Delete ||
                   op == O::DescribeConfigs || op == O::AlterConfigs;
        case ResourceType::cluster:
            return op == O::Create || op == O::ClusterAction || op == O::DescribeConfigs ||
                   op == O::AlterConfigs || op == O::IdempotentWrite || op == O::Alter ||
                   op == O::Describe;
        case ResourceType::transactional_id:
            return op == O::Describe || op == O::Write;
    }
    return false;
}

std::vector<Operation> valid_operations(ResourceType t) {
    std::vector<Operation> out;
    for (std::size_t i = 0; i < k_operation_names.size(); ++i) {
        if (operation_valid_for(t, static_cast<Operation>(i))) {
            out.push_back(static_cast<Operation>(i));
        }
    }
    return out;
}

ResourceType resource_type_of(GrantResource r) {
    switch (r) {
        case GrantResource::topic:
            return ResourceType::topic;
        case GrantResource::group:
            return ResourceType::group;
        case GrantResource::transactional_id:
            return ResourceType::transactional_id;
        case GrantResource::cluster:
            return ResourceType::cluster;
    }
    return ResourceType::topic;
}

}  // namespace km::model
