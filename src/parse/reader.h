// Reads typed values out of one YAML document for the section parsers: every mismatch is
// reported (KM201-KM205) and reading carries on.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "diag/diagnostic_sink.h"
#include "model/topology.h"
#include "source/yaml_tree.h"
#include "util/strings.h"

namespace km::parse {

/// Reads typed values out of one document, reporting every mismatch and carrying on.
class Reader {
  public:
    Reader(const source::YamlDocument& doc, diag::DiagnosticSink& sink)
        : m_doc(doc), m_sink(sink) {}

    const source::YamlNode& node(source::NodeId id) const { return m_doc.node(id); }
    diag::Location where(source::NodeId id) const { return m_doc.node(id).location; }

    void wrong_type(source::NodeId id, std::string_view expected);

    bool is_mapping(source::NodeId id);

    /// Calls `on_field(name, value)` for each known key of a mapping at `path`; reports unknown
    /// keys with a did-you-mean and missing `required` keys at the mapping.
    void fields(source::NodeId map, std::string_view path,
                const std::vector<std::string_view>& required,
                const std::function<void(std::string_view, source::NodeId)>& on_field);

    /// "quotas:" followed by its fields at the indentation of "quotas" itself: YAML reads an
    /// empty 'quotas' and unknown sibling fields. Reported once, at the empty field, with the
    /// indentation to fix; the returned flags mark the sibling fields already covered.
    std::vector<bool> misplaced_fields(source::NodeId map, std::string_view path,
                                       const std::vector<std::string>& known);

    void unknown_field(source::NodeId key, std::string_view path,
                       const std::vector<std::string>& known);

    std::optional<model::Text> string(source::NodeId id);

    /// A string that may also be written as a plain number (version numbers such as 1.29).
    std::optional<model::Text> version_string(source::NodeId id);

    std::optional<bool> boolean(source::NodeId id);

    std::optional<std::int64_t> integer(source::NodeId id, std::int64_t min, std::int64_t max);

    std::optional<model::ConfigValue> number(source::NodeId id, double min);

    template <class E>
    std::optional<E> enumeration(source::NodeId id,
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
            diag::Code::KM204, where(id),
            fmt::format("'{}' is not one of {}", text->value, util::join(quoted, ", ")));
        if (auto match = util::closest_match(text->value, names)) {
            diag::add_help(d, fmt::format("did you mean '{}'?", *match));
        }
        return std::nullopt;
    }

    /// Each item of a sequence; a non-sequence is reported.
    void items(source::NodeId id, const std::function<void(source::NodeId)>& on_item);

    std::vector<model::Text> strings(source::NodeId id);

    std::vector<model::ConfigEntry> config(source::NodeId id);

    /// A map of Kubernetes labels: string values, valid keys and values.
    std::vector<model::Label> labels(source::NodeId id);

    std::optional<model::MtlsMode> mtls_mode(source::NodeId id);

    /// Reports a malformed value and marks it invalid; returns the diagnostic to add help to.
    diag::Diagnostic* check_format(model::Text* text, bool (*valid)(std::string_view),
                                   std::string_view what);
    diag::Diagnostic* check_format(std::optional<model::Text>& text,
                                   bool (*valid)(std::string_view), std::string_view what) {
        return check_format(text ? &*text : nullptr, valid, what);
    }
    diag::Diagnostic* check_format(util::Boxed<model::Text>& text, bool (*valid)(std::string_view),
                                   std::string_view what) {
        return check_format(text ? &*text : nullptr, valid, what);
    }

    /// Where the key of the field being visited was written: sections are reported at their key.
    diag::Location key_location() const { return m_key; }

    diag::DiagnosticSink& sink() { return m_sink; }
    const source::YamlDocument& doc() const { return m_doc; }

  private:
    const source::YamlDocument& m_doc;
    diag::DiagnosticSink& m_sink;
    diag::Location m_key;
};

inline constexpr std::string_view k_dns_label =
    "a valid name (lowercase letters, digits and '-', at most 63 characters)";

/// Moves a value that was read into its field; a value that could not be read leaves it as is.
void set(std::optional<model::Text>&& value, model::Text& out);

/// Where the object at `id` ends: the position of its last descendant.
diag::Location last_position(const source::YamlDocument& doc, source::NodeId id);

/// `acknowledge: [{code, reason}]` on the object at `object`, a field of `path`.
void parse_acknowledge(Reader& r, source::NodeId list, source::NodeId object, std::string_view path,
                       model::Topology& t);

}  // namespace km::parse
