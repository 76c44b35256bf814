#include "parse/topology_parser.h"

#include <fmt/format.h>

#include <iterator>

#include "parse/list_entries.h"
#include "parse/platform_sections.h"
#include "parse/reader.h"

namespace km::parse {

using diag::Code;
using diag::Location;
using source::NodeId;
using source::YamlDocument;

namespace {

void parse_header(Reader& r, NodeId root, std::string_view field, std::string_view expected,
                  bool& seen) {
    const YamlDocument& doc = r.doc();
    for (std::size_t i = 0; i < doc.entry_count(root); ++i) {
        if (r.node(doc.key(root, i)).value == field) {
            seen = true;
            auto text = r.string(doc.value(root, i));
            if (text && text->value != expected) {
                auto& d = r.sink().report(
                    Code::KM206, text->location,
                    fmt::format("{} must be '{}', found '{}'", field, expected, text->value));
                diag::add_help(d, fmt::format("write '{}: {}'", field, expected));
            }
            return;
        }
    }
}

/// One file's part of the topology.
model::Topology parse_file(const YamlDocument& doc, diag::DiagnosticSink& sink,
                           Location& metadata_at, Location& mesh_at, Location& kafka_at) {
    model::Topology t;
    Reader r(doc, sink);
    NodeId root = doc.root;
    if (!r.is_mapping(root)) {
        return t;
    }
    bool has_api = false;
    bool has_kind = false;
    parse_header(r, root, "apiVersion", "kafkamesh.io/v1alpha1", has_api);
    parse_header(r, root, "kind", "Topology", has_kind);
    if (!has_api || !has_kind) {
        auto& d = sink.report(Code::KM206, r.where(root),
                              fmt::format("missing '{}'", !has_api ? "apiVersion" : "kind"));
        diag::add_help(d,
                       "every topology file starts with 'apiVersion: kafkamesh.io/v1alpha1' and "
                       "'kind: Topology'");
    }
    r.fields(root, "", {}, [&](std::string_view name, NodeId v) {
        Location key_at = r.key_location();
        if (name == "metadata") {
            metadata_at = key_at;
            parse_metadata(r, v, t);
        } else if (name == "mesh") {
            mesh_at = key_at;
            parse_mesh(r, v, t);
        } else if (name == "kafka") {
            kafka_at = key_at;
            parse_kafka(r, v, t);
        } else if (name == "namespaces") {
            r.items(v, [&](NodeId item) { parse_namespace(r, item, t); });
        } else if (name == "services") {
            // Exact capacity: on large topologies a doubling vector wastes a third of its memory.
            t.services.reserve(r.node(v).child_count);
            r.items(v, [&](NodeId item) { parse_service(r, item, t); });
        } else if (name == "topics") {
            t.topics.reserve(r.node(v).child_count);
            r.items(v, [&](NodeId item) { parse_topic(r, item, t); });
        } else if (name == "roles") {
            r.items(v, [&](NodeId item) { parse_role(r, item, t); });
        }
    });
    return t;
}

/// The first file's list is taken over whole: a large single-file topology never holds its
/// services twice while they are merged.
template <class T>
void append(std::vector<T>& to, std::vector<T>& from) {
    if (to.empty()) {
        to = std::move(from);
        return;
    }
    to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

}  // namespace

model::Topology parse_topology(const std::vector<source::YamlDocument>& documents,
                               diag::DiagnosticSink& sink) {
    model::Topology merged;
    Location metadata_first;
    Location mesh_first;
    Location kafka_first;
    auto once = [&](std::string_view section, const Location& here, Location& first) {
        if (!here.known()) {
            return true;
        }
        if (!first.known()) {
            first = here;
            return true;
        }
        auto& d = sink.report(Code::KM312, here,
                              fmt::format("'{}' is already declared in another file", section));
        diag::add_note(d, first, "first declared here");
        diag::add_help(
            d, fmt::format("keep '{}' in one file; the other files carry only lists", section));
        return false;
    };
    for (const source::YamlDocument& doc : documents) {
        Location metadata_at;
        Location mesh_at;
        Location kafka_at;
        model::Topology part = parse_file(doc, sink, metadata_at, mesh_at, kafka_at);
        if (once("metadata", metadata_at, metadata_first) && part.metadata) {
            merged.metadata = std::move(part.metadata);
        }
        if (once("mesh", mesh_at, mesh_first) && part.has_mesh) {
            merged.mesh = std::move(part.mesh);
            merged.has_mesh = true;
        }
        if (once("kafka", kafka_at, kafka_first) && part.kafka) {
            merged.kafka = std::move(part.kafka);
        }
        append(merged.namespaces, part.namespaces);
        append(merged.services, part.services);
        append(merged.topics, part.topics);
        append(merged.roles, part.roles);
        append(merged.acknowledgements, part.acknowledgements);
    }
    if (!documents.empty()) {
        Location first_file{documents.front().file, 0, 0, 0};
        if (!metadata_first.known()) {
            auto& d = sink.report(Code::KM313, first_file, "no file declares 'metadata'");
            diag::add_help(d, "add 'metadata: {name: <topology name>}' to one file");
        }
        if (!kafka_first.known()) {
            auto& d = sink.report(Code::KM313, first_file, "no file declares 'kafka'");
            diag::add_help(
                d, "add a 'kafka' section with at least 'name' and 'namespace' to one file");
        }
    }
    return merged;
}

}  // namespace km::parse
