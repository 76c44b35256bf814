#include "diag/render.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "diag/builtin_help.h"

namespace km::diag {
namespace {

// Columns count bytes; a tab in the quoted line is kept so the caret lines up under it.
std::string caret_line(std::string_view line, std::uint32_t column, std::uint32_t length) {
    std::string out;
    for (std::uint32_t i = 1; i < column && i - 1 < line.size(); ++i) {
        out += line[i - 1] == '\t' ? '\t' : ' ';
    }
    out += '^';
    for (std::uint32_t i = 1; i < length; ++i) {
        out += '~';
    }
    return out;
}

/// A note as one line, its position in parentheses, as in the text form.
std::string note_line(const Note& n, const SourceLines& sources) {
    std::string kind = n.kind == Note::Kind::help ? "help" : "note";
    std::string where = format_location(n.location, sources);
    return where.empty() ? fmt::format("{}: {}", kind, n.message)
                         : fmt::format("{}: {} ({})", kind, n.message, where);
}

/// The message and its notes, one per line: what an annotation or a SARIF result says.
std::string full_message(const Diagnostic& d, const SourceLines& sources) {
    std::string text = d.message;
    for (const Note& n : d.notes) {
        // Appended in two steps: `"\n" + note_line(...)` inserts at the front of a temporary,
        // which g++ 12 at -O3 reports as an overlapping memcpy (-Wrestrict), a false positive
        // (GCC bug 105651); appending is also one copy fewer.
        text += '\n';
        text += note_line(n, sources);
    }
    return text;
}

// GitHub's toolkit (@actions/core, escapeData and escapeProperty) escapes exactly these.
std::string github_escape(std::string_view text, bool property) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '%':
                out += "%25";
                break;
            case '\r':
                out += "%0D";
                break;
            case '\n':
                out += "%0A";
                break;
            case ':':
                out += property ? "%3A" : ":";
                break;
            case ',':
                out += property ? "%2C" : ",";
                break;
            default:
                out += c;
        }
    }
    return out;
}

/// A relative URI reference for a relative path, a file:// URI for an absolute one (RFC 3986:
/// everything but unreserved characters and '/' is percent-encoded).
std::string path_uri(std::string_view path) {
    std::string out = !path.empty() && path.front() == '/' ? "file://" : "";
    for (unsigned char c : path) {
        bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (alnum || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
            out += static_cast<char>(c);
        } else {
            out += fmt::format("%{:02X}", c);
        }
    }
    return out;
}

/// Our columns count bytes; SARIF's unicodeCodePoints columns count UTF-8 sequences.
std::uint32_t code_point_column(std::string_view line, std::uint32_t byte_column) {
    std::uint32_t column = 1;
    for (std::uint32_t i = 0; i + 1 < byte_column && i < line.size(); ++i) {
        column += (static_cast<unsigned char>(line[i]) & 0xC0) != 0x80;
    }
    return column + (byte_column - 1 > line.size() ? byte_column - 1 - line.size() : 0);
}

/// The first paragraph after the heading of a help file: the rule's full description.
std::string first_paragraph(std::string_view help) {
    std::size_t start = help.find("\n\n");
    if (start == std::string_view::npos) {
        return {};
    }
    start += 2;
    std::size_t end = help.find("\n\n", start);
    std::string out(help.substr(start, end == std::string_view::npos ? end : end - start));
    std::replace(out.begin(), out.end(), '\n', ' ');
    return out;
}

/// "UnknownTopic" from "unknown_topic": SARIF's rule name is a readable identifier.
std::string rule_name(std::string_view snake) {
    std::string out;
    bool upper = true;
    for (char c : snake) {
        if (c == '_') {
            upper = true;
            continue;
        }
        out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
        upper = false;
    }
    return out;
}

