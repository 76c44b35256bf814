#include "parse/topology_parser.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <functional>
#include <limits>

#include "parse/value_formats.h"
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

const std::vector<ObjectFields> k_fields = {
    {"",
     {"apiVersion", "kind", "metadata", "mesh", "kafka", "namespaces", "services", "topics",
      "roles", "environments"}},
    {"/metadata", {"name"}},
    {"/mesh",
     {"trustDomain", "clusterDomain", "mtls", "dataplane", "istioVersion", "idleTimeout",
      "nativeSidecars", "defaultDeny", "revision", "rootNamespace", "enforcement", "filters",
      "acknowledge"}},
    {"/mesh/acknowledge/*", {"code", "reason"}},
    {"/mesh/filters", {"kafkaMetrics", "identity", "accessLogs"}},
    {"/mesh/filters/kafkaMetrics", {"proxyImage"}},
    {"/mesh/filters/identity", {"image"}},
    {"/kafka",
     {"name", "namespace", "distribution", "managed", "version", "nodes", "storage",
      "authentication", "listenerPort", "listenerName", "superUsers", "config", "brokerPods",
      "strimzi", "bitnami", "acknowledge"}},
    {"/kafka/acknowledge/*", {"code", "reason"}},
    {"/kafka/brokerPods", {"labels", "serviceAccount"}},
    {"/kafka/storage", {"size", "class"}},
    {"/kafka/strimzi", {"api", "operatorNamespace", "operatorInMesh", "accessOperator"}},
    {"/kafka/bitnami",
     {"chart", "release", "image", "operatorImage", "ignoredUsers", "bootstrap", "admin",
      "existingSecret"}},
    {"/kafka/bitnami/admin", {"user", "secret", "key", "mechanism"}},
    {"/namespaces/*",
     {"name", "managed", "labels", "mtls", "defaultDeny", "limitEgress", "acknowledge"}},
    {"/namespaces/*/acknowledge/*", {"code", "reason"}},
    {"/services/*",
     {"name", "namespace", "serviceAccount", "user", "kind", "produces", "consumes",
      "transactionalId", "roles", "quotas", "applicationId", "exactlyOnce", "connect",
      "authentication", "password", "acknowledge"}},
    {"/services/*/password", {"secret", "key"}},
    {"/services/*/acknowledge/*", {"code", "reason"}},
    {"/services/*/consumes/*", {"topic", "group"}},
    {"/services/*/quotas",
     {"producerByteRate", "consumerByteRate", "requestPercentage", "controllerMutationRate"}},
    {"/services/*/connect", {"groupId", "storageTopics", "connectors"}},
    {"/services/*/connect/storageTopics", {"configs", "offsets", "status"}},
    {"/services/*/connect/connectors/*", {"name", "consumes", "produces"}},
    {"/topics/*",
     {"name", "resourceName", "partitions", "replicas", "config", "external", "acknowledge"}},
    {"/topics/*/acknowledge/*", {"code", "reason"}},
    {"/roles/*", {"name", "grants", "acknowledge"}},
    {"/roles/*/acknowledge/*", {"code", "reason"}},
    {"/roles/*/grants/*",
     {"topics", "groups", "transactionalIds", "cluster", "operations", "effect"}},
    {"/environments/*", {"mesh", "kafka", "topicLimits"}},
    {"/environments/*/topicLimits", {"replicas", "partitions"}},
};

const std::vector<std::string>& fields_of(std::string_view path) {
    for (const ObjectFields& f : k_fields) {
        if (f.path == path) {
            return f.fields;
        }
    }
    static const std::vector<std::string> none;
    return none;
}

/// Reads typed values out of one document, reporting every mismatch and carrying on.
class Reader {
  public:
    Reader(const YamlDocument& doc, diag::DiagnosticSink& sink) : m_doc(doc), m_sink(sink) {}

    const YamlNode& node(NodeId id) const { return m_doc.node(id); }
    Location where(NodeId id) const { return m_doc.node(id).location; }

    void wrong_type(NodeId id, std::string_view expected) {
        const YamlNode& n = node(id);
        std::string found(source::kind_name(n.kind));
        if (n.kind == NodeKind::scalar && !n.quoted) {
            switch (util::resolve_plain(n.value)) {
                case util::PlainType::boolean:
                    found = "a boolean";
                    break;
                case util::PlainType::integer:
                case util::PlainType::floating:
                    found = "a number";
                    break;
                default:
                    found = "a string";
            }
        } else if (n.kind == NodeKind::scalar) {
            found = "a string";
        }
        // "key:" with nothing after it: the null sits where the next line starts, but the
        // mistake is on the key's line.
        Location at = where(id);
        if (n.kind == NodeKind::null && m_key.known() && m_key.file == at.file &&
            m_key.line <= at.line) {
            at = m_key;
        }
        auto& d =
            m_sink.report(Code::KM202, at, fmt::format("expected {}, found {}", expected, found));
        if (expected == "a string" && found != "a string" && n.kind == NodeKind::scalar) {
            diag::add_help(d, fmt::format("quote it to make it a string: \"{}\"", n.value));
        }
    }

    bool is_mapping(NodeId id) {
        if (node(id).kind != NodeKind::mapping) {
            wrong_type(id, "a mapping");
            return false;
        }
        return true;
    }

