// A YAML serialiser for Value trees, writing straight into one buffer. It lays documents out the
// way yaml-cpp's block emitter does, and decides each scalar's style by YAML's own rules: plain
// only when a YAML 1.1 or 1.2 reader reads the text back as the same string, else double-quoted
// with escapes, or a literal block for multi-line scripts. No input string can leave its scalar.
#include "emit/manifest_writer.h"

#include <algorithm>

#include "util/strings.h"

namespace km::emit {
namespace {

bool is_blank_or_break(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/// Characters that never need a second look in a plain scalar: letters, digits, '.', '_', '/', '-'.
constexpr bool k_simple[256] = {
#define KM_SIMPLE(c)                                                                           \
    ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || \
     c == '_' || c == '/' || c == '-')
#define KM_ROW(b)                                                                                 \
    KM_SIMPLE(b + 0), KM_SIMPLE(b + 1), KM_SIMPLE(b + 2), KM_SIMPLE(b + 3), KM_SIMPLE(b + 4),     \
        KM_SIMPLE(b + 5), KM_SIMPLE(b + 6), KM_SIMPLE(b + 7), KM_SIMPLE(b + 8), KM_SIMPLE(b + 9), \
        KM_SIMPLE(b + 10), KM_SIMPLE(b + 11), KM_SIMPLE(b + 12), KM_SIMPLE(b + 13),               \
        KM_SIMPLE(b + 14), KM_SIMPLE(b + 15)
    KM_ROW(0),   KM_ROW(16),  KM_ROW(32),  KM_ROW(48),  KM_ROW(64),  KM_ROW(80),
    KM_ROW(96),  KM_ROW(112), KM_ROW(128), KM_ROW(144), KM_ROW(160), KM_ROW(176),
    KM_ROW(192), KM_ROW(208), KM_ROW(224), KM_ROW(240),
#undef KM_ROW
#undef KM_SIMPLE
};

/// YAML's plain-scalar rules for block context (the test yaml-cpp's emitter applies).
bool valid_plain(std::string_view s) {
    if (s.empty() || util::needs_quotes_for_yaml11(s)) {
        return false;
    }
    // Most names are letters, digits and . _ / -: none of the indicator rules below can apply
    // unless the scalar starts with '-' or '.'.
    if (s.front() != '-' && std::all_of(s.begin(), s.end(), [](char c) {
            return k_simple[static_cast<unsigned char>(c)];
        })) {
        return true;
    }
    char first = s.front();
    if (is_blank_or_break(first) ||
        std::string_view(",[]{}#&*!|>'\"%@`").find(first) != std::string_view::npos) {
        return false;
    }
    // '-', '?' and ':' start a plain scalar only when something other than a blank follows.
    if ((first == '-' || first == '?' || first == ':') &&
        (s.size() == 1 || is_blank_or_break(s[1]))) {
        return false;
    }
    if (s.back() == ' ' || s.back() == ':') {
        return false;
    }
    for (std::size_t i = 0; i < s.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c == 0x7f) {
            return false;  // breaks, tabs and other control characters
        }
        if (c == ':' && i + 1 < s.size() && is_blank_or_break(s[i + 1])) {
            return false;  // ": " would start a mapping value
        }
        if (c == '#' && i > 0 && is_blank_or_break(s[i - 1])) {
            return false;  // " #" would start a comment
        }
        if (c == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBB &&
            static_cast<unsigned char>(s[i + 2]) == 0xBF) {
            return false;  // a byte-order mark
        }
    }
    return true;
}

void write_double_quoted(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789ABCDEF";
    out += '"';
    for (char ch : s) {
        unsigned char c = static_cast<unsigned char>(ch);
        switch (ch) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                if (c < 0x20 || c == 0x7f) {
                    out += "\\x";
                    out += hex[c >> 4];
                    out += hex[c & 0xf];
                } else {
                    out += ch;
                }
        }
    }
    out += '"';
}

/// A literal block keeps a script readable; it needs printable lines and no leading blank.
bool valid_literal(std::string_view s) {
    if (s.find('\n') == std::string_view::npos || s.front() == ' ' || s.front() == '\n') {
        return false;
    }
    for (char ch : s) {
        unsigned char c = static_cast<unsigned char>(ch);
        if ((c < 0x20 && ch != '\n') || c == 0x7f) {
            return false;
        }
    }
    return true;
}

void write_literal(std::string& out, std::string_view s, std::size_t indent) {
    std::size_t end = s.size();
    while (end > 0 && s[end - 1] == '\n') {
        --end;
    }
    std::size_t trailing = s.size() - end;
    out += trailing == 0 ? "|-" : trailing == 1 ? "|" : "|+";
    out += '\n';
    std::string_view body = s.substr(0, trailing > 1 ? s.size() - 1 : end);
    std::size_t start = 0;
    while (start <= body.size()) {
        std::size_t nl = body.find('\n', start);
        std::string_view line =
            body.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
        if (!line.empty()) {
            out.append(indent, ' ');
            out += line;
        }
        out += '\n';
        if (nl == std::string_view::npos) {
            break;
        }
        start = nl + 1;
    }
}

void write_scalar(std::string& out, const Value& v, std::size_t indent) {
    switch (v.kind()) {
        case Value::Kind::null:
            out += "null";
            break;
        case Value::Kind::number:
        case Value::Kind::boolean:
            out += v.text();
            break;
        default:
            if (v.is_block() && valid_literal(v.text())) {
                write_literal(out, v.text(), indent);
                return;
            }
            if (valid_plain(v.text())) {
                out += v.text();
            } else {
                write_double_quoted(out, v.text());
            }
    }
    out += '\n';
}

