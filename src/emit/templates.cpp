#include "emit/templates.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "emit/builtin_templates.h"
#include "parse/value_formats.h"
#include "source/yaml_loader.h"

namespace km::emit {
namespace {

namespace fs = std::filesystem;
using source::NodeId;
using source::NodeKind;

/// Reads one template document; reports KM005 (user templates) and returns nothing on error.
std::optional<Template> read_template(const source::YamlDocument& doc, diag::DiagnosticSink& sink) {
    Template t;
    bool ok = true;
    auto bad = [&](NodeId id, std::string message) {
        sink.report(diag::Code::KM005, doc.node(id).location, std::move(message));
        ok = false;
    };
    auto string_map = [&](NodeId map, std::map<std::string, std::string>& out) {
        if (doc.node(map).kind != NodeKind::mapping) {
            bad(map, "expected a mapping of strings");
            return;
        }
        for (std::size_t i = 0; i < doc.entry_count(map); ++i) {
            const auto& k = doc.node(doc.key(map, i));
            const auto& v = doc.node(doc.value(map, i));
            if (k.kind != NodeKind::scalar || v.kind != NodeKind::scalar) {
                bad(doc.key(map, i), "labels and annotations are strings");
                continue;
            }
            out[k.value] = v.value;
        }
    };
    NodeId root = doc.root;
    if (doc.node(root).kind != NodeKind::mapping) {
        bad(root, "a template is a mapping with apiVersion, kind and metadata");
        return std::nullopt;
    }
    for (std::size_t i = 0; i < doc.entry_count(root); ++i) {
        const std::string& key = doc.node(doc.key(root, i)).value;
        NodeId value = doc.value(root, i);
        if (key == "apiVersion" || key == "kind") {
            (key == "kind" ? t.kind : t.api_version) = doc.node(value).value;
        } else if (key == "metadata" && doc.node(value).kind == NodeKind::mapping) {
            for (std::size_t j = 0; j < doc.entry_count(value); ++j) {
                const std::string& field = doc.node(doc.key(value, j)).value;
                if (field == "labels") {
                    string_map(doc.value(value, j), t.labels);
                } else if (field == "annotations") {
                    string_map(doc.value(value, j), t.annotations);
                } else {
                    bad(doc.key(value, j), fmt::format("a template sets only metadata.labels and "
                                                       "metadata.annotations, found '{}'",
                                                       field));
                }
            }
        } else {
            bad(doc.key(root, i),
                fmt::format("a template holds apiVersion, kind and metadata, found '{}'", key));
        }
    }
    if (!ok) {
        return std::nullopt;
    }
    return t;
}

void merge_user_template(const fs::path& path, Template& base, source::SourceManager& sources,
                         diag::DiagnosticSink& sink) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) {
        sink.report(diag::Code::KM002, diag::Location{},
                    fmt::format("cannot read template '{}'", path.string()));
        return;
    }
    std::uint32_t file = sources.add(path.string(), text.str());
    auto doc = source::load_yaml(sources, file, sink);
    if (!doc) {
        return;
    }
    auto t = read_template(*doc, sink);
    if (!t) {
        return;
    }
    diag::Location whole{file, 0, 0, 0};
    if ((!t->kind.empty() && t->kind != base.kind) ||
        (!t->api_version.empty() && t->api_version != base.api_version)) {
        sink.report(
            diag::Code::KM005, whole,
            fmt::format("template for {} names {} {}; the kind and apiVersion are kafkamesh's",
                        base.kind, t->api_version, t->kind));
        return;
    }
    for (const auto& [key, value] : t->labels) {
        if (!parse::is_label_key(key) || !parse::is_label_value(value)) {
            sink.report(diag::Code::KM005, whole,
                        fmt::format("'{}: {}' is not a valid Kubernetes label", key, value));
            continue;
        }
        if (base.labels.count(key) && base.labels[key] != value) {
            sink.report(diag::Code::KM005, whole,
                        fmt::format("label '{}' is set by kafkamesh", key));
            continue;
        }
        base.labels[key] = value;
    }
    for (const auto& [key, value] : t->annotations) {
        if (!parse::is_label_key(key)) {
            sink.report(diag::Code::KM005, whole,
                        fmt::format("'{}' is not a valid Kubernetes annotation key", key));
            continue;
        }
        // Strimzi's annotation that turns off TLS or mTLS on its internal listeners and then makes
        // User:ANONYMOUS a super user (strimzi-kafka-operator KafkaBrokerConfigurationBuilder,
        // con-internal-cluster-security.adoc). The mesh admits peers without a mesh identity
        // to those ports for an operator outside the mesh, trusting Strimzi's own mTLS.
        if (key == "strimzi.io/internal-cluster-security") {
            sink.report(diag::Code::KM005, whole,
                        fmt::format("annotation '{}' is refused: it turns off the mTLS that "
                                    "guards Strimzi's internal ports, and anyone who reaches them "
                                    "becomes a Kafka super user",
                                    key));
            continue;
        }
        base.annotations[key] = value;
    }
}

}  // namespace

