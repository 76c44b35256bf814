#include "review/picture.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "graph/authorizer.h"

namespace km::review {
namespace {

using graph::AclEntry;
using graph::Identity;
using model::Operation;

std::string identity_key(const Identity& id) {
    return "id:" + id.key;
}

/// The services of an identity, and its service account where it differs from their names.
std::string identity_label(const Identity& id) {
    std::string label = fmt::format("{}", fmt::join(id.services, ", "));
    if (id.services.size() != 1 || id.services.front() != id.service_account) {
        label += fmt::format(" (sa {})", id.service_account);
    }
    if (id.super_user) {
        label += " [super user]";
    }
    return label;
}

/// What kind of recipe an entry came from, for the edge label; a role says so.
std::string_view recipe_of(const AclEntry& e) {
    for (const graph::Provenance& p : e.sources) {
        switch (p.rule) {
            case graph::Rule::streams_internal_topics:
            case graph::Rule::streams_group:
            case graph::Rule::streams_exactly_once:
                return "streams";
            case graph::Rule::connect_worker_group:
            case graph::Rule::connect_storage_topic:
            case graph::Rule::connector_produces:
            case graph::Rule::connector_consumes:
            case graph::Rule::connector_group:
                return "connect";
            default:
                break;
        }
    }
    for (const graph::Provenance& p : e.sources) {
        if (p.rule == graph::Rule::role_grant) {
            return "role";
        }
    }
    return "";
}

std::string ops_text(const std::vector<Operation>& ops) {
    std::vector<std::string_view> names;
    for (Operation op : ops) {
        names.push_back(model::operation_name(op));
    }
    return fmt::format("{}", fmt::join(names, " "));
}

/// Grants of one identity on one resource with one effect, gathered for one edge.
struct Gathered {
    std::vector<Operation> ops;
    std::set<std::string> recipes;
};

void add_identity_edges(const Identity& id, std::map<std::string, PictureNode>& nodes,
                        std::vector<PictureEdge>& edges) {
    std::map<std::tuple<std::string, model::Effect>, Gathered> by_resource;
    for (const AclEntry& e : id.acls) {
        if (e.type != model::ResourceType::topic && e.type != model::ResourceType::cluster) {
            continue;
        }
        PictureNode node = resource_node(e.type, e.pattern, e.name);
        std::string key = node.key;
        nodes.emplace(key, std::move(node));
        Gathered& g = by_resource[{key, e.effect}];
        g.ops.push_back(e.operation);
        if (std::string_view r = recipe_of(e); !r.empty()) {
            g.recipes.emplace(r);
        }
    }
    for (auto& [what, g] : by_resource) {
        const auto& [resource, effect] = what;
        std::sort(g.ops.begin(), g.ops.end());
        g.ops.erase(std::unique(g.ops.begin(), g.ops.end()), g.ops.end());
        PictureEdge edge;
        edge.kind = edge_kind(g.ops, effect);
        std::string recipes = fmt::format("{}", fmt::join(g.recipes, "+"));
        edge.label = (effect == model::Effect::deny ? "deny " : "") +
                     (recipes.empty() ? "" : recipes + ": ") + ops_text(g.ops);
        bool inbound = edge.kind == EdgeKind::consume;
        edge.from = inbound ? resource : identity_key(id);
        edge.to = inbound ? identity_key(id) : resource;
        edges.push_back(std::move(edge));
    }
    if (id.super_user) {
        nodes.emplace("cluster", resource_node(model::ResourceType::cluster,
                                               model::PatternType::literal, "kafka-cluster"));
        edges.push_back({identity_key(id), "cluster", "super user: every operation",
                         EdgeKind::super_user, EdgeChange::none});
    }
}

/// Keeps the nodes in `keep` and the edges between them.
void keep_only(Picture& p, const std::set<std::string>& keep) {
    std::erase_if(p.nodes, [&](const PictureNode& n) { return !keep.count(n.key); });
    std::erase_if(p.edges,
                  [&](const PictureEdge& e) { return !keep.count(e.from) || !keep.count(e.to); });
}

/// A node and every node one edge away.
std::set<std::string> neighbours(const Picture& p, const std::set<std::string>& of) {
    std::set<std::string> out = of;
    for (const PictureEdge& e : p.edges) {
        if (of.count(e.from)) {
            out.insert(e.to);
        }
        if (of.count(e.to)) {
            out.insert(e.from);
        }
    }
    return out;
}

std::string dot_quote(std::string_view text) {
    std::string out = "\"";
    for (char ch : text) {
        if (ch == '"' || ch == '\\') {
            out += '\\';
        }
        out += ch;
    }
    return out + "\"";
}

/// Mermaid labels go between double quotes, where entity codes stand for the characters that
/// would end or break them.
std::string mermaid_quote(std::string_view text) {
    std::string out = "\"";
    for (char ch : text) {
        switch (ch) {
            case '"':
                out += "#quot;";
                break;
            case '<':
                out += "#lt;";
                break;
            case '>':
                out += "#gt;";
                break;
            case '#':
                out += "#35;";
                break;
            default:
                out += ch;
        }
    }
    return out + "\"";
}

// Colours readable on light and dark backgrounds: GitHub's green, red, blue and grey.
constexpr std::string_view k_green = "#1a7f37";
constexpr std::string_view k_red = "#cf222e";
constexpr std::string_view k_blue = "#0969da";
constexpr std::string_view k_grey = "#6e7781";

std::string_view edge_colour(const PictureEdge& e) {
    if (e.change == EdgeChange::added) {
        return k_green;
    }
    if (e.change == EdgeChange::removed || e.kind == EdgeKind::deny) {
        return k_red;
    }
    if (e.kind == EdgeKind::covers || e.kind == EdgeKind::other) {
        return k_grey;
    }
    return k_blue;
}

bool dashed(const PictureEdge& e) {
    return e.change == EdgeChange::removed || e.kind == EdgeKind::deny ||
           e.kind == EdgeKind::covers;
}

std::string change_prefix(const PictureEdge& e) {
    switch (e.change) {
        case EdgeChange::added:
            return "+ ";
        case EdgeChange::removed:
            return "- ";
        case EdgeChange::none:
            break;
    }
    return "";
}

/// Identity nodes by namespace, then Kafka's resources: the subgraphs both formats draw.
std::vector<std::pair<std::string, std::vector<const PictureNode*>>> grouped(const Picture& p) {
    std::vector<std::pair<std::string, std::vector<const PictureNode*>>> groups;
    for (const PictureNode& n : p.nodes) {
        if (groups.empty() || groups.back().first != n.group) {
            groups.emplace_back(n.group, std::vector<const PictureNode*>{});
        }
        groups.back().second.push_back(&n);
    }
    return groups;
}

}  // namespace

PictureNode resource_node(model::ResourceType type, model::PatternType pattern,
                          const std::string& name) {
    PictureNode n;
    if (type == model::ResourceType::cluster) {
        n.key = "cluster";
        n.label = "Kafka cluster";
        n.kind = NodeKind::cluster;
    } else if (pattern == model::PatternType::prefix) {
        n.key = "prefix:" + name;
        n.label = name + "*";
        n.kind = NodeKind::prefix;
    } else {
        n.key = "topic:" + name;
        n.label = name == "*" ? "* (every topic)" : name;
        n.kind = name == "*" ? NodeKind::prefix : NodeKind::topic;
    }
    return n;
}

EdgeKind edge_kind(const std::vector<Operation>& ops, model::Effect effect) {
    if (effect == model::Effect::deny) {
        return EdgeKind::deny;
    }
    auto has = [&](Operation op) { return std::find(ops.begin(), ops.end(), op) != ops.end(); };
    bool reads = has(Operation::Read) || has(Operation::All);
    bool writes = has(Operation::Write) || has(Operation::All);
    return reads && writes ? EdgeKind::both
           : writes        ? EdgeKind::produce
           : reads         ? EdgeKind::consume
                           : EdgeKind::other;
}

void normalise(Picture& p) {
    std::sort(p.nodes.begin(), p.nodes.end(), [](const PictureNode& a, const PictureNode& b) {
        // Namespaces first, in name order; Kafka's resources (no group) last. Compared in
        // place: a tuple of the strings would copy both of them at every comparison.
        if (a.group.empty() != b.group.empty()) {
            return b.group.empty();
        }
        if (int c = a.group.compare(b.group)) {
            return c < 0;
        }
        return a.key < b.key;
    });
    p.nodes.erase(
        std::unique(p.nodes.begin(), p.nodes.end(),
                    [](const PictureNode& a, const PictureNode& b) { return a.key == b.key; }),
        p.nodes.end());
    auto key = [](const PictureEdge& e) { return std::tie(e.from, e.to, e.change, e.label); };
    std::sort(p.edges.begin(), p.edges.end(),
              [&](const PictureEdge& a, const PictureEdge& b) { return key(a) < key(b); });
    p.edges.erase(
        std::unique(p.edges.begin(), p.edges.end(),
                    [&](const PictureEdge& a, const PictureEdge& b) { return key(a) == key(b); }),
        p.edges.end());
}

Picture access_picture(const QueryContext& c, const PictureFocus& focus) {
    Picture p;
    std::map<std::string, PictureNode> nodes;
    for (const model::Topic& t : c.topology.topics) {
        PictureNode n =
            resource_node(model::ResourceType::topic, model::PatternType::literal, t.name.value);
        n.undeclared = t.external;
        nodes.emplace(n.key, std::move(n));
    }
    for (const Identity& id : c.graph.identities) {
        PictureNode n{identity_key(id),   identity_label(id), id.ns,
                      NodeKind::identity, id.super_user,      false};
        nodes.emplace(n.key, std::move(n));
        add_identity_edges(id, nodes, p.edges);
    }
    // A prefix (or '*') reaches the declared topics it matches: drawn so that a reader sees
    // which data a prefix grant opens. The declared names are sorted once, so that a prefix
    // visits only its own range and a topic node finds its declaration by binary search.
    std::vector<std::string_view> declared;
    declared.reserve(c.topology.topics.size());
    for (const model::Topic& t : c.topology.topics) {
        declared.push_back(t.name.value);
    }
    std::sort(declared.begin(), declared.end());
    for (const auto& [key, node] : nodes) {
        if (node.kind != NodeKind::prefix) {
            continue;
        }
        bool all = key == "topic:*";
        std::string_view prefix =
            all ? std::string_view()
                : std::string_view(key).substr(std::string_view("prefix:").size());
        for (auto it = std::lower_bound(declared.begin(), declared.end(), prefix);
             it != declared.end() && it->starts_with(prefix); ++it) {
            p.edges.push_back(
                {key, "topic:" + std::string(*it), "covers", EdgeKind::covers, EdgeChange::none});
        }
    }
    for (auto& entry : nodes) {  // not a structured binding: clang 14 cannot capture one
        const std::string& key = entry.first;
        PictureNode& node = entry.second;
        if (node.kind == NodeKind::topic && key != "topic:*" && key.starts_with("topic:") &&
            !std::binary_search(declared.begin(), declared.end(),
                                std::string_view(key).substr(std::string_view("topic:").size()))) {
            node.undeclared = true;
        }
        p.nodes.push_back(std::move(node));
    }
    std::string cluster = c.topology.kafka ? c.topology.kafka->name.value : "";
    p.title =
        fmt::format("kafkamesh: who talks to whom{}", cluster.empty() ? "" : " on " + cluster);

    if (!focus.service.empty() || !focus.topic.empty()) {
        std::set<std::string> start;
        if (!focus.service.empty()) {
            if (const Identity* id = find_service_identity(c, focus.service)) {
                start.insert(identity_key(*id));
            }
            p.title += " (service " + focus.service + ")";
        } else {
            start.insert("topic:" + focus.topic);
            // The prefixes that cover the topic reach it too.
            for (const PictureEdge& e : p.edges) {
                if (e.kind == EdgeKind::covers && e.to == "topic:" + focus.topic) {
                    start.insert(e.from);
                }
            }
            p.title += " (topic " + focus.topic + ")";
        }
        std::set<std::string> keep = neighbours(p, start);
        // From a service: the resources it touches and who else touches them.
        if (!focus.service.empty()) {
            std::set<std::string> resources;
            for (const std::string& k : keep) {
                if (!k.starts_with("id:")) {
                    resources.insert(k);
                }
            }
            keep.merge(neighbours(p, resources));
        }
        keep_only(p, keep);
    }
    normalise(p);
    return p;
}

std::string render_dot(const Picture& p) {
    std::string out = "digraph kafkamesh {\n";
    out += fmt::format(
        "  graph [rankdir=LR, fontname=\"Helvetica\", labelloc=t, label={}];\n"
        "  node [fontname=\"Helvetica\", fontsize=11];\n"
        "  edge [fontname=\"Helvetica\", fontsize=9];\n",
        dot_quote(p.title));
    int index = 0;
    for (const auto& [group, members] : grouped(p)) {
        out += fmt::format("  subgraph {} {{\n    label={};\n    style=rounded;\n    color={};\n",
                           dot_quote(fmt::format("cluster_{}", index++)),
                           dot_quote(group.empty() ? "Kafka" : "namespace " + group),
                           dot_quote(k_grey));
        for (const PictureNode* n : members) {
            std::string_view shape = n->kind == NodeKind::identity ? "box"
                                     : n->kind == NodeKind::topic  ? "cylinder"
                                     : n->kind == NodeKind::prefix ? "folder"
                                                                   : "doubleoctagon";
            out += fmt::format("    {} [label={}, shape={}{}{}];\n", dot_quote(n->key),
                               dot_quote(n->label), shape, n->super_user ? ", penwidth=3" : "",
                               n->undeclared ? ", style=dashed" : "");
        }
        out += "  }\n";
    }
    for (const PictureEdge& e : p.edges) {
        out += fmt::format("  {} -> {} [label={}, color={}, fontcolor={}{}{}];\n",
                           dot_quote(e.from), dot_quote(e.to),
                           dot_quote(change_prefix(e) + e.label), dot_quote(edge_colour(e)),
                           dot_quote(edge_colour(e)), dashed(e) ? ", style=dashed" : "",
                           e.kind == EdgeKind::both ? ", dir=both" : "");
    }
    return out + "}\n";
}

std::string render_mermaid(const Picture& p) {
    // Mermaid ids must be plain words: nodes are numbered in their stable order.
    std::map<std::string, std::string> id;
    for (const PictureNode& n : p.nodes) {
        id.emplace(n.key, fmt::format("n{}", id.size() + 1));
    }
    std::string out = "flowchart LR\n";
    int index = 0;
    for (const auto& [group, members] : grouped(p)) {
        out += fmt::format("  subgraph g{}[{}]\n", index++,
                           mermaid_quote(group.empty() ? "Kafka" : "namespace " + group));
        for (const PictureNode* n : members) {
            std::string label = mermaid_quote(n->label);
            std::string shape = n->kind == NodeKind::identity ? "[" + label + "]"
                                : n->kind == NodeKind::topic  ? "[(" + label + ")]"
                                : n->kind == NodeKind::prefix ? "[/" + label + "/]"
                                                              : "{{" + label + "}}";
            out += fmt::format("    {}{}\n", id.at(n->key), shape);
        }
        out += "  end\n";
    }
    std::string styles;
    int link = 0;
    for (const PictureEdge& e : p.edges) {
        std::string_view arrow = e.kind == EdgeKind::both ? "<-->" : dashed(e) ? "-.->" : "-->";
        out += fmt::format("  {} {}|{}| {}\n", id.at(e.from), arrow,
                           mermaid_quote(change_prefix(e) + e.label), id.at(e.to));
        styles += fmt::format("  linkStyle {} stroke:{},color:{}\n", link++, edge_colour(e),
                              edge_colour(e));
    }
    out += styles;
    std::vector<std::string> supers, undeclared;
    for (const PictureNode& n : p.nodes) {
        if (n.super_user) {
            supers.push_back(id.at(n.key));
        }
        if (n.undeclared) {
            undeclared.push_back(id.at(n.key));
        }
    }
    if (!supers.empty()) {
        out += fmt::format("  classDef superUser stroke-width:3px\n  class {} superUser\n",
                           fmt::join(supers, ","));
    }
    if (!undeclared.empty()) {
        out += fmt::format("  classDef undeclared stroke-dasharray:4 3\n  class {} undeclared\n",
                           fmt::join(undeclared, ","));
    }
    return out;
}

}  // namespace km::review
