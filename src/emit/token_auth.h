// authentication: service-account-token, what the emitters add around the broker settings of
// model/service_account_token.h: the paths pods read, and the API server access Kafka needs.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "emit/emit.h"
#include "model/service_account_token.h"

namespace km::emit {

/// Where an application container finds its projected token (client-config, the pod patch).
inline constexpr std::string_view k_client_token_dir = "/var/run/secrets/kafkamesh.io/kafka";
inline constexpr std::string_view k_client_token_path = "/var/run/secrets/kafkamesh.io/kafka/token";
/// Where Bitnami broker pods find the cluster's root CA (the kube-root-ca.crt ConfigMap).
inline constexpr std::string_view k_bitnami_kube_ca_dir = "/var/run/secrets/kafkamesh.io/kube-ca";
/// Where Strimzi 1.2 mounts every pod's service-account volume, ca.crt included.
inline constexpr std::string_view k_service_account_ca =
    "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt";

/// The ClusterRoleBinding that lets Kafka's key fetch, which sends no credentials, read the
/// API server's /openid/v1/jwks.
void emit_issuer_discovery_binding(const EmitContext& context, std::vector<Manifest>& out);

/// kafka.apply: the ConfigMap holding the topology and the Job running kafkamesh apply on it.
void emit_apply_job(const EmitContext& context, std::vector<Manifest>& out);

}  // namespace km::emit
