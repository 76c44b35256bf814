// Formats of scalar values the topology accepts (names, durations, quantities, versions).
#pragma once

#include <optional>
#include <string_view>

namespace km::parse {

/// An http(s) URL kafkamesh can write into a broker property and a JVM option: letters,
/// digits and -._~:/?#[]@+=% only, so no ',' (Kafka splits allowed.urls on it), no quote,
/// space or shell character in the JVM options that carry it.
bool is_property_url(std::string_view s, bool https_only);
/// A token audience: 1-253 of letters, digits and . _ : / -.
bool is_token_audience(std::string_view s);

bool is_topic_name(std::string_view s);  ///< [a-zA-Z0-9._-]{1,249}, not "." or ".."
/// A topic name, or a prefix of one written `name*` (kafka.ownership.topics; no bare "*").
bool is_owned_topic_pattern(std::string_view s);
/// `User:<name>` or `User:<prefix>*`, nothing empty and no other '*' (kafka.ownership.principals).
bool is_owned_principal_pattern(std::string_view s);
bool is_duration(std::string_view s);       ///< Go/Kubernetes duration: 1h, 90m, 1h30m, 500ms, 0s
bool is_quantity(std::string_view s);       ///< Kubernetes quantity: 10Gi, 500M, 1.5Ti
bool is_istio_version(std::string_view s);  ///< 1.<minor>
bool is_kafka_version(std::string_view s);  ///< <major>.<minor>.<patch>
bool is_listener_name(std::string_view s);  ///< Strimzi listener name: [a-z0-9]{1,11}
bool is_bootstrap(std::string_view s);      ///< host:port[,host:port...], DNS host names
bool is_secret_key(std::string_view s);     ///< a Secret data key: [-._a-zA-Z0-9]{1,253}
bool is_label_key(std::string_view s);      ///< [prefix/]name
bool is_label_value(std::string_view s);    ///< empty, or at most 63 of [A-Za-z0-9._-] starting and
                                            ///< ending alphanumeric
/// Seconds in a duration accepted by is_duration.
std::optional<double> duration_seconds(std::string_view s);

}  // namespace km::parse
