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

inline constexpr std::array<std::string_view, 3> k_bitnami_reserved_users = {
    k_bitnami_admin_user, k_bitnami_inter_broker_user, k_bitnami_controller_user};

}  // namespace km::model
