#include "diag/render.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

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
        out += fmt::format("{}{}{}[{}]: {}\n", where, where.empty() ? "" : ": ",
                           severity_string(d.severity), code_string(d.code), d.message);
        if (options.source_context && d.location.known() && d.location.line > 0) {
            std::string_view line = sources.line(d.location.file, d.location.line);
            std::string number = std::to_string(d.location.line);
            std::string gutter(number.size(), ' ');
            out += fmt::format(" {} | {}\n", number, line);
            out += fmt::format(" {} | {}\n", gutter,
                               caret_line(line, d.location.column, d.location.length));
        }
        for (const Note& n : d.notes) {
            std::string kind = n.kind == Note::Kind::help ? "help" : "note";
            std::string note_where = format_location(n.location, sources);
            if (n.kind == Note::Kind::note && !note_where.empty()) {
                out += fmt::format("{}: {}: {}\n", note_where, kind, n.message);
            } else if (!note_where.empty()) {
                out += fmt::format("{}: {} ({})\n", kind, n.message, note_where);
            } else {
                out += fmt::format("{}: {}\n", kind, n.message);
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
    return root.dump(2) + "\n";
}

}  // namespace km::diag