    /// Calls `on_field(name, value)` for each known key of a mapping at `path`; reports unknown
    /// keys with a did-you-mean and missing `required` keys at the mapping.
    void fields(NodeId map, std::string_view path, const std::vector<std::string_view>& required,
                const std::function<void(std::string_view, NodeId)>& on_field) {
        if (!is_mapping(map)) {
            return;
        }
        const std::vector<std::string>& known = fields_of(path);
        std::vector<std::string_view> seen;
        std::vector<bool> misplaced = misplaced_fields(map, path, known);
        for (std::size_t i = 0; i < m_doc.entry_count(map); ++i) {
            NodeId key = m_doc.key(map, i);
            NodeId value = m_doc.value(map, i);
            if (node(key).kind != NodeKind::scalar) {
                m_sink.report(Code::KM202, where(key),
                              "expected a field name, found " +
                                  std::string(source::kind_name(node(key).kind)));
                continue;
            }
            const std::string& name = node(key).value;
            if (misplaced[i]) {
                continue;  // reported at the empty field they belong under
            }
            if (std::find(known.begin(), known.end(), name) == known.end()) {
                unknown_field(key, path, known);
                continue;
            }
            if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
                continue;  // a duplicate key, already reported by the loader
            }
            seen.push_back(name);
            m_key = where(key);
            on_field(name, value);
        }
        for (std::string_view r : required) {
            if (std::find(seen.begin(), seen.end(), r) == seen.end()) {
                auto& d = m_sink.report(Code::KM203, where(map),
                                        fmt::format("missing required field '{}'", r));
                if (util::ends_with(path, "/*")) {
                    std::string_view list = path.substr(0, path.size() - 2);
                    list = list.substr(list.rfind('/') + 1);
                    diag::add_help(d, fmt::format("every entry of '{}' needs '{}'", list, r));
                }
            }
        }
    }

    /// "quotas:" followed by its fields at the indentation of "quotas" itself: YAML reads an
    /// empty 'quotas' and unknown sibling fields. Reported once, at the empty field, with the
    /// indentation to fix; the returned flags mark the sibling fields already covered.
    std::vector<bool> misplaced_fields(NodeId map, std::string_view path,
                                       const std::vector<std::string>& known) {
        std::size_t count = m_doc.entry_count(map);
        std::vector<bool> covered(count, false);
        for (std::size_t i = 0; i < count; ++i) {
            NodeId key = m_doc.key(map, i);
            if (node(key).kind != NodeKind::scalar ||
                node(m_doc.value(map, i)).kind != NodeKind::null) {
                continue;
            }
            const std::vector<std::string>& inner =
                fields_of(std::string(path) + "/" + node(key).value);
            std::vector<NodeId> stray;
            for (std::size_t j = i + 1; j < count; ++j) {
                NodeId other = m_doc.key(map, j);
                const std::string& name = node(other).value;
                if (node(other).kind != NodeKind::scalar ||
                    std::find(known.begin(), known.end(), name) != known.end() ||
                    std::find(inner.begin(), inner.end(), name) == inner.end()) {
                    break;
                }
                stray.push_back(other);
                covered[j] = true;
            }
            if (stray.empty()) {
                continue;
            }
            auto& d = m_sink.report(
                Code::KM202, where(key),
                fmt::format("'{}' is empty: the field{} below it {} not indented under it",
                            node(key).value, stray.size() == 1 ? "" : "s",
                            stray.size() == 1 ? "is" : "are"));
            for (NodeId s : stray) {
                diag::add_note(d, where(s),
                               fmt::format("'{}' belongs to '{}'", node(s).value, node(key).value));
            }
            diag::add_help(d, fmt::format("indent the fields of '{}' by two more spaces than "
                                          "'{}:' itself",
                                          node(key).value, node(key).value));
            covered[i] = true;
        }
        return covered;
    }

    void unknown_field(NodeId key, std::string_view path, const std::vector<std::string>& known) {
        const YamlNode& k = node(key);
        std::string object = path.empty() ? "the topology" : fmt::format("'{}'", path.substr(1));
        auto& d = m_sink.report(Code::KM201, where(key),
                                fmt::format("unknown field '{}' in {}", k.value, object));
        std::vector<std::string_view> candidates(known.begin(), known.end());
        if (auto match = util::closest_match(k.value, candidates)) {
            diag::add_help(d, fmt::format("did you mean '{}'?", *match));
        } else {
            diag::add_help(d, fmt::format("expected one of: {}", util::join(known, ", ")));
        }
    }

    std::optional<model::Text> string(NodeId id) {
        const YamlNode& n = node(id);
        if (n.kind != NodeKind::scalar ||
            (!n.quoted && util::resolve_plain(n.value) != util::PlainType::string)) {
            wrong_type(id, "a string");
            return std::nullopt;
        }
        return model::Text{n.value, n.location};
    }

    /// A string that may also be written as a plain number (version numbers such as 1.29).
    std::optional<model::Text> version_string(NodeId id) {
        const YamlNode& n = node(id);
        if (n.kind != NodeKind::scalar ||
            (!n.quoted && util::resolve_plain(n.value) == util::PlainType::boolean)) {
            wrong_type(id, "a string");
            return std::nullopt;
        }
        return model::Text{n.value, n.location};
    }

    std::optional<bool> boolean(NodeId id) {
        const YamlNode& n = node(id);
        if (n.kind != NodeKind::scalar || n.quoted ||
            util::resolve_plain(n.value) != util::PlainType::boolean) {
            wrong_type(id, "a boolean (true or false)");
            return std::nullopt;
        }
        return n.value[0] == 't' || n.value[0] == 'T';
    }

    std::optional<std::int64_t> integer(NodeId id, std::int64_t min, std::int64_t max) {
        const YamlNode& n = node(id);
        if (n.kind != NodeKind::scalar || n.quoted ||
            util::resolve_plain(n.value) != util::PlainType::integer) {
            wrong_type(id, "an integer");
            return std::nullopt;
        }
        std::string_view text = n.value;
        if (!text.empty() && text[0] == '+') {
            text.remove_prefix(1);
        }
        std::int64_t value = 0;
        int base = 10;
        if (util::starts_with(text, "0x") || util::starts_with(text, "0o")) {
            base = text[1] == 'x' ? 16 : 8;
            text.remove_prefix(2);
        }
        auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
        if (ec != std::errc() || ptr != text.data() + text.size() || value < min || value > max) {
            m_sink.report(
                Code::KM205, where(id),
                max == std::numeric_limits<std::int64_t>::max()
                    ? fmt::format("expected an integer of at least {}, found {}", min, n.value)
                    : fmt::format("expected an integer from {} to {}, found {}", min, max,
                                  n.value));
            return std::nullopt;
        }
        return value;
    }

    std::optional<model::ConfigValue> number(NodeId id, double min) {
        const YamlNode& n = node(id);
        auto type = n.kind == NodeKind::scalar && !n.quoted ? util::resolve_plain(n.value)
                                                            : util::PlainType::string;
        if (type != util::PlainType::integer && type != util::PlainType::floating) {
            wrong_type(id, "a number");
            return std::nullopt;
        }
        double value = std::strtod(n.value.c_str(), nullptr);
        if (!(value >= min)) {
            m_sink.report(Code::KM205, where(id),
                          fmt::format("expected a number of at least {}, found {}", min, n.value));
            return std::nullopt;
        }
        return model::ConfigValue{type == util::PlainType::integer
                                      ? model::ConfigValue::Type::integer
                                      : model::ConfigValue::Type::floating,
                                  n.value, n.location};
    }

    template <class E>
    std::optional<E> enumeration(NodeId id,
                                 const std::vector<std::pair<std::string_view, E>>& values) {
        auto text = string(id);
        if (!text) {
            return std::nullopt;
        }
        for (const auto& [name, value] : values) {
            if (name == text->value) {
                return value;
            }
        }
        std::vector<std::string_view> names;
        std::vector<std::string> quoted;
        for (const auto& [name, value] : values) {
            names.push_back(name);
            quoted.push_back(fmt::format("'{}'", name));
        }
        auto& d = m_sink.report(
            Code::KM204, where(id),
            fmt::format("'{}' is not one of {}", text->value, util::join(quoted, ", ")));
        if (auto match = util::closest_match(text->value, names)) {
            diag::add_help(d, fmt::format("did you mean '{}'?", *match));
        }
        return std::nullopt;
    }

    /// Each item of a sequence; a non-sequence is reported.
    void items(NodeId id, const std::function<void(NodeId)>& on_item) {
        if (node(id).kind == NodeKind::null) {
            return;  // "field:" with nothing after it is an empty list
        }
        if (node(id).kind != NodeKind::sequence) {
            wrong_type(id, "a sequence");
            return;
        }
        for (NodeId item : m_doc.children(id)) {
            on_item(item);
        }
    }

    std::vector<model::Text> strings(NodeId id) {
        std::vector<model::Text> out;
        items(id, [&](NodeId item) {
            if (auto s = string(item)) {
                out.push_back(std::move(*s));
            }
        });
        return out;
    }

    std::vector<model::ConfigEntry> config(NodeId id) {
        std::vector<model::ConfigEntry> out;
        if (node(id).kind == NodeKind::null) {
            return out;
        }
        if (!is_mapping(id)) {
            return out;
        }
        for (std::size_t i = 0; i < m_doc.entry_count(id); ++i) {
            NodeId key = m_doc.key(id, i);
            NodeId value = m_doc.value(id, i);
            auto k = string(key);
            const YamlNode& v = node(value);
            if (!k) {
                continue;
            }
            if (v.kind != NodeKind::scalar) {
                wrong_type(value, "a string, number or boolean");
                continue;
            }
            model::ConfigValue cv{model::ConfigValue::Type::string, v.value, v.location};
            if (!v.quoted) {
                switch (util::resolve_plain(v.value)) {
                    case util::PlainType::boolean:
                        cv.type = model::ConfigValue::Type::boolean;
                        break;
                    case util::PlainType::integer:
                        cv.type = model::ConfigValue::Type::integer;
                        break;
                    case util::PlainType::floating:
                        cv.type = model::ConfigValue::Type::floating;
                        break;
                    default:
                        break;
                }
            }
            out.push_back(model::ConfigEntry{std::move(*k), std::move(cv)});
        }
        return out;
    }

    /// A map of Kubernetes labels: string values, valid keys and values.
    std::vector<model::Label> labels(NodeId id) {
        std::vector<model::Label> out;
        for (model::ConfigEntry& e : config(id)) {
            if (e.value.type != model::ConfigValue::Type::string) {
                m_sink.report(Code::KM202, e.value.location,
                              "expected a string label value; quote it");
                continue;
            }
            if (!is_label_key(e.key.value)) {
                m_sink.report(Code::KM205, e.key.location,
                              fmt::format("'{}' is not a valid Kubernetes label key", e.key.value));
            } else if (!is_label_value(e.value.text)) {
                m_sink.report(
                    Code::KM205, e.value.location,
                    fmt::format("'{}' is not a valid Kubernetes label value", e.value.text));
            }
            out.push_back(
                model::Label{std::move(e.key), model::Text{e.value.text, e.value.location}});
        }
        return out;
    }

    std::optional<model::MtlsMode> mtls_mode(NodeId id) {
        return enumeration<model::MtlsMode>(
            id, {{"strict", model::MtlsMode::strict}, {"permissive", model::MtlsMode::permissive}});
    }

    /// Reports a malformed value and marks it invalid; returns the diagnostic to add help to.
    diag::Diagnostic* check_format(std::optional<model::Text>& text,
                                   bool (*valid)(std::string_view), std::string_view what) {
        if (!text || valid(text->value)) {
            return nullptr;
        }
        text->invalid = true;
        return &m_sink.report(Code::KM205, text->location,
                              fmt::format("'{}' is not {}", text->value, what));
    }

    /// Where the key of the field being visited was written: sections are reported at their key.
    Location key_location() const { return m_key; }

    diag::DiagnosticSink& sink() { return m_sink; }
    const YamlDocument& doc() const { return m_doc; }

  private:
    const YamlDocument& m_doc;
    diag::DiagnosticSink& m_sink;
    Location m_key;
};

