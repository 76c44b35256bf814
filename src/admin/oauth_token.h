// Service-account token login: the token file a Kubernetes projected volume keeps fresh, read the
// way the Java client reads `sasl.oauthbearer.token.endpoint.url=file:...`, and what librdkafka's
// rd_kafka_oauthbearer_set_token needs from it. The broker checks the signature; the client only
// reads the claims.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace km::admin {

struct Token {
    std::string value;            ///< the compact JWT as read, whitespace trimmed
    std::int64_t expires_ms = 0;  ///< the `exp` claim, in milliseconds since the epoch
    std::string subject;          ///< the `sub` claim: system:serviceaccount:<ns>:<sa>
};

/// The claims of a compact JWS (header.payload.signature, base64url): `exp` (a number) and `sub`
/// (a string) are required. Nothing on failure, with the reason in `error`.
std::optional<Token> decode_jwt(std::string_view jwt, std::string& error);

/// The token held by `path`; nothing when the file cannot be read or is no JWT.
std::optional<Token> read_token_file(const std::string& path, std::string& error);

/// The path of a `file:` URL as the Java client takes it (file:/p, file:///p); "" for any other.
std::string token_file_path(std::string_view url);

}  // namespace km::admin
