#include "admin/command_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace km::admin {
namespace {

using diag::Code;

bool blank(char c) {
    return c == ' ' || c == '\t' || c == '\f';
}

/// The natural lines of the text (\n, \r or \r\n ends one).
std::vector<std::string_view> natural_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n' || text[i] == '\r') {
            lines.push_back(text.substr(start, i - start));
            if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
                ++i;
            }
            start = i + 1;
        }
    }
    if (start < text.size()) {
        lines.push_back(text.substr(start));
    }
    return lines;
}

bool is_comment(std::string_view line) {
    std::size_t first = 0;
    while (first < line.size() && blank(line[first])) {
        ++first;
    }
    return first == line.size() || line[first] == '#' || line[first] == '!';
}

/// An odd number of backslashes at the end continues the line.
bool continues(std::string_view line) {
    std::size_t n = 0;
    while (n < line.size() && line[line.size() - 1 - n] == '\\') {
        ++n;
    }
    return n % 2 == 1;
}

/// Resolves Properties' escapes; false on a malformed \uXXXX.
bool unescape(std::string_view in, std::string& out) {
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '\\' || i + 1 == in.size()) {
            out += in[i];
            continue;
        }
        char c = in[++i];
        if (c == 'u') {
            if (i + 4 >= in.size()) {
                return false;
            }
            unsigned code = 0;
            for (int k = 1; k <= 4; ++k) {
                char h = in[i + static_cast<std::size_t>(k)];
                int v = h >= '0' && h <= '9'   ? h - '0'
                        : h >= 'a' && h <= 'f' ? h - 'a' + 10
                        : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                               : -1;
                if (v < 0) {
                    return false;
                }
                code = code * 16 + static_cast<unsigned>(v);
            }
            i += 4;
            // UTF-8 of a BMP code point (a surrogate half is kept as the replacement character).
            if (code >= 0xd800 && code <= 0xdfff) {
                code = 0xfffd;
            }
            if (code < 0x80) {
                out += static_cast<char>(code);
            } else if (code < 0x800) {
                out += static_cast<char>(0xc0 | (code >> 6));
                out += static_cast<char>(0x80 | (code & 0x3f));
            } else {
                out += static_cast<char>(0xe0 | (code >> 12));
                out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
                out += static_cast<char>(0x80 | (code & 0x3f));
            }
        } else {
            out += c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c == 'f' ? '\f' : c;
        }
    }
    return true;
}

/// Where the key of a logical line ends, and where its value starts.
std::pair<std::size_t, std::size_t> split_entry(std::string_view line, std::size_t key_start) {
    std::size_t i = key_start;
    while (i < line.size()) {
        char c = line[i];
        if (c == '\\') {
            i += 2;
            continue;
        }
        if (c == '=' || c == ':' || blank(c)) {
            break;
        }
        ++i;
    }
    std::size_t key_end = std::min(i, line.size());
    std::size_t v = key_end;
    while (v < line.size() && blank(line[v])) {
        ++v;
    }
    if (v < line.size() && (line[v] == '=' || line[v] == ':')) {
        ++v;
        while (v < line.size() && blank(line[v])) {
            ++v;
        }
    }
    return {key_end, v};
}

}  // namespace

std::vector<Setting> read_properties(std::string_view text, std::uint32_t file,
                                     diag::DiagnosticSink& sink) {
    std::vector<std::string_view> lines = natural_lines(text);
    std::map<std::string, Setting> entries;
    std::vector<std::string> order;
    for (std::size_t n = 0; n < lines.size(); ++n) {
        if (is_comment(lines[n])) {
            continue;
        }
        std::uint32_t line_number = static_cast<std::uint32_t>(n + 1);
        std::string logical(lines[n]);
        while (continues(logical) && n + 1 < lines.size()) {
            logical.pop_back();
            std::string_view next = lines[++n];
            while (!next.empty() && blank(next.front())) {
                next.remove_prefix(1);
            }
            logical += next;
        }
        std::size_t key_start = 0;
        while (key_start < logical.size() && blank(logical[key_start])) {
            ++key_start;
        }
        auto [key_end, value_start] = split_entry(logical, key_start);
        diag::Location at{file, line_number, static_cast<std::uint32_t>(key_start + 1),
                          static_cast<std::uint32_t>(key_end - key_start)};
        Setting s;
        s.location = at;
        if (!unescape(std::string_view(logical).substr(key_start, key_end - key_start), s.key) ||
            !unescape(std::string_view(logical).substr(value_start), s.value)) {
            sink.report(Code::KM803, at, "a malformed \\uXXXX escape in this entry");
            continue;
        }
        if (!entries.contains(s.key)) {
            order.push_back(s.key);
        }
        entries[s.key] = std::move(s);
    }
    std::vector<Setting> out;
    for (const std::string& key : order) {
        out.push_back(std::move(entries[key]));
    }
    return out;
}

std::string masked_properties(std::string_view text) {
    std::string out(text);
    std::vector<std::string_view> lines = natural_lines(text);
    bool value_line = false;  // the line continues a value
    for (std::string_view line : lines) {
        std::size_t offset = static_cast<std::size_t>(line.data() - text.data());
        std::size_t from = 0;
        if (!value_line) {
            if (is_comment(line)) {
                continue;
            }
            std::size_t key_start = 0;
            while (key_start < line.size() && blank(line[key_start])) {
                ++key_start;
            }
            from = split_entry(line, key_start).second;
        }
        for (std::size_t i = from; i < line.size(); ++i) {
            if (!blank(line[i])) {
                out[offset + i] = '*';
            }
        }
        value_line = continues(line);
    }
    return out;
}

}  // namespace km::admin