constexpr std::string_view k_dns_label =
    "a valid name (lowercase letters, digits and '-', at most 63 characters)";

void set(std::optional<model::Text>&& value, model::Text& out) {
    if (value) {
        out = std::move(*value);
    }
}

/// Where the object at `id` ends: the position of its last descendant.
Location last_position(const YamlDocument& doc, NodeId id) {
    while (doc.node(id).child_count > 0) {
        id = doc.children(id).back();
    }
    return doc.node(id).location;
}

/// `acknowledge: [{code, reason}]` on the object at `object`, a field of `path`.
void parse_acknowledge(Reader& r, NodeId list, NodeId object, std::string_view path,
                       model::Topology& t) {
    std::string item_path = std::string(path) + "/acknowledge/*";
    r.items(list, [&](NodeId item) {
        model::Acknowledgement a;
        a.location = r.where(item);
        a.from = r.where(object);
        a.to = last_position(r.doc(), object);
        bool complete = r.node(item).kind == NodeKind::mapping;
        r.fields(item, item_path, {"code", "reason"}, [&](std::string_view field, NodeId v) {
            set(r.string(v), field == "code" ? a.code : a.reason);
        });
        if (complete && a.code.location.known() && a.reason.location.known()) {
            t.acknowledgements.push_back(std::move(a));
        }
    });
}

