#include "emit/document_tree.h"

namespace km::emit {
namespace {

using source::NodeId;
using source::NodeKind;
using source::YamlDocument;
using source::YamlNode;

YamlNode leaf(const Value& v, const diag::Location& at) {
    YamlNode n;
    n.location = at;
    switch (v.kind()) {
        case Value::Kind::null:
            n.kind = NodeKind::null;
            break;
        case Value::Kind::string:
        case Value::Kind::number:
        case Value::Kind::boolean:
            n.kind = NodeKind::scalar;
            n.quoted = v.kind() == Value::Kind::string;
            n.value = v.text();
            break;
        case Value::Kind::sequence:
            n.kind = NodeKind::sequence;
            break;
        case Value::Kind::mapping:
            n.kind = NodeKind::mapping;
            break;
    }
    return n;
}

NodeId push(YamlDocument& doc, YamlNode node) {
    auto id = static_cast<NodeId>(doc.nodes.size());
    doc.nodes.push_back(std::move(node));
    return id;
}

/// Gives the collection `id` its children: first every direct child, so they form one run of
/// `child_ids`, then each child's own.
void fill(YamlDocument& doc, NodeId id, const Value& v, const diag::Location& at) {
    if (v.kind() != Value::Kind::sequence && v.kind() != Value::Kind::mapping) {
        return;
    }
    auto first = static_cast<std::uint32_t>(doc.child_ids.size());
    if (v.kind() == Value::Kind::sequence) {
        for (const Value& item : v.items()) {
            doc.child_ids.push_back(push(doc, leaf(item, at)));
        }
    } else {
        for (const auto& [key, value] : v.entries()) {
            YamlNode k;
            k.kind = NodeKind::scalar;
            k.location = at;
            k.value = key;
            doc.child_ids.push_back(push(doc, std::move(k)));
            doc.child_ids.push_back(push(doc, leaf(value, at)));
        }
    }
    doc.nodes[id].first_child = first;
    doc.nodes[id].child_count = static_cast<std::uint32_t>(doc.child_ids.size()) - first;
    if (v.kind() == Value::Kind::sequence) {
        for (std::size_t i = 0; i < v.items().size(); ++i) {
            fill(doc, doc.child_ids[first + i], v.items()[i], at);
        }
    } else {
        for (std::size_t i = 0; i < v.entries().size(); ++i) {
            fill(doc, doc.child_ids[first + 2 * i + 1], v.entries()[i].second, at);
        }
    }
}

}  // namespace

source::YamlDocument as_yaml_document(const Value& document, std::uint32_t file) {
    YamlDocument doc;
    doc.file = file;
    diag::Location at{file, 0, 0, 0};
    doc.root = push(doc, leaf(document, at));
    fill(doc, doc.root, document, at);
    return doc;
}

}  // namespace km::emit
