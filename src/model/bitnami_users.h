// The SASL users the Bitnami chart target creates besides the identities, shared by the checks
// (no identity may take their names) and the values emitter.
#pragma once

#include <array>
#include <string_view>

namespace km::model {

/// `sasl.client.users[0]`: the provisioning Job authenticates as it, so it is a super user.
inline constexpr std::string_view k_bitnami_admin_user = "kafkamesh-admin";
/// The chart's defaults for `sasl.interbroker.user` and `sasl.controller.user`.
inline constexpr std::string_view k_bitnami_inter_broker_user = "inter_broker_user";
inline constexpr std::string_view k_bitnami_controller_user = "controller_user";

/// The brokers' image when the topology names none: chart 32.4.4's own tag (values.yaml `image`),
/// from the repository Bitnami moved its versioned Debian tags to (bitnami/containers#83267).
inline constexpr std::string_view k_bitnami_default_image =
    "docker.io/bitnamilegacy/kafka:4.0.0-debian-12-r10";
/// Strimzi's operator image, whose release serves kafka.strimzi.io/v1 (the CRDs kafkamesh is
/// checked against) and carries the standalone User and Topic Operators.
inline constexpr const char* k_strimzi_operator_image = "quay.io/strimzi/operator:1.2.0";

/// Appended to the chart's fullname: the standalone operators' Deployments and service accounts,
/// whose mesh identities the brokers' client port admits.
inline constexpr std::string_view k_user_operator_suffix = "-user-operator";
inline constexpr std::string_view k_topic_operator_suffix = "-topic-operator";

inline constexpr std::array<std::string_view, 3> k_bitnami_reserved_users = {
    k_bitnami_admin_user, k_bitnami_inter_broker_user, k_bitnami_controller_user};

}  // namespace km::model