void parse_metadata(Reader& r, NodeId id, model::Topology& t) {
    model::Metadata m;
    m.location = r.where(id);
    r.fields(id, "/metadata", {"name"}, [&](std::string_view, NodeId v) {
        auto name = r.string(v);
        r.check_format(name, util::is_dns_label, k_dns_label);
        set(std::move(name), m.name);
    });
    t.metadata = std::move(m);
}

void parse_filters(Reader& r, NodeId id, model::Mesh& mesh) {
    model::Filters f;
    f.location = r.where(id);
    r.fields(id, "/mesh/filters", {}, [&](std::string_view name, NodeId v) {
        if (name == "kafkaMetrics") {
            f.kafka_metrics_location = r.where(v);
            r.fields(v, "/mesh/filters/kafkaMetrics", {"proxyImage"},
                     [&](std::string_view, NodeId image) {
                         f.kafka_metrics_proxy_image = r.string(image);
                     });
        } else if (name == "identity") {
            f.identity_location = r.where(v);
            r.fields(v, "/mesh/filters/identity", {"image"},
                     [&](std::string_view, NodeId image) { f.identity_image = r.string(image); });
        } else if (auto b = r.boolean(v)) {
            f.access_logs = *b;
            f.access_logs_location = r.where(v);
        }
    });
    mesh.filters = std::move(f);
}

void parse_mesh(Reader& r, NodeId id, model::Topology& t) {
    model::Mesh& m = t.mesh;
    t.has_mesh = true;
    m.location = r.where(id);
    r.fields(id, "/mesh", {}, [&](std::string_view name, NodeId v) {
        if (name == "trustDomain") {
            auto td = r.string(v);
            r.check_format(td, util::is_dns_subdomain, "a valid trust domain (a DNS name)");
            set(std::move(td), m.trust_domain);
        } else if (name == "clusterDomain") {
            auto domain = r.string(v);
            r.check_format(domain, util::is_dns_subdomain, "a DNS domain such as cluster.local");
            set(std::move(domain), m.cluster_domain);
        } else if (name == "mtls") {
            m.mtls_location = r.where(v);
            if (auto e = r.mtls_mode(v)) {
                m.mtls = *e;
            }
        } else if (name == "dataplane") {
            m.dataplane_location = r.where(v);
            if (auto e =
                    r.enumeration<model::Dataplane>(v, {{"sidecar", model::Dataplane::sidecar},
                                                        {"ambient", model::Dataplane::ambient}})) {
                m.dataplane = *e;
            }
        } else if (name == "istioVersion") {
            auto version = r.version_string(v);
            if (version && !is_istio_version(version->value) &&
                std::count(version->value.begin(), version->value.end(), '.') == 2 &&
                is_istio_version(version->value.substr(0, version->value.rfind('.')))) {
                // What `istioctl version` prints: a patch release, where a minor is expected.
                version->invalid = true;
                std::string minor = version->value.substr(0, version->value.rfind('.'));
                auto& d = r.sink().report(
                    Code::KM205, version->location,
                    fmt::format("'{}' is a patch release; istioVersion is the minor version",
                                version->value));
                diag::add_help(d, fmt::format("write the minor version, '{}'", minor));
            } else {
                r.check_format(version, is_istio_version,
                               "an Istio minor version such as \"1.29\"");
            }
            set(std::move(version), m.istio_version);
        } else if (name == "idleTimeout") {
            auto timeout = r.string(v);
            r.check_format(timeout, is_duration, "a duration such as 1h or 90m");
            set(std::move(timeout), m.idle_timeout);
        } else if (name == "defaultDeny") {
            m.default_deny_location = r.where(v);
            if (auto b = r.boolean(v)) {
                m.default_deny = *b;
            }
        } else if (name == "revision") {
            // An empty revision is the default revision: istio-injection: enabled.
            auto revision = r.string(v);
            if (revision && !revision->empty()) {
                r.check_format(revision, util::is_dns_label,
                               "a valid Istio revision (a DNS-1123 label such as 1-29 or stable)");
                m.revision = std::move(revision);
            }
        } else if (name == "rootNamespace") {
            auto text = r.string(v);
            r.check_format(text, util::is_dns_label, k_dns_label);
            set(std::move(text), m.root_namespace);
        } else if (name == "enforcement") {
            m.enforcement_location = r.where(v);
            if (auto e = r.enumeration<model::Enforcement>(
                    v, {{"enforce", model::Enforcement::enforce},
                        {"dry-run", model::Enforcement::dry_run}})) {
                m.enforcement = *e;
            }
        } else if (name == "nativeSidecars") {
            m.native_sidecars_location = r.where(v);
            if (auto b = r.boolean(v)) {
                m.native_sidecars = *b;
            }
        } else if (name == "filters") {
            parse_filters(r, v, m);
        } else if (name == "acknowledge") {
            parse_acknowledge(r, v, id, "/mesh", t);
        }
    });
}

