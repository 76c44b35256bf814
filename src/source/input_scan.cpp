#include "source/input_scan.h"

#include <fmt/format.h>

#include <cstdint>
#include <cstring>
#include <string_view>

namespace km::source {
namespace {

/// Decodes one UTF-8 sequence at `i`; returns its length, or 0 when it is malformed (overlong,
/// surrogate, beyond U+10FFFF or truncated).
std::size_t decode(std::string_view s, std::size_t i, char32_t& out) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char b = byte(i);
    std::size_t length = b < 0x80           ? 1
                         : (b >> 5) == 0x6  ? 2
                         : (b >> 4) == 0xE  ? 3
                         : (b >> 3) == 0x1E ? 4
                                            : 0;
    if (length == 0 || i + length > s.size()) {
        return 0;
    }
    char32_t cp = length == 1   ? b
                  : length == 2 ? (b & 0x1F)
                  : length == 3 ? (b & 0x0F)
                                : (b & 0x07);
    for (std::size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    static constexpr char32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < smallest[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return 0;
    }
    out = cp;
    return length;
}

/// YAML 1.2's printable set (c-printable), minus nothing: tab, line breaks and the rest.
bool yaml_printable(char32_t c) {
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0x7E) || c == 0x85 ||
           (c >= 0xA0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
           (c >= 0x10000 && c <= 0x10FFFF);
}

/// Characters that render as nothing or reorder the text around them (Trojan Source).
bool invisible(char32_t c) {
    return (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2060 && c <= 0x2064) || (c >= 0x2066 && c <= 0x2069) || c == 0x061C ||
           c == 0xFEFF;
}

bool utf16_or_32(std::string_view s) {
    auto starts = [&](std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; };
    using namespace std::string_view_literals;
    // Byte order marks, or an ASCII first character with zero bytes beside it (YAML 1.2 5.2).
    return starts("\xFE\xFF"sv) || starts("\xFF\xFE"sv) || starts("\x00\x00\xFE\xFF"sv) ||
           (s.size() >= 2 && (s[0] == '\0' || s[1] == '\0'));
}

/// Whether the eight bytes at `i` are all printable ASCII (0x20-0x7E), tested as one word.
bool printable_ascii_word(std::string_view text, std::size_t i) {
    if (i + 8 > text.size()) {
        return false;
    }
    std::uint64_t w = 0;
    std::memcpy(&w, text.data() + i, 8);
    constexpr std::uint64_t ones = 0x0101010101010101;
    constexpr std::uint64_t highs = 0x8080808080808080;
    std::uint64_t del = w ^ (ones * 0x7F);
    bool high = (w & highs) != 0;                          // a byte from 0x80
    bool control = ((w - ones * 0x20) & ~w & highs) != 0;  // below 0x20, once none is high
    bool is_del = ((del - ones) & ~del & highs) != 0;      // 0x7F
    return !high && !control && !is_del;
}

}  // namespace

bool scan_input(const SourceManager& sources, std::uint32_t file, diag::DiagnosticSink& sink) {
    std::string_view text = sources.file(file).text;
    if (utf16_or_32(text)) {
        auto& d = sink.report(diag::Code::KM109, diag::Location{file, 0, 0, 0},
                              "the file is UTF-16 or UTF-32; kafkamesh reads UTF-8");
        diag::add_help(d, "save the file as UTF-8");
        return false;
    }
    bool bad_encoding = false;
    bool bad_character = false;
    bool hidden = false;
    std::uint32_t line = 1;
    std::size_t line_start = 0;
    std::size_t i = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    while (i < text.size()) {
        // Nearly every byte of a topology is printable ASCII or a line feed: nothing to decode,
        // and eight such bytes are passed over at once.
        if (printable_ascii_word(text, i)) {
            i += 8;
            continue;
        }
        auto b = static_cast<unsigned char>(text[i]);
        if (b >= 0x20 && b < 0x7F) {
            ++i;
            continue;
        }
        if (b == '\n') {
            ++line;
            line_start = ++i;
            continue;
        }
        diag::Location at{file, line, static_cast<std::uint32_t>(i - line_start + 1), 1};
        char32_t c = 0;
        std::size_t length = decode(text, i, c);
        if (length == 0) {
            if (!bad_encoding) {
                auto& d = sink.report(diag::Code::KM109, at,
                                      fmt::format("byte 0x{:02X} is not valid UTF-8",
                                                  static_cast<unsigned char>(text[i])));
                diag::add_help(d, "save the file as UTF-8");
            }
            bad_encoding = true;
            ++i;
            continue;
        }
        if (!yaml_printable(c) && !bad_character) {
            bad_character = true;
            auto& d = sink.report(diag::Code::KM110, at,
                                  fmt::format("character U+{:04X} is not allowed in YAML",
                                              static_cast<std::uint32_t>(c)));
            diag::add_help(d,
                           "write it as an escape in a double-quoted string if you need it, "
                           "or remove it");
        } else if (invisible(c) && !hidden) {
            hidden = true;
            at.length = 1;
            auto& d = sink.report(
                diag::Code::KM111, at,
                fmt::format("invisible character U+{:04X}; the file may read differently "
                            "from what it does",
                            static_cast<std::uint32_t>(c)));
            diag::add_help(d, "remove it; policy files are reviewed as plain text");
        }
        if (c == '\n') {
            ++line;
            line_start = i + 1;
        }
        i += length;
    }
    return !bad_encoding && !bad_character && !hidden;
}

std::uint32_t tab_in_indentation(std::string_view line) {
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '\t') {
            return static_cast<std::uint32_t>(i + 1);
        }
        if (line[i] != ' ') {
            return 0;
        }
    }
    return 0;
}

}  // namespace km::source
