// String helpers that know nothing of Kafka, Istio or topologies.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace km::util {

/// Edit distance counting a swap of two neighbouring characters as one edit (optimal string
/// alignment), giving up (returning limit + 1) once it exceeds `limit`.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit);

/// The candidate closest to `word`, ignoring case, if it is close enough to be a plausible typo.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string_view>& candidates);

/// How a plain (unquoted) YAML scalar resolves under the YAML 1.2 core schema.
enum class PlainType { null, boolean, integer, floating, string };
PlainType resolve_plain(std::string_view text);

/// True if a YAML 1.1 reader (as used by kubectl and Helm) would read the plain scalar as something
/// other than a string: such strings must be quoted on output.
bool needs_quotes_for_yaml11(std::string_view text);

bool starts_with(std::string_view s, std::string_view prefix);
bool ends_with(std::string_view s, std::string_view suffix);
std::string join(const std::vector<std::string>& parts, std::string_view separator);

/// RFC 1123 label: [a-z0-9]([-a-z0-9]*[a-z0-9])?, at most 63 characters.
bool is_dns_label(std::string_view s);

/// 32-bit FNV-1a of the bytes: the same on every platform and every run, for names and buckets
/// that must not change between compiles.
std::uint32_t fnv1a(std::string_view s);
/// RFC 1123 subdomain: labels joined by '.', at most 253 characters.
bool is_dns_subdomain(std::string_view s);

}  // namespace km::util