void parse_kafka(Reader& r, NodeId id, model::Topology& t) {
    model::Kafka k;
    k.location = r.where(id);
    r.fields(id, "/kafka", {"name", "namespace"}, [&](std::string_view name, NodeId v) {
        if (name == "name" || name == "namespace") {
            auto text = r.string(v);
            r.check_format(text, util::is_dns_label, k_dns_label);
            set(std::move(text), name == "name" ? k.name : k.ns);
        } else if (name == "distribution") {
            k.distribution_location = r.where(v);
            if (auto e = r.enumeration<model::Distribution>(
                    v, {{"strimzi", model::Distribution::strimzi},
                        {"bitnami", model::Distribution::bitnami}})) {
                k.distribution = *e;
            }
        } else if (name == "managed") {
            k.managed_location = r.where(v);
            if (auto b = r.boolean(v)) {
                k.managed = *b;
            }
        } else if (name == "version") {
            k.version_location = r.where(v);
            auto version = r.version_string(v);
            if (auto* d = r.check_format(version, is_kafka_version,
                                         "a Kafka version such as \"4.3.1\"")) {
                diag::add_help(*d,
                               "write the full release, major.minor.patch, for example "
                               "'4.3.1'");
            }
            set(std::move(version), k.version);
        } else if (name == "nodes") {
            k.nodes_location = r.where(v);
            if (auto n = r.integer(v, 1, 1000)) {
                k.nodes = static_cast<int>(*n);
            }
        } else if (name == "storage") {
            k.storage_location = r.key_location();
            r.fields(v, "/kafka/storage", {"size"}, [&](std::string_view field, NodeId sv) {
                auto text = r.string(sv);
                if (field == "size") {
                    r.check_format(text, is_quantity, "a storage size such as 10Gi");
                    set(std::move(text), k.storage.size);
                } else {
                    r.check_format(text, util::is_dns_subdomain, "a valid storage class name");
                    k.storage.storage_class = std::move(text);
                }
            });
        } else if (name == "authentication") {
            k.authentication_location = r.where(v);
            if (auto e = r.enumeration<model::Authentication>(
                    v, {{"scram-sha-512", model::Authentication::scram_sha_512},
                        {"tls", model::Authentication::tls},
                        {"mesh", model::Authentication::mesh}})) {
                k.authentication = *e;
            }
        } else if (name == "listenerPort") {
            k.listener_port_location = r.where(v);
            if (auto n = r.integer(v, 1, 65535)) {
                k.listener_port = static_cast<int>(*n);
            }
        } else if (name == "listenerName") {
            // Strimzi's listener name pattern (Kafka CRD, spec.kafka.listeners[].name).
            auto text = r.string(v);
            r.check_format(text, is_listener_name,
                           "a valid listener name (at most 11 lowercase letters and digits)");
            k.listener_name = std::move(text);
        } else if (name == "superUsers") {
            k.super_users_location = r.key_location();
            k.super_users = r.strings(v);
        } else if (name == "config") {
            k.config_location = r.key_location();
            k.config = r.config(v);
        } else if (name == "brokerPods") {
            model::BrokerPods pods;
            pods.location = r.key_location();
            r.fields(v, "/kafka/brokerPods", {}, [&](std::string_view field, NodeId pv) {
                if (field == "labels") {
                    pods.labels = r.labels(pv);
                } else {
                    auto text = r.string(pv);
                    r.check_format(text, util::is_dns_subdomain, "a valid service account name");
                    pods.service_account = std::move(text);
                }
            });
            k.broker_pods = std::move(pods);
        } else if (name == "acknowledge") {
            parse_acknowledge(r, v, id, "/kafka", t);
        } else if (name == "strimzi") {
            model::StrimziOptions s;
            s.location = r.key_location();
            r.fields(v, "/kafka/strimzi", {}, [&](std::string_view field, NodeId sv) {
                if (field == "api") {
                    if (auto e = r.enumeration<model::StrimziApi>(
                            sv, {{"v1", model::StrimziApi::v1},
                                 {"v1beta2", model::StrimziApi::v1beta2}})) {
                        s.api = *e;
                    }
                } else if (field == "operatorNamespace") {
                    auto text = r.string(sv);
                    r.check_format(text, util::is_dns_label, k_dns_label);
                    set(std::move(text), s.operator_namespace);
                } else if (auto b = r.boolean(sv)) {
                    (field == "operatorInMesh" ? s.operator_in_mesh : s.access_operator) = *b;
                }
            });
            k.strimzi = std::move(s);
        } else if (name == "bitnami") {
            model::BitnamiOptions b;
            b.location = r.key_location();
            r.fields(v, "/kafka/bitnami", {}, [&](std::string_view field, NodeId bv) {
                if (field == "chart") {
                    if (auto n = r.integer(bv, 32, 32)) {
                        b.chart = static_cast<int>(*n);
                    }
                } else if (field == "release") {
                    auto text = r.string(bv);
                    r.check_format(text, util::is_dns_label, k_dns_label);
                    set(std::move(text), b.release);
                } else if (field == "existingSecret") {
                    auto text = r.string(bv);
                    r.check_format(text, util::is_dns_subdomain, "a valid Secret name");
                    b.existing_secret = std::move(text);
                } else if (field == "bootstrap") {
                    auto text = r.string(bv);
                    r.check_format(text, is_bootstrap,
                                   "host:port of the client listener, e.g. 'kafka.kafka:9092'");
                    b.bootstrap = std::move(text);
                } else if (field == "admin") {
                    b.admin_location = r.key_location();
                    r.fields(bv, "/kafka/bitnami/admin", {}, [&](std::string_view f, NodeId av) {
                        if (f == "mechanism") {
                            if (auto e = r.enumeration<bool>(
                                    av, {{"plain", false}, {"scram-sha-512", true}})) {
                                b.admin_scram = *e;
                            }
                            return;
                        }
                        auto text = r.string(av);
                        if (f == "key") {
                            r.check_format(text, is_secret_key, "a Secret key");
                        } else {
                            r.check_format(text, util::is_dns_subdomain,
                                           f == "user" ? "a Kafka user name" : "a Secret name");
                        }
                        (f == "user"     ? b.admin_user
                         : f == "secret" ? b.admin_secret
                                         : b.admin_key) = std::move(text);
                    });
                } else {
                    // Image references are checked with the other destinations (KM534), the
                    // pattern where it is read (check_bitnami).
                    (field == "image"           ? b.image
                     : field == "operatorImage" ? b.operator_image
                                                : b.ignored_users) = r.string(bv);
                }
            });
            k.bitnami = std::move(b);
        }
    });
    t.kafka = std::move(k);
}

