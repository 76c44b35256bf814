#include "parse/value_formats.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <string>

#include "util/strings.h"

namespace km::parse {
namespace {

bool digit(char c) {
    return c >= '0' && c <= '9';
}
bool alnum(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

bool digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), digit);
}

}  // namespace

bool is_topic_name(std::string_view s) {
    if (s.empty() || s.size() > 249 || s == "." || s == "..") {
        return false;
    }
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return alnum(c) || c == '.' || c == '_' || c == '-'; });
}

bool is_owned_topic_pattern(std::string_view s) {
    if (!s.empty() && s.back() == '*') {
        s.remove_suffix(1);
    }
    return is_topic_name(s);
}

bool is_owned_principal_pattern(std::string_view s) {
    constexpr std::string_view user = "User:";
    if (s.substr(0, user.size()) != user) {
        return false;
    }
    s.remove_prefix(user.size());
    if (!s.empty() && s.back() == '*') {
        s.remove_suffix(1);
    }
    // A prefix of nothing would own every user of the cluster, the admin's own among them.
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return c != '*' && static_cast<unsigned char>(c) >= 0x20 && c != 0x7f;
    });
}

std::optional<double> duration_seconds(std::string_view s) {
    if (s.empty()) {
        return std::nullopt;
    }
    if (s == "0") {
        return 0.0;
    }
    double total = 0;
    std::size_t i = 0;
    while (i < s.size()) {
        std::size_t start = i;
        while (i < s.size() && (digit(s[i]) || s[i] == '.')) {
            ++i;
        }
        if (start == i) {
            return std::nullopt;
        }
        std::string number(s.substr(start, i - start));
        if (std::count(number.begin(), number.end(), '.') > 1 || number.front() == '.' ||
            number.back() == '.') {
            return std::nullopt;
        }
        std::size_t unit_start = i;
        while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) {
            ++i;
        }
        std::string_view unit = s.substr(unit_start, i - unit_start);
        double scale = 0;
        if (unit == "h") {
            scale = 3600;
        } else if (unit == "m") {
            scale = 60;
        } else if (unit == "s") {
            scale = 1;
        } else if (unit == "ms") {
            scale = 1e-3;
        } else if (unit == "us" || unit == "µs") {
            scale = 1e-6;
        } else if (unit == "ns") {
            scale = 1e-9;
        } else {
            return std::nullopt;
        }
        total += std::strtod(number.c_str(), nullptr) * scale;
    }
    return total;
}

bool is_duration(std::string_view s) {
    return duration_seconds(s).has_value();
}

bool is_quantity(std::string_view s) {
    static const std::string_view suffixes[] = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "k",
                                                "M",  "G",  "T",  "P",  "E",  ""};
    for (std::string_view suffix : suffixes) {
        if (!util::ends_with(s, suffix)) {
            continue;
        }
        std::string_view number = s.substr(0, s.size() - suffix.size());
        std::size_t dot = number.find('.');
        if (dot == std::string_view::npos) {
            if (digits(number)) {
                return true;
            }
        } else if (digits(number.substr(0, dot)) && digits(number.substr(dot + 1))) {
            return true;
        }
    }
    return false;
}

bool is_istio_version(std::string_view s) {
    return util::starts_with(s, "1.") && digits(s.substr(2));
}

bool is_kafka_version(std::string_view s) {
    std::size_t a = s.find('.');
    if (a == std::string_view::npos) {
        return false;
    }
    std::size_t b = s.find('.', a + 1);
    if (b == std::string_view::npos) {
        return false;
    }
    return digits(s.substr(0, a)) && digits(s.substr(a + 1, b - a - 1)) && digits(s.substr(b + 1));
}

bool is_label_value(std::string_view s) {
    if (s.empty()) {
        return true;
    }
    if (s.size() > 63 || !alnum(s.front()) || !alnum(s.back())) {
        return false;
    }
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return alnum(c) || c == '-' || c == '_' || c == '.'; });
}

bool is_listener_name(std::string_view s) {
    return !s.empty() && s.size() <= 11 && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    });
}

bool is_label_key(std::string_view s) {
    std::size_t slash = s.find('/');
    std::string_view name = s;
    if (slash != std::string_view::npos) {
        if (!util::is_dns_subdomain(s.substr(0, slash))) {
            return false;
        }
        name = s.substr(slash + 1);
    }
    return !name.empty() && is_label_value(name);
}

bool is_property_url(std::string_view s, bool https_only) {
    std::string_view rest = s;
    if (util::starts_with(rest, "https://")) {
        rest.remove_prefix(8);
    } else if (!https_only && util::starts_with(rest, "http://")) {
        rest.remove_prefix(7);
    } else {
        return false;
    }
    constexpr std::string_view k_url_marks = "-._~:/?#[]@+=%";
    return !rest.empty() && std::all_of(rest.begin(), rest.end(), [&](char c) {
        return alnum(c) || k_url_marks.find(c) != std::string_view::npos;
    });
}

bool is_token_audience(std::string_view s) {
    return !s.empty() && s.size() <= 253 && std::all_of(s.begin(), s.end(), [](char c) {
        return alnum(c) || c == '.' || c == '_' || c == ':' || c == '/' || c == '-';
    });
}

bool is_bootstrap(std::string_view s) {
    if (s.empty()) {
        return false;
    }
    while (true) {
        auto comma = s.find(',');
        std::string_view server = s.substr(0, comma);
        auto colon = server.rfind(':');
        if (colon == std::string_view::npos || !util::is_dns_subdomain(server.substr(0, colon))) {
            return false;
        }
        std::string_view port = server.substr(colon + 1);
        if (port.empty() || port.size() > 5 ||
            port.find_first_not_of("0123456789") != std::string_view::npos || port[0] == '0' ||
            std::stoi(std::string(port)) > 65535) {
            return false;
        }
        if (comma == std::string_view::npos) {
            return true;
        }
        s.remove_prefix(comma + 1);
    }
}

bool is_secret_key(std::string_view s) {
    return !s.empty() && s.size() <= 253 && s != "." && s != ".." &&
           s.find_first_not_of(
               "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._") ==
               std::string_view::npos;
}

}  // namespace km::parse
