#include "model/service_account_token.h"

#include <fmt/format.h>

namespace km::model {

const ServiceAccountToken& token_options(const Kafka& kafka) {
    static const ServiceAccountToken defaults;
    return kafka.service_account_token ? *kafka.service_account_token : defaults;
}

// Every key is from apache/kafka 4.1.1 clients (SaslConfigs, BrokerSecurityConfigs,
// OAuthBearerValidatorCallbackHandler):
// - the `.class` keys read through ConfigurationUtils.getConfiguredInstance are looked up without
//   the mechanism prefix (only "listener.name.<l>." is stripped, AbstractConfig
//   valuesWithPrefixOverride), so the validator class is written without "oauthbearer.";
// - Kafka 4.1.0 and 4.1.1 otherwise default to ClientJwtValidator, which checks no signature,
//   issuer, audience or expiry (DefaultJwtValidator.configure without a key resolver; fixed in
//   4.1.2); 4.0 ignores the key and always validates against the JWKS;
// - the JWKS is fetched over TLS trusted by the ssl.truststore.* options inside the JAAS line
//   (JaasOptionsUtils.getSslClientConfig), and any JAAS option makes the listener's own
//   unsecured login build a token, which then needs a subject (OAuthBearerUnsecuredLogin-
//   CallbackHandler): unsecuredLoginStringClaim_sub, never sent anywhere.
Settings token_listener_settings(const Kafka& kafka, std::string_view mechanisms,
                                 std::string_view ca_file) {
    const ServiceAccountToken& t = token_options(kafka);
    constexpr std::string_view pkg = k_oauthbearer_package;
    return {
        {"sasl.enabled.mechanisms", std::string(mechanisms)},
        {"oauthbearer.sasl.server.callback.handler.class",
         fmt::format("{}.OAuthBearerValidatorCallbackHandler", pkg)},
        {"oauthbearer.sasl.jaas.config",
         fmt::format("{}.OAuthBearerLoginModule required ssl.truststore.type=\"PEM\" "
                     "ssl.truststore.location=\"{}\" unsecuredLoginStringClaim_sub=\"unused\";",
                     pkg, ca_file)},
        {"sasl.oauthbearer.jwt.validator.class", fmt::format("{}.BrokerJwtValidator", pkg)},
        {"oauthbearer.sasl.oauthbearer.jwks.endpoint.url", t.jwks_url.value},
        {"oauthbearer.sasl.oauthbearer.expected.audience", t.audience.value},
        {"oauthbearer.sasl.oauthbearer.expected.issuer", t.issuer ? t.issuer->value : ""},
    };
}

Settings token_broker_settings(const Kafka& kafka, std::string_view listener,
                               std::string_view mechanisms, std::string_view ca_file) {
    Settings out = token_listener_settings(kafka, mechanisms, ca_file);
    for (auto& [key, value] : out) {
        key = fmt::format("listener.name.{}.{}", listener, key);
    }
    return out;
}

std::string token_broker_jvm_option(const Kafka& kafka) {
    return fmt::format("-D{}={}", k_allowed_urls_property, token_options(kafka).jwks_url.value);
}

const Service* apply_job_service(const Topology& t) {
    if (!t.kafka || !t.kafka->apply_job) {
        return nullptr;
    }
    const std::string& ref = t.kafka->apply_job->service.value;
    for (const Service& s : t.services) {
        if (ref == s.ns.value + "/" + s.name.value) {
            return &s;
        }
    }
    return nullptr;
}

void resolve_apply_job(Topology& t) {
    if (const Service* s = apply_job_service(t)) {
        t.kafka->apply_job->ns = s->ns.value;
        t.kafka->apply_job->service_account = s->account();
    }
}

}  // namespace km::model