void parse_namespace(Reader& r, NodeId id, model::Topology& t) {
    model::Namespace ns;
    ns.location = r.where(id);
    r.fields(id, "/namespaces/*", {"name"}, [&](std::string_view name, NodeId v) {
        if (name == "name") {
            auto text = r.string(v);
            r.check_format(text, util::is_dns_label, k_dns_label);
            set(std::move(text), ns.name);
        } else if (name == "labels") {
            ns.labels = r.labels(v);
        } else if (name == "managed") {
            ns.managed_location = r.where(v);
            if (auto b = r.boolean(v)) {
                ns.managed = *b;
            }
        } else if (name == "mtls") {
            ns.mtls_location = r.where(v);
            ns.mtls = r.mtls_mode(v);
        } else if (name == "acknowledge") {
            parse_acknowledge(r, v, id, "/namespaces/*", t);
        } else if (name == "limitEgress") {
            ns.limit_egress_location = r.where(v);
            if (auto b = r.boolean(v)) {
                ns.limit_egress = *b;
            }
        } else if (auto b = r.boolean(v)) {
            ns.default_deny = *b;
        }
    });
    t.namespaces.push_back(std::move(ns));
}

void parse_quotas(Reader& r, NodeId id, model::Service& s) {
    model::Quotas q;
    q.location = r.key_location();
    r.fields(id, "/services/*/quotas", {}, [&](std::string_view name, NodeId v) {
        if (name == "controllerMutationRate") {
            q.controller_mutation_rate = r.number(v, 0);
            return;
        }
        auto n = r.integer(v, 0, std::numeric_limits<std::int32_t>::max());
        (name == "producerByteRate"   ? q.producer_byte_rate
         : name == "consumerByteRate" ? q.consumer_byte_rate
                                      : q.request_percentage) = n;
    });
    s.quotas = std::move(q);
}

void parse_connect(Reader& r, NodeId id, model::Service& s) {
    model::ConnectOptions c;
    c.location = r.key_location();
    r.fields(id, "/services/*/connect", {}, [&](std::string_view name, NodeId v) {
        if (name == "groupId") {
            c.group_id = r.string(v);
        } else if (name == "storageTopics") {
            r.fields(v, "/services/*/connect/storageTopics", {},
                     [&](std::string_view field, NodeId tv) {
                         auto text = r.string(tv);
                         r.check_format(text, is_topic_name, "a valid Kafka topic name");
                         (field == "configs"   ? c.configs_topic
                          : field == "offsets" ? c.offsets_topic
                                               : c.status_topic) = std::move(text);
                     });
        } else if (name == "connectors") {
            r.items(v, [&](NodeId item) {
                model::Connector connector;
                connector.location = r.where(item);
                r.fields(item, "/services/*/connect/connectors/*", {"name"},
                         [&](std::string_view field, NodeId cv) {
                             if (field == "name") {
                                 set(r.string(cv), connector.name);
                             } else {
                                 (field == "consumes" ? connector.consumes : connector.produces) =
                                     r.strings(cv);
                             }
                         });
                c.connectors.push_back(std::move(connector));
            });
        }
    });
    s.connect = std::move(c);
}

