// A YAML document as a flat array of nodes, each with its source position.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "diag/diagnostic.h"
#include "util/page_allocator.h"

namespace km::source {

enum class NodeKind : std::uint8_t { null, scalar, sequence, mapping };

using NodeId = std::uint32_t;
inline constexpr NodeId no_node = UINT32_MAX;

struct YamlNode {
    NodeKind kind = NodeKind::null;
    bool quoted = false;  ///< a scalar written quoted or as a block: never a number, bool or null
    diag::Location location;
    std::string value;  ///< scalars only, exactly as written (after YAML unescaping)
    /// The children, as a range of YamlDocument::child_ids: sequence: items; mapping: key,
    /// value, key, value, ... One array holds every node's, so no node allocates its own.
    std::uint32_t first_child = 0;
    std::uint32_t child_count = 0;
};

/// The nodes of a document in blocks of fixed size: it grows without copying, so a large file
/// never holds its node array twice, and takes one allocation per block rather than per few
/// nodes (std::deque's blocks hold 512 bytes, six nodes). A document parsed on a helper
/// thread (a part of a large file) can take each block but its first as pages of its own
/// (map_blocks, util::PageAllocator): freed once the typed model exists, they go back to the
/// system instead of staying in that thread's malloc arena, where the main thread could not
/// reuse them. Other blocks come from malloc, which reuses what a freed tree leaves on one
/// thread, and a small document (a live export holds thousands) takes no mapping of its own.
class NodeArray {
    using Block = std::vector<YamlNode, util::PageAllocator<YamlNode>>;

  public:
    static constexpr std::size_t block_nodes = 1024;

    YamlNode& operator[](std::size_t i) { return m_blocks[i / block_nodes][i % block_nodes]; }
    const YamlNode& operator[](std::size_t i) const {
        return m_blocks[i / block_nodes][i % block_nodes];
    }
    std::size_t size() const { return m_size; }
    /// Blocks added from now on, but the first, are mapped pages.
    void map_blocks() { m_map = true; }
    /// Hands every node, in order, to `f` as an rvalue, freeing each block once its nodes are
    /// passed on: another array can take them over without both ever being held whole.
    template <class F>
    void drain(F&& f) {
        for (Block& block : m_blocks) {
            for (YamlNode& node : block) {
                f(std::move(node));
            }
            Block released = std::move(block);  // freed here, its nodes passed on
        }
        m_blocks.clear();
        m_size = 0;
    }
    void push_back(YamlNode node) {
        if (m_size % block_nodes == 0) {
            m_blocks.emplace_back(util::PageAllocator<YamlNode>(m_map && !m_blocks.empty()));
            m_blocks.back().reserve(block_nodes);
        }
        m_blocks.back().push_back(std::move(node));
        ++m_size;
    }

  private:
    std::vector<Block> m_blocks;  ///< each reserved once, never reallocated
    std::size_t m_size = 0;
    bool m_map = false;
};

struct YamlDocument {
    std::uint32_t file = diag::Location::no_file;
    NodeArray nodes;
    std::vector<NodeId> child_ids;  ///< every collection's children, each in one run
    NodeId root = no_node;

    const YamlNode& node(NodeId id) const { return nodes[id]; }
    std::span<const NodeId> children(NodeId id) const {
        const YamlNode& n = nodes[id];
        return {child_ids.data() + n.first_child, n.child_count};
    }
    std::size_t entry_count(NodeId mapping) const { return nodes[mapping].child_count / 2; }
    NodeId key(NodeId mapping, std::size_t i) const { return children(mapping)[2 * i]; }
    NodeId value(NodeId mapping, std::size_t i) const { return children(mapping)[2 * i + 1]; }
};

std::string_view kind_name(NodeKind kind);  ///< "a mapping", "a sequence", "a scalar", "null"

}  // namespace km::source
