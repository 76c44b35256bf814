// authentication: service-account-token (topology.md "Kafka"; decisions in
// src/check/DECISIONS.md): the issuer Kafka must expect, the fields a service can no longer set,
// and what a running cluster must be configured with when this topology does not manage it.
#include <fmt/format.h>

#include "check/checks.h"
#include "model/derived.h"
#include "model/service_account_token.h"

namespace km::check {
namespace {

void check_service_fields(const model::Topology& t, diag::DiagnosticSink& sink) {
    for (const model::Service& s : t.services) {
        auto report = [&](const diag::Location& at, std::string_view what, std::string help) {
            auto& d = sink.report(
                diag::Code::KM352, at.known() ? at : s.location,
                fmt::format("service '{}/{}' sets {}, but with service-account tokens its "
                            "principal is User:{}",
                            s.ns.value, s.name.value, what,
                            model::service_account_username(s.ns.value, s.account())));
            diag::add_help(d, std::move(help));
        };
        if (s.user) {
            report(s.user->location, "'user'",
                   "remove it: the token names the service account, not a Kafka user");
        }
        if (s.authentication) {
            report(s.authentication_location, "'authentication'",
                   "remove it: every client presents its service-account token");
        }
        if (s.password_secret) {
            report(s.password_location, "'password'", "remove it: no password exists");
        }
        if (s.quotas) {
            report(s.quotas->location, "'quotas'",
                   "remove them: a quota needs a KafkaUser, which cannot name a service "
                   "account, and kafkamesh apply does not place quotas");
        }
    }
}

/// A cluster that runs already gets the listener and JVM settings reported, like KM330's, one
/// note per setting (a note is one line).
void report_unmanaged(const model::Kafka& k, diag::DiagnosticSink& sink) {
    auto& d =
        sink.report(diag::Code::KM330,
                    k.authentication_location.known() ? k.authentication_location : k.location,
                    "kafka.authentication is not applied: the cluster is not managed by "
                    "this topology");
    diag::add_note(d, {}, "the running cluster must be configured with the settings below");
    for (const auto& [key, value] : model::token_broker_settings(
             k, k.listener(), "OAUTHBEARER", "<PEM file of the API server's CA>")) {
        diag::add_note(d, {}, fmt::format("broker setting {}={}", key, value));
    }
    diag::add_note(d, {}, fmt::format("broker JVM option {}", model::token_broker_jvm_option(k)));
    if (k.distribution == model::Distribution::strimzi) {
        diag::add_note(d, {},
                       "its User Operator must not reconcile these principals: it deletes the "
                       "ACLs of users without a KafkaUser");
    }
}

/// kafka.apply: a Job that can log in (a token) and finish (no classic sidecar keeps it alive).
void check_apply_job(const model::Topology& t, diag::DiagnosticSink& sink) {
    const model::ApplyJob& job = *t.kafka->apply_job;
    if (t.kafka->authentication != model::Authentication::service_account_token) {
        auto& d = sink.report(diag::Code::KM354, job.location,
                              "kafka.apply needs authentication 'service-account-token': the "
                              "Job logs in with its account's token");
        diag::add_help(d, "run kafkamesh apply from CI with a --command-config instead");
    }
    if (!model::apply_job_service(t)) {
        auto& d = sink.report(
            diag::Code::KM354, job.service.location.known() ? job.service.location : job.location,
            fmt::format("kafka.apply.service '{}' names no declared service", job.service.value));
        diag::add_help(d,
                       "name a service as namespace/name; it needs Alter and Describe on the "
                       "cluster, so make it a super user");
    }
    if (t.mesh.dataplane == model::Dataplane::sidecar && !model::native_sidecars(t.mesh)) {
        auto& d = sink.report(diag::Code::KM354, job.location,
                              "the kafka.apply Job would never finish: without native sidecars "
                              "its Istio proxy keeps running after kafkamesh exits");
        diag::add_help(d, "use Istio 1.24 or later with mesh.nativeSidecars left on, or ambient");
    }
}

}  // namespace

void check_token_auth(const model::Topology& t, diag::DiagnosticSink& sink) {
    if (!t.kafka) {
        return;
    }
    const model::Kafka& k = *t.kafka;
    if (k.apply_job) {
        check_apply_job(t, sink);
    }
    if (k.authentication != model::Authentication::service_account_token) {
        if (k.service_account_token) {
            auto& d = sink.report(diag::Code::KM353, k.service_account_token->location,
                                  "kafka.serviceAccountToken is set, but the authentication is "
                                  "not 'service-account-token'");
            diag::add_help(d, "set 'authentication: service-account-token' or remove it");
        }
        return;
    }
    if (!k.service_account_token || !k.service_account_token->issuer) {
        auto& d = sink.report(
            diag::Code::KM351,
            k.service_account_token ? k.service_account_token->location : k.authentication_location,
            "authentication 'service-account-token' needs the issuer of the cluster's tokens");
        diag::add_help(d,
                       "set kafka.serviceAccountToken.issuer to the 'issuer' that "
                       "'kubectl get --raw /.well-known/openid-configuration' prints");
    }
    check_service_fields(t, sink);
    if (!k.managed) {
        report_unmanaged(k, sink);
    }
}

}  // namespace km::check