void parse_service(Reader& r, NodeId id, model::Topology& t) {
    model::Service s;
    s.location = r.where(id);
    r.fields(id, "/services/*", {"name", "namespace"}, [&](std::string_view name, NodeId v) {
        if (name == "name" || name == "namespace") {
            auto text = r.string(v);
            r.check_format(text, util::is_dns_label, k_dns_label);
            set(std::move(text), name == "name" ? s.name : s.ns);
        } else if (name == "serviceAccount") {
            s.service_account = r.string(v);
            r.check_format(s.service_account, util::is_dns_subdomain,
                           "a valid service account name");
        } else if (name == "user") {
            s.user = r.string(v);
        } else if (name == "kind") {
            s.kind_location = r.where(v);
            if (auto e = r.enumeration<model::ServiceKind>(
                    v, {{"app", model::ServiceKind::app},
                        {"streams", model::ServiceKind::streams},
                        {"connect", model::ServiceKind::connect}})) {
                s.kind = *e;
            } else {
                s.kind_invalid = true;
            }
        } else if (name == "produces") {
            s.produces = r.strings(v);
        } else if (name == "consumes") {
            s.consumes.reserve(r.node(v).child_count);
            r.items(v, [&](NodeId item) {
                model::Consume c;
                c.location = r.where(item);
                if (r.node(item).kind == NodeKind::mapping) {
                    r.fields(item, "/services/*/consumes/*", {"topic"},
                             [&](std::string_view field, NodeId cv) {
                                 if (field == "topic") {
                                     set(r.string(cv), c.topic);
                                 } else {
                                     c.group = r.string(cv);
                                 }
                             });
                } else if (auto topic = r.string(item)) {
                    c.topic = std::move(*topic);
                } else {
                    return;
                }
                s.consumes.push_back(std::move(c));
            });
        } else if (name == "transactionalId") {
            s.transactional_id = r.string(v);
        } else if (name == "roles") {
            s.roles = r.strings(v);
        } else if (name == "quotas") {
            parse_quotas(r, v, s);
        } else if (name == "applicationId") {
            s.application_id = r.string(v);
        } else if (name == "exactlyOnce") {
            s.exactly_once_location = r.where(v);
            s.exactly_once = r.boolean(v);
        } else if (name == "connect") {
            parse_connect(r, v, s);
        } else if (name == "authentication") {
            s.authentication_location = r.where(v);
            s.authentication = r.enumeration<model::Authentication>(
                v, {{"scram-sha-512", model::Authentication::scram_sha_512},
                    {"tls", model::Authentication::tls}});
        } else if (name == "password") {
            s.password_location = r.where(v);
            r.fields(v, "/services/*/password", {"secret"}, [&](std::string_view field, NodeId pv) {
                auto text = r.string(pv);
                if (field == "secret") {
                    r.check_format(text, util::is_dns_subdomain, "a valid Secret name");
                    s.password_secret = std::move(text);
                } else {
                    s.password_key = std::move(text);
                }
            });
        } else if (name == "acknowledge") {
            parse_acknowledge(r, v, id, "/services/*", t);
        }
    });
    t.services.push_back(std::move(s));
}

void parse_topic(Reader& r, NodeId id, model::Topology& t) {
    model::Topic topic;
    topic.location = r.where(id);
    r.fields(id, "/topics/*", {"name"}, [&](std::string_view name, NodeId v) {
        if (name == "name") {
            auto text = r.string(v);
            r.check_format(text, is_topic_name,
                           "a valid Kafka topic name (letters, digits, '.', '_' and '-', 1 to 249 "
                           "characters, not "
                           "'.' or '..')");
            set(std::move(text), topic.name);
        } else if (name == "partitions" || name == "replicas") {
            auto n = r.integer(v, 1, 32767);
            if (name == "partitions") {
                topic.partitions_location = r.where(v);
                if (n) {
                    topic.partitions = static_cast<int>(*n);
                }
            } else {
                topic.replicas_location = r.where(v);
                if (n) {
                    topic.replicas = static_cast<int>(*n);
                }
            }
        } else if (name == "config") {
            topic.config = r.config(v);
        } else if (name == "resourceName") {
            topic.resource_name = r.string(v);
            r.check_format(topic.resource_name, util::is_dns_subdomain,
                           "a valid Kubernetes resource name");
        } else if (name == "acknowledge") {
            parse_acknowledge(r, v, id, "/topics/*", t);
        } else if (auto b = r.boolean(v)) {
            topic.external = *b;
        }
    });
    t.topics.push_back(std::move(topic));
}

