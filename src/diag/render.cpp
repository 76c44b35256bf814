#include "diag/render.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>

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

std::string format_location(const Location& location, const source::SourceManager& sources) {
    if (!location.known() || location.file >= sources.size()) {
        return {};
    }
    const std::string& path = sources.file(location.file).path;
    if (location.line == 0) {
        return path;
    }
    return fmt::format("{}:{}:{}", path, location.line, location.column);
}

std::string render_text(const std::vector<Diagnostic>& diagnostics,
                        const source::SourceManager& sources, const RenderOptions& options) {
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
    if (!diagnostics.empty()) {
        out += fmt::format("{} {}: {} {}, {} {}\n", diagnostics.size(),
                           diagnostics.size() == 1 ? "diagnostic" : "diagnostics", errors,
                           errors == 1 ? "error" : "errors", warnings,
                           warnings == 1 ? "warning" : "warnings");
    }
    return out;
}

std::string render_json(const std::vector<Diagnostic>& diagnostics,
                        const source::SourceManager& sources) {
    using nlohmann::ordered_json;
    ordered_json list = ordered_json::array();
    std::size_t errors = 0;
    std::size_t warnings = 0;
    auto position = [&](ordered_json& object, const Location& location) {
        if (location.known() && location.file < sources.size()) {
            object["file"] = sources.file(location.file).path;
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

}  // namespace km::diag