/// Replaces what a terminal would act on rather than show (control characters, escape
/// sequences, bidirectional overrides) byte for byte with '?', so carets still line up.
std::string printable(std::string_view text, bool keep_tabs) {
    std::string out(text);
    for (std::size_t i = 0; i < out.size(); ++i) {
        auto c = static_cast<unsigned char>(out[i]);
        if ((c < 0x20 && !(keep_tabs && c == '\t')) || c == 0x7F) {
            out[i] = '?';
        } else if (c == 0xC2 && i + 1 < out.size() &&
                   static_cast<unsigned char>(out[i + 1]) < 0xA0) {
            out[i] = out[i + 1] = '?';  // C1 controls, U+0080-U+009F
        } else if (c == 0xE2 && i + 2 < out.size() && out[i + 1] == '\x80' &&
                   ((static_cast<unsigned char>(out[i + 2]) >= 0x8B &&
                     static_cast<unsigned char>(out[i + 2]) <= 0x8F) ||
                    (static_cast<unsigned char>(out[i + 2]) >= 0xAA &&
                     static_cast<unsigned char>(out[i + 2]) <= 0xAE))) {
            out[i] = out[i + 1] = out[i + 2] = '?';  // U+200B-U+200F, U+202A-U+202E
        } else if (c == 0xE2 && i + 2 < out.size() && out[i + 1] == '\x81' &&
                   static_cast<unsigned char>(out[i + 2]) >= 0xA0 &&
                   static_cast<unsigned char>(out[i + 2]) <= 0xA9) {
            out[i] = out[i + 1] = out[i + 2] = '?';  // U+2060-U+2069
        } else if (c >= 0x80) {
            std::size_t length = c >= 0xF0 && c < 0xF5 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
            std::size_t k = 1;
            while (length != 0 && k < length && i + k < out.size() &&
                   (static_cast<unsigned char>(out[i + k]) & 0xC0) == 0x80) {
                ++k;
            }
            if (length == 0 || k < length || c >= 0xF5) {
                out[i] = '?';  // not UTF-8: a terminal would show it as anything
            } else {
                i += length - 1;
            }
        }
    }
    return out;
}

// A quoted line longer than this is cut to a window around the column.
constexpr std::size_t k_max_quoted = 160;

}  // namespace

std::string format_location(const Location& location, const SourceLines& sources) {
    if (!location.known() || location.file >= sources.size()) {
        return {};
    }
    std::string_view path = sources.path(location.file);
    if (location.line == 0) {
        return std::string(path);
    }
    return fmt::format("{}:{}:{}", path, location.line, location.column);
}

std::string render_text(const std::vector<Diagnostic>& diagnostics, const SourceLines& sources,
                        const RenderOptions& options) {
    std::string out;
    std::size_t errors = 0;
    std::size_t warnings = 0;
    std::size_t shown = 0;
    for (const Diagnostic& d : diagnostics) {
        errors += d.severity == Severity::error;
        warnings += d.severity == Severity::warning;
        if (options.max_diagnostics != 0 && shown == options.max_diagnostics) {
            continue;
        }
        ++shown;
        std::string where = format_location(d.location, sources);
        out += fmt::format("{}{}{}[{}]: {}\n", printable(where, false), where.empty() ? "" : ": ",
                           severity_string(d.severity), code_string(d.code),
                           printable(d.message, false));
        if (options.source_context && d.location.known() && d.location.line > 0) {
            std::string_view line = sources.line(d.location.file, d.location.line);
            std::uint32_t column = d.location.column;
            std::uint32_t length = d.location.length;
            std::string cut_before;
            std::string cut_after;
            if (line.size() > k_max_quoted) {
                std::size_t start = column > k_max_quoted / 2 ? column - k_max_quoted / 2 : 0;
                start = std::min(start, line.size() - k_max_quoted);
                cut_before = start > 0 ? "..." : "";
                cut_after = start + k_max_quoted < line.size() ? "..." : "";
                line = line.substr(start, k_max_quoted);
                column = static_cast<std::uint32_t>(column - start + cut_before.size());
                length = std::min<std::uint32_t>(
                    length,
                    static_cast<std::uint32_t>(k_max_quoted + 1 - (column - cut_before.size())));
            }
            std::string shown_line = cut_before + printable(line, true) + cut_after;
            std::string number = std::to_string(d.location.line);
            std::string gutter(number.size(), ' ');
            out += fmt::format(" {} | {}\n", number, shown_line);
            out += fmt::format(" {} | {}\n", gutter, caret_line(shown_line, column, length));
        }
        for (const Note& n : d.notes) {
            std::string kind = n.kind == Note::Kind::help ? "help" : "note";
            std::string note_where = printable(format_location(n.location, sources), false);
            std::string message = printable(n.message, false);
            if (n.kind == Note::Kind::note && !note_where.empty()) {
                out += fmt::format("{}: {}: {}\n", note_where, kind, message);
            } else if (!note_where.empty()) {
                out += fmt::format("{}: {} ({})\n", kind, message, note_where);
            } else {
                out += fmt::format("{}: {}\n", kind, message);
            }
        }
    }
    if (shown < diagnostics.size()) {
        out += fmt::format("too many diagnostics: {} more not shown\n", diagnostics.size() - shown);
    }
    std::string acknowledged =
        options.acknowledged == 0
            ? std::string()
            : fmt::format("{} acknowledged warning{} not shown", options.acknowledged,
                          options.acknowledged == 1 ? "" : "s");
    if (!diagnostics.empty()) {
        out += fmt::format("{} {}: {} {}, {} {}{}{}\n", diagnostics.size(),
                           diagnostics.size() == 1 ? "diagnostic" : "diagnostics", errors,
                           errors == 1 ? "error" : "errors", warnings,
                           warnings == 1 ? "warning" : "warnings", acknowledged.empty() ? "" : "; ",
                           acknowledged);
    } else if (!acknowledged.empty()) {
        out += acknowledged + "\n";
    }
    return out;
}

