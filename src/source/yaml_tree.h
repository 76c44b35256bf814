// A YAML document as a flat array of nodes, each with its source position.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "diag/diagnostic.h"

namespace km::source {

enum class NodeKind : std::uint8_t { null, scalar, sequence, mapping };

using NodeId = std::uint32_t;
inline constexpr NodeId no_node = UINT32_MAX;

struct YamlNode {
    NodeKind kind = NodeKind::null;
    bool quoted = false;  ///< a scalar written quoted or as a block: never a number, bool or null
    diag::Location location;
    std::string value;             ///< scalars only, exactly as written (after YAML unescaping)
    std::vector<NodeId> children;  ///< sequence: items; mapping: key, value, key, value, ...
};

struct YamlDocument {
    std::uint32_t file = diag::Location::no_file;
    // A deque: it grows without copying, so a large file never holds its node array twice.
    std::deque<YamlNode> nodes;
    NodeId root = no_node;

    const YamlNode& node(NodeId id) const { return nodes[id]; }
    std::size_t entry_count(NodeId mapping) const { return nodes[mapping].children.size() / 2; }
    NodeId key(NodeId mapping, std::size_t i) const { return nodes[mapping].children[2 * i]; }
    NodeId value(NodeId mapping, std::size_t i) const { return nodes[mapping].children[2 * i + 1]; }
};

std::string_view kind_name(NodeKind kind);  ///< "a mapping", "a sequence", "a scalar", "null"

}  // namespace km::source