void write_key(std::string& out, const std::string& key) {
    if (valid_plain(key)) {
        out += key;
    } else {
        write_double_quoted(out, key);
    }
    out += ':';
}

/// Each line of a comment as "# line" at `indent`; a comment never holds anything YAML reads.
void write_comment(std::string& out, const std::string& comment, std::size_t indent) {
    std::size_t begin = 0;
    while (begin <= comment.size() && !comment.empty()) {
        std::size_t end = comment.find('\n', begin);
        if (end == std::string::npos) {
            end = comment.size();
        }
        std::string_view line(comment.data() + begin, end - begin);
        out.append(indent, ' ');
        out += line.empty() ? "#" : "# ";
        out += line;
        out += '\n';
        begin = end + 1;
    }
}

bool is_collection(const Value& v) {
    return v.kind() == Value::Kind::mapping || v.kind() == Value::Kind::sequence;
}

void write_items(std::string& out, const Value& seq, std::size_t indent, bool first_inline);

/// Entries of a mapping at `indent`; the first one continues a "- " already written when inline.
void write_entries(std::string& out, const Value& map, std::size_t indent, bool first_inline) {
    bool first = true;
    for (const auto& [key, value] : map.entries()) {
        if (!(first && first_inline)) {
            // The first entry after "- " has its comment written before the item (write_items).
            write_comment(out, value.comment(), indent);
            out.append(indent, ' ');
        }
        first = false;
        write_key(out, key);
        if (is_collection(value) && !value.empty()) {
            out += '\n';
            if (value.kind() == Value::Kind::mapping) {
                write_entries(out, value, indent + 2, false);
            } else {
                write_items(out, value, indent + 2, false);
            }
        } else if (is_collection(value)) {
            out += value.kind() == Value::Kind::mapping ? " {}\n" : " []\n";
        } else {
            out += ' ';
            write_scalar(out, value, indent + 2);
        }
    }
}

void write_items(std::string& out, const Value& seq, std::size_t indent, bool first_inline) {
    bool first = true;
    for (const Value& item : seq.items()) {
        if (!(first && first_inline)) {
            write_comment(out, item.comment(), indent);
            if (item.kind() == Value::Kind::mapping && !item.empty()) {
                write_comment(out, item.entries().front().second.comment(), indent);
            }
            out.append(indent, ' ');
        }
        first = false;
        out += "- ";
        if (is_collection(item) && !item.empty()) {
            if (item.kind() == Value::Kind::mapping) {
                write_entries(out, item, indent + 2, true);
            } else {
                write_items(out, item, indent + 2, true);
            }
        } else if (is_collection(item)) {
            out += item.kind() == Value::Kind::mapping ? "{}\n" : "[]\n";
        } else {
            write_scalar(out, item, indent + 2);
        }
    }
}

}  // namespace

void append_yaml(std::string& out, const Value& document) {
    write_comment(out, document.comment(), 0);
    if (document.kind() == Value::Kind::mapping && !document.empty()) {
        write_entries(out, document, 0, false);
    } else if (document.kind() == Value::Kind::sequence && !document.empty()) {
        write_items(out, document, 0, false);
    } else if (is_collection(document)) {
        out += document.kind() == Value::Kind::mapping ? "{}\n" : "[]\n";
    } else {
        write_scalar(out, document, 0);
    }
}

std::string write_yaml(const Value& document) {
    std::string out;
    append_yaml(out, document);
    return out;
}

Manifest::Manifest(int rank_, std::string kind_, std::string ns_, std::string name_,
                   const Value& document, util::Spool* spool_)
    : rank(rank_), kind(std::move(kind_)), ns(std::move(ns_)), name(std::move(name_)) {
    // Kept until the stream is sorted, so the text is held at its exact size. It is written into
    // one buffer that every document reuses, then copied once, rather than grown and shrunk.
    thread_local std::string scratch;
    scratch.clear();
    append_yaml(scratch, document);
    if (spool_ && spool_->wants(scratch.size())) {
        spool = spool_;
        spooled = spool_->put(scratch);
        return;
    }
    yaml = std::string(scratch);
}

std::optional<std::string> Manifest::text() const {
    return spool ? spool->read(spooled) : std::optional<std::string>(yaml);
}

std::string write_stream(const std::vector<Manifest>& manifests) {
    std::size_t size = 0;
    for (const Manifest& m : manifests) {
        size += 4 + (m.spool ? m.spooled.length : m.yaml.size());
    }
    std::string out;
    out.reserve(size);
    for (const Manifest& m : manifests) {
        out += "---\n";
        out += m.spool ? m.text().value_or("") : m.yaml;
    }
    return out;
}

bool write_manifests(std::FILE* out, const std::vector<Manifest>& manifests) {
    for (const Manifest& m : manifests) {
        if (std::fwrite("---\n", 1, 4, out) != 4) {
            return false;
        }
        bool written = m.spool ? m.spool->copy_to(out, m.spooled)
                               : std::fwrite(m.yaml.data(), 1, m.yaml.size(), out) == m.yaml.size();
        if (!written) {
            return false;
        }
    }
    return std::fflush(out) == 0;
}

}  // namespace km::emit
