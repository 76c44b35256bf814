#include "util/strings.h"

#include <algorithm>
#include <cctype>

namespace km::util {

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
    std::size_t diff = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
    if (diff > limit) {
        return limit + 1;
    }
    // Three rows: an adjacent transposition looks two rows back.
    std::vector<std::size_t> before(b.size() + 1);
    std::vector<std::size_t> above(b.size() + 1);
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        row[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        before.swap(above);
        above.swap(row);
        row[0] = i;
        std::size_t best = row[0];
        for (std::size_t j = 1; j <= b.size(); ++j) {
            row[j] = std::min(
                {above[j] + 1, row[j - 1] + 1, above[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                row[j] = std::min(row[j], before[j - 2] + 1);
            }
            best = std::min(best, row[j]);
        }
        if (best > limit) {
            return limit + 1;
        }
    }
    return row[b.size()];
}

namespace {

std::string lowercase(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

}  // namespace

std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string_view>& candidates) {
    // Case is ignored ('WRITE' is 'Write'), and a swap of two neighbours counts as one typo.
    // Allow about one typo per three characters, as ninja's spellchecker does.
    std::string folded = lowercase(word);
    std::size_t limit = std::max<std::size_t>(1, word.size() / 3);
    std::optional<std::string> best;
    std::size_t best_distance = limit + 1;
    for (std::string_view candidate : candidates) {
        std::size_t d = edit_distance(folded, lowercase(candidate), limit);
        if (d < best_distance || (d == best_distance && best && candidate < *best)) {
            best_distance = d;
            best = std::string(candidate);
        }
    }
    if (best_distance > limit) {
        return std::nullopt;
    }
    return best;
}

namespace {

bool all_of(std::string_view s, bool (*pred)(char)) {
    return !s.empty() && std::all_of(s.begin(), s.end(), pred);
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_octal(char c) {
    return c >= '0' && c <= '7';
}
bool is_hex(char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}

bool is_integer(std::string_view t) {
    if (starts_with(t, "0o")) {
        return all_of(t.substr(2), is_octal);
    }
    if (starts_with(t, "0x")) {
        return all_of(t.substr(2), is_hex);
    }
    if (!t.empty() && (t[0] == '-' || t[0] == '+')) {
        t.remove_prefix(1);
    }
    return all_of(t, is_digit);
}

// [-+]? ( "." digits | digits ( "." digits* )? ) ( [eE] [-+]? digits )?
bool is_float(std::string_view t) {
    static const std::vector<std::string_view> special = {".inf",  ".Inf",  ".INF",  "-.inf",
                                                          "-.Inf", "-.INF", "+.inf", "+.Inf",
                                                          "+.INF", ".nan",  ".NaN",  ".NAN"};
    if (std::find(special.begin(), special.end(), t) != special.end()) {
        return true;
    }
    if (!t.empty() && (t[0] == '-' || t[0] == '+')) {
        t.remove_prefix(1);
    }
    std::size_t i = 0;
    std::size_t int_digits = 0;
    while (i < t.size() && is_digit(t[i])) {
        ++i;
        ++int_digits;
    }
    std::size_t frac_digits = 0;
    if (i < t.size() && t[i] == '.') {
        ++i;
        while (i < t.size() && is_digit(t[i])) {
            ++i;
            ++frac_digits;
        }
    }
    if (int_digits == 0 && frac_digits == 0) {
        return false;
    }
    if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
        ++i;
        if (i < t.size() && (t[i] == '-' || t[i] == '+')) {
            ++i;
        }
        return all_of(t.substr(i), is_digit);
    }
    return i == t.size();
}

}  // namespace

PlainType resolve_plain(std::string_view t) {
    if (t.empty() || t == "~" || t == "null" || t == "Null" || t == "NULL") {
        return PlainType::null;
    }
    if (t == "true" || t == "True" || t == "TRUE" || t == "false" || t == "False" || t == "FALSE") {
        return PlainType::boolean;
    }
    if (is_integer(t)) {
        return PlainType::integer;
    }
    if (is_float(t)) {
        return PlainType::floating;
    }
    return PlainType::string;
}

namespace {

bool is_upper(char c) {
    return c >= 'A' && c <= 'Z';
}
bool is_lower(char c) {
    return c >= 'a' && c <= 'z';
}

/// The words YAML 1.1 or 1.2 read as null or a boolean (y, n, yes, no, on, off, true, false,
/// null), each in lower case, Capitalised or UPPER CASE as the specifications list them.
bool is_keyword(std::string_view t) {
    if (t.empty() || t.size() > 5) {
        return false;
    }
    char lower[5];
    bool rest_lower = true;
    bool rest_upper = true;
    for (std::size_t i = 0; i < t.size(); ++i) {
        char c = t[i];
        if (!is_lower(c) && !is_upper(c)) {
            return false;
        }
        lower[i] = static_cast<char>(c | 0x20);
        if (i > 0) {
            rest_lower = rest_lower && is_lower(c);
            rest_upper = rest_upper && is_upper(c);
        }
    }
    // "yes", "Yes" and "YES" are keywords; "yEs" and "yES" are strings.
    if (!rest_lower && !(rest_upper && is_upper(t[0]))) {
        return false;
    }
    std::string_view word(lower, t.size());
    switch (t.size()) {
        case 1:
            return word == "y" || word == "n";
        case 2:
            return word == "no" || word == "on";
        case 3:
            return word == "yes" || word == "off";
        case 4:
            return word == "true" || word == "null";
        default:
            return word == "false";
    }
}

}  // namespace

bool needs_quotes_for_yaml11(std::string_view t) {
    // A letter-led scalar can be neither a number nor a timestamp: only the keywords (null,
    // booleans, and YAML 1.1's y/n/yes/no/on/off) read as something else.
    if (!t.empty() && (is_lower(t[0]) || is_upper(t[0]))) {
        return is_keyword(t);
    }
    if (resolve_plain(t) != PlainType::string) {
        return true;
    }
    static const std::vector<std::string_view> words = {"y",  "Y",   "yes", "Yes", "YES", "n",
                                                        "N",  "no",  "No",  "NO",  "on",  "On",
                                                        "ON", "off", "Off", "OFF", "<<",  "="};
    if (std::find(words.begin(), words.end(), t) != words.end()) {
        return true;
    }
    // YAML 1.1 also reads 1_000, 0b101, 1:30 (sexagesimal) and 2001-12-14 (timestamps) as
    // non-strings. Quoting every digit-led scalar made of such characters is a safe superset.
    if (t.empty() || !(is_digit(t[0]) || t[0] == '-' || t[0] == '+' || t[0] == '.')) {
        return false;
    }
    if (starts_with(t, "0b") || starts_with(t, "0x") || starts_with(t, "0o")) {
        return true;
    }
    bool has_digit = false;
    for (char c : t) {
        if (is_digit(c)) {
            has_digit = true;
        } else if (std::string_view("_.:+-eE").find(c) == std::string_view::npos) {
            // Timestamps such as 2001-12-14t21:59:43.10-05:00 start with a date.
            return t.size() >= 10 && is_digit(t[0]) && t[4] == '-';
        }
    }
    return has_digit;
}

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i != 0) {
            out += separator;
        }
        out += parts[i];
    }
    return out;
}

bool is_dns_label(std::string_view s) {
    if (s.empty() || s.size() > 63) {
        return false;
    }
    auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    if (!alnum(s.front()) || !alnum(s.back())) {
        return false;
    }
    return std::all_of(s.begin(), s.end(), [&](char c) { return alnum(c) || c == '-'; });
}

bool is_dns_subdomain(std::string_view s) {
    if (s.empty() || s.size() > 253) {
        return false;
    }
    std::size_t start = 0;
    while (true) {
        std::size_t dot = s.find('.', start);
        std::string_view label =
            s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (!is_dns_label(label)) {
            return false;
        }
        if (dot == std::string_view::npos) {
            return true;
        }
        start = dot + 1;
    }
}

std::uint32_t fnv1a(std::string_view s) {
    std::uint32_t hash = 2166136261u;
    for (unsigned char ch : s) {
        hash = (hash ^ ch) * 16777619u;
    }
    return hash;
}

}  // namespace km::util
