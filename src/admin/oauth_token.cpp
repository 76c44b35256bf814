#include "admin/oauth_token.h"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace km::admin {
namespace {

/// RFC 4648 section 5, unpadded as RFC 7515 writes it (padding is accepted too).
std::optional<std::string> base64url_decode(std::string_view in) {
    while (!in.empty() && in.back() == '=') {
        in.remove_suffix(1);
    }
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (char c : in) {
        int v = c >= 'A' && c <= 'Z'   ? c - 'A'
                : c >= 'a' && c <= 'z' ? c - 'a' + 26
                : c >= '0' && c <= '9' ? c - '0' + 52
                : c == '-'             ? 62
                : c == '_'             ? 63
                                       : -1;
        if (v < 0) {
            return std::nullopt;
        }
        buffer = (buffer << 6) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xff);
        }
    }
    // One character left over (6 bits) encodes no byte: not base64.
    if (in.size() % 4 == 1) {
        return std::nullopt;
    }
    return out;
}

std::string_view trimmed(std::string_view s) {
    const char* space = " \t\r\n";
    std::size_t first = s.find_first_not_of(space);
    if (first == std::string_view::npos) {
        return {};
    }
    return s.substr(first, s.find_last_not_of(space) - first + 1);
}

}  // namespace

std::optional<Token> decode_jwt(std::string_view jwt, std::string& error) {
    jwt = trimmed(jwt);
    std::size_t first = jwt.find('.');
    std::size_t second = first == std::string_view::npos ? first : jwt.find('.', first + 1);
    if (second == std::string_view::npos || jwt.find('.', second + 1) != std::string_view::npos) {
        error = "no JWT (three base64url parts joined by '.')";
        return std::nullopt;
    }
    std::optional<std::string> payload =
        base64url_decode(jwt.substr(first + 1, second - first - 1));
    if (!payload) {
        error = "no JWT (its payload is not base64url)";
        return std::nullopt;
    }
    nlohmann::json claims = nlohmann::json::parse(*payload, nullptr, false);
    if (!claims.is_object()) {
        error = "no JWT (its payload is not a JSON object)";
        return std::nullopt;
    }
    auto exp = claims.find("exp");
    auto sub = claims.find("sub");
    if (exp == claims.end() || !exp->is_number() || !std::isfinite(exp->get<double>()) ||
        exp->get<double>() <= 0 || exp->get<double>() > 1e13) {
        error = "a JWT without an 'exp' claim holding a time";
        return std::nullopt;
    }
    if (sub == claims.end() || !sub->is_string() || sub->get<std::string>().empty()) {
        error = "a JWT without a 'sub' claim naming its subject";
        return std::nullopt;
    }
    Token token;
    token.value = std::string(jwt);
    token.expires_ms = static_cast<std::int64_t>(exp->get<double>() * 1000.0);
    token.subject = sub->get<std::string>();
    return token;
}

std::optional<Token> read_token_file(const std::string& path, std::string& error) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = fmt::format("cannot read the token file '{}'", path);
        return std::nullopt;
    }
    // A projected token is a few kilobytes; anything far larger is not one.
    constexpr std::size_t limit = 1 << 20;
    std::string text(limit + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > limit) {
        error = fmt::format("the token file '{}' is larger than 1 MiB", path);
        return std::nullopt;
    }
    std::optional<Token> token = decode_jwt(text, error);
    if (!token) {
        error = fmt::format("the token file '{}' holds {}", path, error);
    }
    return token;
}

std::string token_file_path(std::string_view url) {
    // java.net.URL: file:/p and file:///p name the same local file; file://host/p is remote.
    if (url.rfind("file:///", 0) == 0) {
        return std::string(url.substr(7));
    }
    if (url.rfind("file:/", 0) == 0 && url.rfind("file://", 0) != 0) {
        return std::string(url.substr(5));
    }
    return "";
}

}  // namespace km::admin
