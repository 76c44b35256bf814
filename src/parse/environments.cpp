#include "parse/environments.h"

#include <fmt/format.h>

#include <algorithm>

#include "parse/reader.h"
#include "parse/topology_parser.h"
#include "source/yaml_overlay.h"
#include "util/strings.h"

namespace km::parse {

using diag::Code;
using diag::Location;
using source::NodeId;
using source::NodeKind;
using source::YamlDocument;
using source::YamlNode;

namespace {

constexpr std::size_t k_max_environments = 32;

/// Where the sections environments build on are written: the first document holding each.
struct Sections {
    const YamlDocument* metadata = nullptr;
    NodeId metadata_key = source::no_node;
    const YamlDocument* mesh = nullptr;
    NodeId mesh_key = source::no_node;
    const YamlDocument* kafka = nullptr;
    NodeId kafka_key = source::no_node;
};

/// The entry `name` of a document's root mapping: its index, or -1.
int root_entry(const YamlDocument& doc, std::string_view name) {
    if (doc.root == source::no_node || doc.node(doc.root).kind != NodeKind::mapping) {
        return -1;
    }
    for (std::size_t i = 0; i < doc.entry_count(doc.root); ++i) {
        const YamlNode& k = doc.node(doc.key(doc.root, i));
        if (k.kind == NodeKind::scalar && k.value == name) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

Sections find_sections(const std::vector<YamlDocument>& documents) {
    Sections s;
    for (const YamlDocument& doc : documents) {
        auto take = [&](std::string_view name, const YamlDocument*& in, NodeId& key) {
            int i = root_entry(doc, name);
            if (i >= 0 && !in) {
                in = &doc;
                key = doc.key(doc.root, static_cast<std::size_t>(i));
            }
        };
        take("metadata", s.metadata, s.metadata_key);
        take("mesh", s.mesh, s.mesh_key);
        take("kafka", s.kafka, s.kafka_key);
    }
    return s;
}

/// The value node that follows the key node `key` in the root mapping of `doc`.
NodeId root_value(const YamlDocument& doc, NodeId key) {
    for (std::size_t i = 0; i < doc.entry_count(doc.root); ++i) {
        if (doc.key(doc.root, i) == key) {
            return doc.value(doc.root, i);
        }
    }
    return source::no_node;
}

/// One environment's overrides, as written.
struct Overrides {
    model::Environment environment;
    NodeId mesh = source::no_node;
    NodeId kafka = source::no_node;
    NodeId mesh_key = source::no_node;
    NodeId kafka_key = source::no_node;
    NodeId entry = source::no_node;  ///< the environment's mapping
};

/// A topology document of the header and the mesh and kafka sections, with the overrides laid
/// over the sections as written.
YamlDocument overlaid_sections(const Sections& s, const YamlDocument& env_doc, const Overrides& o) {
    YamlDocument doc;
    doc.file = env_doc.file;
    std::vector<NodeId> entries;
    for (std::string_view header : {"apiVersion", "kind", "metadata"}) {
        int i = root_entry(env_doc, header);
        if (i >= 0) {
            entries.push_back(source::copy_subtree(
                doc, env_doc, env_doc.key(env_doc.root, static_cast<std::size_t>(i))));
            entries.push_back(source::copy_subtree(
                doc, env_doc, env_doc.value(env_doc.root, static_cast<std::size_t>(i))));
        }
    }
    auto section = [&](const YamlDocument* base, NodeId base_key, NodeId over_key, NodeId over) {
        if (base) {
            entries.push_back(source::copy_subtree(doc, *base, base_key));
            NodeId base_value = root_value(*base, base_key);
            entries.push_back(over == source::no_node
                                  ? source::copy_subtree(doc, *base, base_value)
                                  : source::overlay(doc, *base, base_value, env_doc, over));
        } else if (over != source::no_node) {
            entries.push_back(source::copy_subtree(doc, env_doc, over_key));
            entries.push_back(source::copy_subtree(doc, env_doc, over));
        }
    };
    section(s.mesh, s.mesh_key, o.mesh_key, o.mesh);
    section(s.kafka, s.kafka_key, o.kafka_key, o.kafka);
    doc.root = source::add_mapping(doc, entries, env_doc.node(env_doc.root).location);
    return doc;
}

bool within(const Location& at, const Location& from, const Location& to) {
    auto pos = [](const Location& l) { return std::pair(l.line, l.column); };
    return at.file == from.file && pos(at) >= pos(from) && pos(at) <= pos(to);
}

/// Reads one entry of `environments`: its fields, the keys no environment may override (KM361)
/// and its topic limits.
Overrides read_overrides(Reader& r, NodeId key, NodeId value) {
    Overrides o;
    o.entry = value;
    o.environment.location = r.where(key);
    if (auto name = r.string(key)) {
        r.check_format(name, util::is_dns_label, k_dns_label);
        o.environment.name = std::move(*name);
    }
    model::TopicLimits& limits = o.environment.topic_limits;
    if (r.node(value).kind == NodeKind::null) {
        return o;  // "staging:" with nothing under it: the topology as written
    }
    r.fields(value, "/environments/*", {}, [&](std::string_view field, NodeId v) {
        NodeId field_key = source::no_node;
        for (std::size_t i = 0; i < r.doc().entry_count(value); ++i) {
            if (r.doc().value(value, i) == v) {
                field_key = r.doc().key(value, i);
            }
        }
        if (field == "topicLimits") {
            r.fields(v, "/environments/*/topicLimits", {}, [&](std::string_view limit, NodeId n) {
                auto count = r.integer(n, 1, 32767);
                if (limit == "replicas") {
                    limits.replicas_location = r.where(n);
                    if (count) {
                        limits.replicas = static_cast<int>(*count);
                    }
                } else {
                    limits.partitions_location = r.where(n);
                    if (count) {
                        limits.partitions = static_cast<int>(*count);
                    }
                }
            });
            return;
        }
        if (!r.is_mapping(v)) {
            return;
        }
        (field == "mesh" ? o.mesh : o.kafka) = v;
        (field == "mesh" ? o.mesh_key : o.kafka_key) = field_key;
        // Acknowledgements accept the warnings located inside the object they are written on;
        // an environment's copy would cover nothing of the object it overrides.
        for (std::size_t i = 0; i < r.doc().entry_count(v); ++i) {
            const YamlNode& k = r.node(r.doc().key(v, i));
            if (k.kind == NodeKind::scalar && k.value == "acknowledge") {
                auto& d = r.sink().report(
                    Code::KM361, k.location,
                    fmt::format("an environment cannot override '{}.acknowledge'", field));
                diag::add_help(d, fmt::format("acknowledge the warning in '{}' itself, or on the "
                                              "object it is located in",
                                              field));
            }
        }
    });
    return o;
}

/// What reading every document's `environments` gathers.
struct Gathered {
    std::optional<model::Environment> chosen;
    std::vector<std::string_view> names;
    Location declared_at;
};

/// The environments describe the platform, so they live with it; a team's file that resized the
/// cluster would change every other team's topics (KM362, also for a second declaration).
bool report_misplaced(const Sections& sections, const YamlDocument& doc, const Reader& r,
                      NodeId key, const Location& declared_at, diag::DiagnosticSink& sink) {
    if (!declared_at.known() && (!sections.metadata || sections.metadata == &doc)) {
        return false;
    }
    auto& d = sink.report(Code::KM362, r.where(key),
                          "'environments' must be in the file that holds 'metadata'");
    if (sections.metadata) {
        diag::add_note(d, sections.metadata->node(sections.metadata_key).location,
                       "'metadata' is declared here");
    }
    diag::add_help(d, "move the environments next to 'metadata', 'mesh' and 'kafka'");
    return true;
}

/// Each environment is checked on a copy of the mesh and kafka sections: a bound on their number
/// keeps a hostile file from multiplying a large kafka.config (KM364 past it).
std::size_t bounded_count(const YamlDocument& doc, const Reader& r, NodeId value,
                          diag::DiagnosticSink& sink) {
    std::size_t count = doc.entry_count(value);
    if (count <= k_max_environments) {
        return count;
    }
    NodeId extra = doc.key(value, k_max_environments);
    auto& d =
        sink.report(Code::KM364, r.where(extra),
                    fmt::format("{} environments; the limit is {}", count, k_max_environments));
    diag::add_help(d,
                   "an environment is a cluster the topology is deployed to; keep "
                   "one topology per group of similar clusters");
    return k_max_environments;
}

/// The overrides laid over the sections as written, parsed like them: each mistake is reported
/// once, at the override, whichever environment is selected.
model::Topology parse_overlaid(const Sections& sections, const YamlDocument& doc, const Reader& r,
                               const Overrides& o, diag::DiagnosticSink& sink) {
    std::vector<YamlDocument> overlaid;
    overlaid.push_back(overlaid_sections(sections, doc, o));
    diag::DiagnosticSink scratch;
    model::Topology t = parse_topology(overlaid, scratch);
    Location from = r.where(o.entry);
    Location to = last_position(doc, o.entry);
    diag::DiagnosticSink kept;
    for (const diag::Diagnostic& d : scratch.raw()) {
        if (within(d.location, from, to)) {
            diag::Diagnostic& copy = kept.report(d.code, d.location, d.message);
            copy.severity = d.severity;
            copy.notes = d.notes;
        }
    }
    sink.append(std::move(kept));
    return t;
}

/// An environment that caps topics at more replicas than its cluster has nodes (KM363).
void check_topic_limits(const Overrides& o, const model::Topology& t, diag::DiagnosticSink& sink) {
    const model::TopicLimits& limits = o.environment.topic_limits;
    if (!limits.replicas || !t.kafka || *limits.replicas <= t.kafka->nodes) {
        return;
    }
    auto& d = sink.report(Code::KM363, limits.replicas_location,
                          fmt::format("environment '{}' caps topics at {} replicas, but its "
                                      "cluster has {} node{}",
                                      o.environment.name.value, *limits.replicas, t.kafka->nodes,
                                      t.kafka->nodes == 1 ? "" : "s"));
    if (t.kafka->nodes_location.known()) {
        diag::add_note(d, t.kafka->nodes_location, "the node count is set here");
    }
    diag::add_help(d, fmt::format("cap replicas at {} or fewer", t.kafka->nodes));
}

/// The `environments` of one document, each checked; the selected one is kept with its mesh and
/// kafka.
void read_environments(const Sections& sections, const YamlDocument& doc, std::string_view selected,
                       diag::DiagnosticSink& sink, Gathered& g) {
    int entry = root_entry(doc, "environments");
    if (entry < 0) {
        return;
    }
    NodeId key = doc.key(doc.root, static_cast<std::size_t>(entry));
    NodeId value = doc.value(doc.root, static_cast<std::size_t>(entry));
    Reader r(doc, sink);
    if (report_misplaced(sections, doc, r, key, g.declared_at, sink)) {
        return;
    }
    g.declared_at = r.where(key);
    if (r.node(value).kind == NodeKind::null || !r.is_mapping(value)) {
        return;
    }
    std::size_t count = bounded_count(doc, r, value, sink);
    for (std::size_t i = 0; i < count; ++i) {
        NodeId env_key = doc.key(value, i);
        Overrides o = read_overrides(r, env_key, doc.value(value, i));
        if (o.environment.name.empty()) {
            continue;
        }
        g.names.push_back(doc.node(env_key).value);
        model::Topology t = parse_overlaid(sections, doc, r, o, sink);
        check_topic_limits(o, t, sink);
        if (doc.node(env_key).value != selected) {
            continue;
        }
        if (o.mesh != source::no_node) {
            o.environment.mesh = std::move(t.mesh);
        }
        if (o.kafka != source::no_node && t.kafka) {
            o.environment.kafka = std::move(t.kafka);
        }
        g.chosen = std::move(o.environment);
    }
}

/// `--env` names an environment the topology does not declare (KM360).
void report_unknown(std::string_view selected, const Gathered& g, const Sections& sections,
                    diag::DiagnosticSink& sink) {
    Location declared_at = g.declared_at;
    // Without environments, the file that holds metadata is named: diff reads two topologies.
    if (!declared_at.known() && sections.metadata) {
        declared_at = Location{sections.metadata->file, 0, 0, 0};
    }
    const std::vector<std::string_view>& names = g.names;
    auto& d = sink.report(Code::KM360, declared_at,
                          names.empty()
                              ? fmt::format("unknown environment '{}': the topology declares no "
                                            "environments",
                                            selected)
                              : fmt::format("unknown environment '{}'", selected));
    if (names.empty()) {
        diag::add_help(d,
                       "declare it under 'environments' in the file that holds 'metadata', "
                       "or leave out --env");
        return;
    }
    if (auto match = util::closest_match(selected, names)) {
        diag::add_help(d, fmt::format("did you mean '{}'?", *match));
    }
    std::vector<std::string> quoted;
    for (std::string_view name : names) {
        quoted.push_back(fmt::format("'{}'", name));
    }
    std::sort(quoted.begin(), quoted.end());
    diag::add_help(d, fmt::format("the environments are {}", util::join(quoted, ", ")));
}

}  // namespace

std::optional<model::Environment> parse_environments(const std::vector<YamlDocument>& documents,
                                                     std::string_view selected,
                                                     diag::DiagnosticSink& sink) {
    Sections sections = find_sections(documents);
    Gathered gathered;
    for (const YamlDocument& doc : documents) {
        read_environments(sections, doc, selected, sink, gathered);
    }
    if (selected.empty() || gathered.chosen) {
        return gathered.chosen;
    }
    report_unknown(selected, gathered, sections, sink);
    return std::nullopt;
}

}  // namespace km::parse