std::optional<Templates> Templates::load(const std::optional<std::string>& user_dir,
                                         source::SourceManager& sources,
                                         diag::DiagnosticSink& sink) {
    Templates out;
    source::SourceManager builtin_sources;
    for (const BuiltinTemplate& b : builtin_templates()) {
        std::uint32_t file =
            builtin_sources.add(std::string("templates/") + b.kind + ".yaml", b.text);
        diag::DiagnosticSink builtin_sink;
        auto doc = source::load_yaml(builtin_sources, file, builtin_sink);
        auto t = doc ? read_template(*doc, builtin_sink) : std::nullopt;
        if (!t || builtin_sink.has_errors()) {
            throw std::logic_error(std::string("built-in template is invalid: ") + b.kind);
        }
        out.m_templates[t->kind] = std::move(*t);
    }
    if (!user_dir) {
        return out;
    }
    std::error_code ec;
    if (!fs::is_directory(*user_dir, ec)) {
        sink.report(diag::Code::KM002, diag::Location{},
                    fmt::format("templates directory '{}' does not exist or is not a directory",
                                *user_dir));
        return std::nullopt;
    }
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(*user_dir, ec)) {
        if (entry.path().extension() == ".yaml") {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    // <Kind>.yaml first, then <Kind>.<name>.yaml on top of its kind's merged template.
    std::stable_partition(files.begin(), files.end(), [](const fs::path& p) {
        return p.stem().string().find('.') == std::string::npos;
    });
    for (const fs::path& path : files) {
        std::string stem = path.stem().string();
        std::size_t dot = stem.find('.');
        std::string kind = stem.substr(0, dot);
        auto it = out.m_templates.find(kind);
        if (it == out.m_templates.end()) {
            sink.report(diag::Code::KM005, diag::Location{sources.add(path.string(), ""), 0, 0, 0},
                        fmt::format("kafkamesh emits no kind named '{}'", kind));
            continue;
        }
        if (dot == std::string::npos) {
            merge_user_template(path, it->second, sources, sink);
            continue;
        }
        Template& named = out.m_named[{kind, stem.substr(dot + 1)}];
        named = it->second;
        merge_user_template(path, named, sources, sink);
    }
    if (sink.has_errors()) {
        return std::nullopt;
    }
    return out;
}

const Template& Templates::get(const std::string& kind, const std::string& name) const {
    auto it = m_named.find({kind, name});
    return it == m_named.end() ? get(kind) : it->second;
}

const Template& Templates::get(const std::string& kind) const {
    auto it = m_templates.find(kind);
    if (it == m_templates.end()) {
        throw std::logic_error("no template for kind " + kind);
    }
    return it->second;
}

}  // namespace km::emit
