#include "source/yaml_overlay.h"

#include <string>

namespace km::source {
namespace {

/// Adds `node` with `children` (already in `to`) as its one run of child ids.
NodeId add_node(YamlDocument& to, YamlNode node, const std::vector<NodeId>& children) {
    node.first_child = static_cast<std::uint32_t>(to.child_ids.size());
    node.child_count = static_cast<std::uint32_t>(children.size());
    to.child_ids.insert(to.child_ids.end(), children.begin(), children.end());
    to.nodes.push_back(std::move(node));
    return static_cast<NodeId>(to.nodes.size() - 1);
}

/// The value of `key` in the mapping `map`, or no_node.
NodeId find_value(const YamlDocument& doc, NodeId map, const std::string& key) {
    for (std::size_t i = 0; i < doc.entry_count(map); ++i) {
        const YamlNode& k = doc.node(doc.key(map, i));
        if (k.kind == NodeKind::scalar && k.value == key) {
            return doc.value(map, i);
        }
    }
    return no_node;
}

}  // namespace

NodeId copy_subtree(YamlDocument& to, const YamlDocument& from, NodeId id) {
    std::vector<NodeId> children;
    children.reserve(from.node(id).child_count);
    for (NodeId child : from.children(id)) {
        children.push_back(copy_subtree(to, from, child));
    }
    return add_node(to, from.node(id), children);
}

NodeId overlay(YamlDocument& to, const YamlDocument& base, NodeId base_id, const YamlDocument& over,
               NodeId over_id) {
    if (base.node(base_id).kind != NodeKind::mapping ||
        over.node(over_id).kind != NodeKind::mapping) {
        return copy_subtree(to, over, over_id);
    }
    std::vector<NodeId> children;
    for (std::size_t i = 0; i < base.entry_count(base_id); ++i) {
        NodeId key = base.key(base_id, i);
        const YamlNode& k = base.node(key);
        NodeId replacement =
            k.kind == NodeKind::scalar ? find_value(over, over_id, k.value) : no_node;
        children.push_back(copy_subtree(to, base, key));
        children.push_back(replacement == no_node
                               ? copy_subtree(to, base, base.value(base_id, i))
                               : overlay(to, base, base.value(base_id, i), over, replacement));
    }
    for (std::size_t i = 0; i < over.entry_count(over_id); ++i) {
        NodeId key = over.key(over_id, i);
        const YamlNode& k = over.node(key);
        if (k.kind == NodeKind::scalar && find_value(base, base_id, k.value) != no_node) {
            continue;  // merged above
        }
        children.push_back(copy_subtree(to, over, key));
        children.push_back(copy_subtree(to, over, over.value(over_id, i)));
    }
    return add_node(to, base.node(base_id), children);
}

NodeId add_mapping(YamlDocument& to, const std::vector<NodeId>& keys_and_values,
                   diag::Location location) {
    YamlNode node;
    node.kind = NodeKind::mapping;
    node.location = location;
    return add_node(to, std::move(node), keys_and_values);
}

}  // namespace km::source