void parse_grant(Reader& r, NodeId id, model::Role& role) {
    model::Grant g;
    g.location = r.where(id);
    std::vector<std::string_view> selectors;
    r.fields(id, "/roles/*/grants/*", {"operations"}, [&](std::string_view name, NodeId v) {
        if (name == "operations") {
            g.operations = r.strings(v);
        } else if (name == "effect") {
            if (auto e = r.enumeration<model::Effect>(
                    v, {{"allow", model::Effect::allow}, {"deny", model::Effect::deny}})) {
                g.effect = *e;
            }
        } else {
            selectors.push_back(name);
            if (name == "cluster") {
                g.resource = model::GrantResource::cluster;
                if (auto b = r.boolean(v); b && !*b) {
                    r.sink().report(Code::KM205, r.where(v),
                                    "'cluster' can only be true; leave it out instead");
                }
            } else {
                g.resource = name == "topics"   ? model::GrantResource::topic
                             : name == "groups" ? model::GrantResource::group
                                                : model::GrantResource::transactional_id;
                g.names = r.strings(v);
                if (r.node(v).kind == NodeKind::sequence && r.node(v).child_count == 0) {
                    r.sink().report(Code::KM205, r.where(v),
                                    fmt::format("'{}' lists nothing", name));
                }
            }
        }
    });
    if (selectors.size() != 1 && r.node(id).kind == NodeKind::mapping) {
        auto& d = r.sink().report(
            Code::KM203, g.location,
            selectors.empty()
                ? std::string(
                      "a grant needs one of 'topics', 'groups', 'transactionalIds' or 'cluster'")
                : fmt::format("a grant names one kind of resource, found {}",
                              fmt::format("'{}' and '{}'", selectors[0], selectors[1])));
        diag::add_help(d, "split it into one grant per kind of resource");
        return;
    }
    role.grants.push_back(std::move(g));
}

void parse_role(Reader& r, NodeId id, model::Topology& t) {
    model::Role role;
    role.location = r.where(id);
    r.fields(id, "/roles/*", {"name", "grants"}, [&](std::string_view name, NodeId v) {
        if (name == "name") {
            set(r.string(v), role.name);
        } else if (name == "acknowledge") {
            parse_acknowledge(r, v, id, "/roles/*", t);
        } else {
            r.items(v, [&](NodeId item) { parse_grant(r, item, role); });
        }
    });
    t.roles.push_back(std::move(role));
}

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

}  // namespace

std::optional<model::Environment> parse_environments(const std::vector<YamlDocument>& documents,
                                                     std::string_view selected,
                                                     diag::DiagnosticSink& sink) {
    Sections sections = find_sections(documents);
    std::optional<model::Environment> chosen;
    std::vector<std::string_view> names;
    Location declared_at;
    for (const YamlDocument& doc : documents) {
        int entry = root_entry(doc, "environments");
        if (entry < 0) {
            continue;
        }
        NodeId key = doc.key(doc.root, static_cast<std::size_t>(entry));
        NodeId value = doc.value(doc.root, static_cast<std::size_t>(entry));
        Reader r(doc, sink);
        // The environments describe the platform, so they live with it; a team's file that
        // resized the cluster would change every other team's topics.
        if (declared_at.known() || (sections.metadata && sections.metadata != &doc)) {
            auto& d = sink.report(Code::KM362, r.where(key),
                                  "'environments' must be in the file that holds 'metadata'");
            if (sections.metadata) {
                diag::add_note(d, sections.metadata->node(sections.metadata_key).location,
                               "'metadata' is declared here");
            }
            diag::add_help(d, "move the environments next to 'metadata', 'mesh' and 'kafka'");
            continue;
        }
        declared_at = r.where(key);
        if (r.node(value).kind == NodeKind::null || !r.is_mapping(value)) {
            continue;
        }
        // Each environment is checked on a copy of the mesh and kafka sections: a bound on their
        // number keeps a hostile file from multiplying a large kafka.config.
        std::size_t count = doc.entry_count(value);
        if (count > k_max_environments) {
            NodeId extra = doc.key(value, k_max_environments);
            auto& d = sink.report(
                Code::KM364, r.where(extra),
                fmt::format("{} environments; the limit is {}", count, k_max_environments));
            diag::add_help(d,
                           "an environment is a cluster the topology is deployed to; keep "
                           "one topology per group of similar clusters");
            count = k_max_environments;
        }
        for (std::size_t i = 0; i < count; ++i) {
            NodeId env_key = doc.key(value, i);
            Overrides o = read_overrides(r, env_key, doc.value(value, i));
            if (o.environment.name.empty()) {
                continue;
            }
            names.push_back(doc.node(env_key).value);
            // The overrides laid over the sections as written, parsed like them: each mistake
            // is reported once, at the override, whichever environment is selected.
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
            const model::TopicLimits& limits = o.environment.topic_limits;
            if (limits.replicas && t.kafka && *limits.replicas > t.kafka->nodes) {
                auto& d = sink.report(
                    Code::KM363, limits.replicas_location,
                    fmt::format("environment '{}' caps topics at {} replicas, but its cluster has "
                                "{} node{}",
                                o.environment.name.value, *limits.replicas, t.kafka->nodes,
                                t.kafka->nodes == 1 ? "" : "s"));
                if (t.kafka->nodes_location.known()) {
                    diag::add_note(d, t.kafka->nodes_location, "the node count is set here");
                }
                diag::add_help(d, fmt::format("cap replicas at {} or fewer", t.kafka->nodes));
            }
            if (doc.node(env_key).value != selected) {
                continue;
            }
            if (o.mesh != source::no_node) {
                o.environment.mesh = std::move(t.mesh);
            }
            if (o.kafka != source::no_node && t.kafka) {
                o.environment.kafka = std::move(t.kafka);
            }
            chosen = std::move(o.environment);
        }
    }
    if (selected.empty() || chosen) {
        return chosen;
    }
    // Without environments, the file that holds metadata is named: diff reads two topologies.
    if (!declared_at.known() && sections.metadata) {
        declared_at = Location{sections.metadata->file, 0, 0, 0};
    }
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
        return std::nullopt;
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
    return std::nullopt;
}

const std::vector<ObjectFields>& object_fields() {
    return k_fields;
}

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