std::string render_json(const std::vector<Diagnostic>& diagnostics, const SourceLines& sources) {
    using nlohmann::ordered_json;
    ordered_json list = ordered_json::array();
    std::size_t errors = 0;
    std::size_t warnings = 0;
    auto position = [&](ordered_json& object, const Location& location) {
        if (location.known() && location.file < sources.size()) {
            object["file"] = std::string(sources.path(location.file));
            if (location.line > 0) {
                object["line"] = location.line;
                object["column"] = location.column;
                object["end_column"] =
                    location.column + (location.length == 0 ? 1 : location.length);
            }
        }
    };
    for (const Diagnostic& d : diagnostics) {
        errors += d.severity == Severity::error;
        warnings += d.severity == Severity::warning;
        ordered_json item;
        item["code"] = std::string(code_string(d.code));
        item["severity"] = std::string(severity_string(d.severity));
        position(item, d.location);
        item["message"] = d.message;
        ordered_json notes = ordered_json::array();
        for (const Note& n : d.notes) {
            ordered_json note;
            note["kind"] = n.kind == Note::Kind::help ? "help" : "note";
            position(note, n.location);
            note["message"] = n.message;
            notes.push_back(std::move(note));
        }
        item["notes"] = std::move(notes);
        list.push_back(std::move(item));
    }
    ordered_json root;
    root["diagnostics"] = std::move(list);
    root["summary"] = ordered_json{{"errors", errors}, {"warnings", warnings}};
    // Paths come from the file system and need not be UTF-8: replaced, never a throw.
    return root.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

std::string render_github(const std::vector<Diagnostic>& diagnostics, const SourceLines& sources) {
    std::string out;
    for (const Diagnostic& d : diagnostics) {
        std::string properties;
        if (d.location.known() && d.location.file < sources.size()) {
            properties += "file=" + github_escape(sources.path(d.location.file), true);
            if (d.location.line > 0) {
                properties += fmt::format(",line={},col={}", d.location.line, d.location.column);
            }
            properties += ",";
        }
        properties += "title=" + github_escape(code_string(d.code), true);
        out += fmt::format("::{} {}::{}\n", d.severity == Severity::error ? "error" : "warning",
                           properties, github_escape(full_message(d, sources), false));
    }
    return out;
}

namespace {

using nlohmann::ordered_json;

/// A SARIF rule per code reported, with its long help where the code has one.
ordered_json sarif_rules(const std::vector<Code>& codes) {
    ordered_json rules = ordered_json::array();
    for (Code code : codes) {
        ordered_json rule;
        rule["id"] = std::string(code_string(code));
        rule["name"] = rule_name(code_name(code));
        rule["shortDescription"] = {{"text", std::string(code_summary(code))}};
        // GitHub code scanning requires fullDescription; a code without a help file repeats
        // its summary.
        rule["fullDescription"] = {{"text", std::string(code_summary(code))}};
        for (const BuiltinHelp& help : builtin_help()) {
            if (code_string(code) == help.code) {
                rule["fullDescription"] = {{"text", first_paragraph(help.text)}};
                rule["help"] = {{"text", help.text}, {"markdown", help.text}};
            }
        }
        rule["defaultConfiguration"] = {
            {"level", default_severity(code) == Severity::error ? "error" : "warning"}};
        rules.push_back(std::move(rule));
    }
    return rules;
}

bool positioned(const Location& location, const SourceLines& sources) {
    return location.known() && location.file < sources.size();
}

ordered_json physical_location(const Location& location, const SourceLines& sources) {
    ordered_json where;
    where["artifactLocation"] = {{"uri", path_uri(sources.path(location.file))}};
    if (location.line > 0) {
        std::string_view line = sources.line(location.file, location.line);
        std::uint32_t end_byte = location.column + (location.length == 0 ? 1 : location.length);
        where["region"] = {{"startLine", location.line},
                           {"startColumn", code_point_column(line, location.column)},
                           {"endColumn", code_point_column(line, end_byte)}};
    } else {
        // About the file as a whole: annotated at its first line, where viewers show it.
        where["region"] = {{"startLine", 1}};
    }
    return ordered_json{{"physicalLocation", std::move(where)}};
}

/// One result: the diagnostic at its place, its rule by index in `codes`, its notes as related
/// locations.
ordered_json sarif_result(const Diagnostic& d, const std::vector<Code>& codes,
                          const SourceLines& sources) {
    ordered_json result;
    result["ruleId"] = std::string(code_string(d.code));
    result["ruleIndex"] = std::lower_bound(codes.begin(), codes.end(), d.code) - codes.begin();
    result["level"] = d.severity == Severity::error ? "error" : "warning";
    result["message"] = {{"text", full_message(d, sources)}};
    result["locations"] = ordered_json::array({physical_location(d.location, sources)});
    ordered_json related = ordered_json::array();
    for (const Note& n : d.notes) {
        if (positioned(n.location, sources)) {
            ordered_json r = physical_location(n.location, sources);
            r = ordered_json{{"id", related.size()},
                             {"physicalLocation", r["physicalLocation"]},
                             {"message", {{"text", n.message}}}};
            related.push_back(std::move(r));
        }
    }
    if (!related.empty()) {
        result["relatedLocations"] = std::move(related);
    }
    return result;
}

/// The run: the tool and its rules, whether it ran through, and the results.
ordered_json sarif_run(ordered_json rules, ordered_json results, ordered_json notifications,
                       std::string_view tool_version) {
    ordered_json driver;
    driver["name"] = "kafkamesh";
    driver["version"] = std::string(tool_version);
    driver["semanticVersion"] = std::string(tool_version);
    driver["rules"] = std::move(rules);
    ordered_json run;
    run["tool"] = {{"driver", std::move(driver)}};
    ordered_json invocation;
    invocation["executionSuccessful"] = notifications.empty();
    if (!notifications.empty()) {
        invocation["toolExecutionNotifications"] = std::move(notifications);
    }
    run["invocations"] = ordered_json::array({std::move(invocation)});
    run["columnKind"] = "unicodeCodePoints";
    run["results"] = std::move(results);
    return run;
}

}  // namespace

std::string render_sarif(const std::vector<Diagnostic>& diagnostics, const SourceLines& sources,
                         std::string_view tool_version) {
    std::vector<Code> codes;
    for (const Diagnostic& d : diagnostics) {
        codes.push_back(d.code);
    }
    std::sort(codes.begin(), codes.end());
    codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
    ordered_json results = ordered_json::array();
    ordered_json notifications = ordered_json::array();
    for (const Diagnostic& d : diagnostics) {
        if (positioned(d.location, sources)) {
            results.push_back(sarif_result(d, codes, sources));
            continue;
        }
        // No file to point at (an input that cannot be read): SARIF reports such problems of the
        // run itself as notifications, not as results about the code.
        notifications.push_back({{"level", d.severity == Severity::error ? "error" : "warning"},
                                 {"message", {{"text", full_message(d, sources)}}},
                                 {"descriptor", {{"id", std::string(code_string(d.code))}}}});
    }
    ordered_json root;
    root["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
    root["version"] = "2.1.0";
    root["runs"] = ordered_json::array({sarif_run(sarif_rules(codes), std::move(results),
                                                  std::move(notifications), tool_version)});
    return root.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace km::diag
