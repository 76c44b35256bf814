#include "parse/reader.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <limits>

#include "parse/field_table.h"
#include "parse/value_formats.h"

namespace km::parse {

using diag::Code;
using diag::Location;
using source::NodeId;
using source::NodeKind;
using source::YamlDocument;
using source::YamlNode;

void Reader::wrong_type(NodeId id, std::string_view expected) {
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
    auto& d = m_sink.report(Code::KM202, at, fmt::format("expected {}, found {}", expected, found));
    if (expected == "a string" && found != "a string" && n.kind == NodeKind::scalar) {
        diag::add_help(d, fmt::format("quote it to make it a string: \"{}\"", n.value));
    }
}

bool Reader::is_mapping(NodeId id) {
    if (node(id).kind != NodeKind::mapping) {
        wrong_type(id, "a mapping");
        return false;
    }
    return true;
}

void Reader::fields(NodeId map, std::string_view path,
                    const std::vector<std::string_view>& required,
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
            m_sink.report(
                Code::KM202, where(key),
                "expected a field name, found " + std::string(source::kind_name(node(key).kind)));
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

std::vector<bool> Reader::misplaced_fields(NodeId map, std::string_view path,
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

void Reader::unknown_field(NodeId key, std::string_view path,
                           const std::vector<std::string>& known) {
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

std::optional<model::Text> Reader::string(NodeId id) {
    const YamlNode& n = node(id);
    if (n.kind != NodeKind::scalar ||
        (!n.quoted && util::resolve_plain(n.value) != util::PlainType::string)) {
        wrong_type(id, "a string");
        return std::nullopt;
    }
    return model::Text{n.value, n.location};
}

std::optional<model::Text> Reader::version_string(NodeId id) {
    const YamlNode& n = node(id);
    if (n.kind != NodeKind::scalar ||
        (!n.quoted && util::resolve_plain(n.value) == util::PlainType::boolean)) {
        wrong_type(id, "a string");
        return std::nullopt;
    }
    return model::Text{n.value, n.location};
}

std::optional<bool> Reader::boolean(NodeId id) {
    const YamlNode& n = node(id);
    if (n.kind != NodeKind::scalar || n.quoted ||
        util::resolve_plain(n.value) != util::PlainType::boolean) {
        wrong_type(id, "a boolean (true or false)");
        return std::nullopt;
    }
    return n.value[0] == 't' || n.value[0] == 'T';
}

std::optional<std::int64_t> Reader::integer(NodeId id, std::int64_t min, std::int64_t max) {
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
                : fmt::format("expected an integer from {} to {}, found {}", min, max, n.value));
        return std::nullopt;
    }
    return value;
}

std::optional<model::ConfigValue> Reader::number(NodeId id, double min) {
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
    return model::ConfigValue{type == util::PlainType::integer ? model::ConfigValue::Type::integer
                                                               : model::ConfigValue::Type::floating,
                              n.value, n.location};
}

void Reader::items(NodeId id, const std::function<void(NodeId)>& on_item) {
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

std::vector<model::Text> Reader::strings(NodeId id) {
    std::vector<model::Text> out;
    items(id, [&](NodeId item) {
        if (auto s = string(item)) {
            out.push_back(std::move(*s));
        }
    });
    return out;
}

std::vector<model::ConfigEntry> Reader::config(NodeId id) {
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

std::vector<model::Label> Reader::labels(NodeId id) {
    std::vector<model::Label> out;
    for (model::ConfigEntry& e : config(id)) {
        if (e.value.type != model::ConfigValue::Type::string) {
            m_sink.report(Code::KM202, e.value.location, "expected a string label value; quote it");
            continue;
        }
        if (!is_label_key(e.key.value)) {
            m_sink.report(Code::KM205, e.key.location,
                          fmt::format("'{}' is not a valid Kubernetes label key", e.key.value));
        } else if (!is_label_value(e.value.text)) {
            m_sink.report(Code::KM205, e.value.location,
                          fmt::format("'{}' is not a valid Kubernetes label value", e.value.text));
        }
        out.push_back(model::Label{std::move(e.key), model::Text{e.value.text, e.value.location}});
    }
    return out;
}

std::optional<model::MtlsMode> Reader::mtls_mode(NodeId id) {
    return enumeration<model::MtlsMode>(
        id, {{"strict", model::MtlsMode::strict}, {"permissive", model::MtlsMode::permissive}});
}

diag::Diagnostic* Reader::check_format(model::Text* text, bool (*valid)(std::string_view),
                                       std::string_view what) {
    if (!text || valid(text->value)) {
        return nullptr;
    }
    text->invalid = true;
    return &m_sink.report(Code::KM205, text->location,
                          fmt::format("'{}' is not {}", text->value, what));
}

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

}  // namespace km::parse
