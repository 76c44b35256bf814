// authentication: service-account-token, the broker side: Kafka's own OAUTHBEARER validation of
// Kubernetes service-account tokens. The emitters write these settings into the cluster resource,
// and the checks report them for a cluster this topology does not manage, from this one source.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/topology.h"

namespace km::model {

/// The JVM system property Kafka 4.x checks every OAuth URL against, exactly.
inline constexpr std::string_view k_allowed_urls_property =
    "org.apache.kafka.sasl.oauthbearer.allowed.urls";

/// Where Kafka's stock OAUTHBEARER classes live, for the brokers' and the clients' settings alike.
inline constexpr std::string_view k_oauthbearer_package =
    "org.apache.kafka.common.security.oauthbearer";

using Settings = std::vector<std::pair<std::string, std::string>>;

/// kafka.serviceAccountToken, or its defaults when the topology leaves it out.
const ServiceAccountToken& token_options(const Kafka& kafka);

/// The client listener's settings, without the "listener.name.<listener>." prefix: OAUTHBEARER
/// validated by Kafka's stock handler against the API server's keys. `mechanisms` is the
/// listener's sasl.enabled.mechanisms; `ca_file` the PEM file the key fetch trusts.
Settings token_listener_settings(const Kafka& kafka, std::string_view mechanisms,
                                 std::string_view ca_file);

/// The same, each key prefixed with "listener.name.<listener>.".
Settings token_broker_settings(const Kafka& kafka, std::string_view listener,
                               std::string_view mechanisms, std::string_view ca_file);

/// "-Dorg.apache.kafka.sasl.oauthbearer.allowed.urls=<jwksUrl>" for the brokers' JVM.
std::string token_broker_jvm_option(const Kafka& kafka);

/// The declared service kafka.apply names, or null.
const Service* apply_job_service(const Topology& topology);
/// Copies that service's namespace and account into kafka.apply, which emission reads after the
/// services are freed.
void resolve_apply_job(Topology& topology);

}  // namespace km::model
