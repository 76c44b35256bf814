// Pictures of who talks to whom: identities grouped by namespace, topics and prefixes, and an
// edge per identity and resource with the operations Kafka allows (or denies), as Graphviz DOT or
// as a Mermaid flowchart. `kafkamesh graph` draws a topology; `diff --format markdown` draws the
// edges a change adds and removes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "review/access_query.h"

namespace km::review {

enum class PictureFormat : std::uint8_t { dot, mermaid };

enum class NodeKind : std::uint8_t { identity, topic, prefix, cluster };

struct PictureNode {
    std::string key;    ///< unique and stable: "id:ns/sa", "topic:name", "prefix:name", "cluster"
    std::string label;  ///< what the reader sees
    std::string group;  ///< the namespace of an identity; empty for Kafka's resources
    NodeKind kind = NodeKind::identity;
    bool super_user = false;
    bool undeclared = false;  ///< a topic the topology does not declare, or an external one
};

/// How an edge reads: produce points from the identity to the resource, consume from the
/// resource to the identity; covers joins a prefix to the declared topics it matches.
enum class EdgeKind : std::uint8_t { produce, consume, both, other, deny, covers, super_user };
/// In a diff picture, whether the change adds or removes the edge.
enum class EdgeChange : std::uint8_t { none, added, removed };

struct PictureEdge {
    std::string from;  ///< node keys
    std::string to;
    std::string label;
    EdgeKind kind = EdgeKind::other;
    EdgeChange change = EdgeChange::none;
};

struct Picture {
    std::string title;
    std::vector<PictureNode> nodes;  ///< sorted by (group, key)
    std::vector<PictureEdge> edges;  ///< sorted by (from, to, change, label)
};

/// Which part of the topology to draw: all of it, or one service or topic and its neighbours.
struct PictureFocus {
    std::string service;  ///< "namespace/name"
    std::string topic;
};

/// The topology's Kafka access as a picture. Group and transactional-id grants are left out
/// (they name no data); cluster grants go to one cluster node.
Picture access_picture(const QueryContext& c, const PictureFocus& focus);

/// Sorts nodes and edges into their stable order and drops duplicates.
void normalise(Picture& picture);

std::string render_dot(const Picture& picture);
std::string render_mermaid(const Picture& picture);

/// The identity, topic, prefix or cluster node an ACL entry's resource is drawn as; the same
/// for the topology's picture and a diff's.
PictureNode resource_node(model::ResourceType type, model::PatternType pattern,
                          const std::string& name);
/// How an identity's operations on one resource read as an edge, and its label.
EdgeKind edge_kind(const std::vector<model::Operation>& ops, model::Effect effect);

}  // namespace km::review
