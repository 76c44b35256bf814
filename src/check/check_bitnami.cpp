#include "check/check_bitnami.h"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>

#include "model/bitnami_users.h"

namespace km::check {
namespace {

void check_authentication(const model::Kafka& k, diag::DiagnosticSink& sink) {
    if (k.authentication == model::Authentication::scram_sha_512) {
        return;
    }
    bool tls = k.authentication == model::Authentication::tls;
    auto& d =
        sink.report(diag::Code::KM503,
                    k.authentication_location.known() ? k.authentication_location : k.location,
                    fmt::format("authentication '{}' is not available with distribution 'bitnami'",
                                tls ? "tls" : "mesh"));
    diag::add_help(d,
                   "use 'scram-sha-512': the chart's SASL_PLAINTEXT listeners run inside the "
                   "mesh's mTLS and Kafka sees each client as User:<user>");
}

bool has_template_delimiter(std::string_view s) {
    return s.find("{{") != std::string_view::npos || s.find("}}") != std::string_view::npos;
}

void report_template(const model::Text& where_text, std::string_view what,
                     diag::DiagnosticSink& sink) {
    auto& d = sink.report(diag::Code::KM506, where_text.location,
                          fmt::format("{} '{}' holds '{{{{' or '}}}}', which the Bitnami chart "
                                      "would run as a Helm template",
                                      what, where_text.value));
    diag::add_note(d, {},
                   "the chart renders overrideConfiguration and the pod annotations with tpl "
                   "(bitnami/common _tplvalues.tpl) whenever a value contains '{{'");
    diag::add_help(d, "remove the braces; no Kafka setting needs them");
}

/// Every topology string that reaches a chart value the chart passes through `tpl`: broker
/// settings (controller-eligible/configmap.yaml renders overrideConfiguration, then each value)
/// and the pod annotations (the kafka_broker proxy image).
void check_chart_templates(const model::Topology& t, diag::DiagnosticSink& sink) {
    for (const model::ConfigEntry& e : t.kafka->config) {
        if (has_template_delimiter(e.key.value)) {
            report_template(e.key, "broker setting", sink);
        }
        if (has_template_delimiter(e.value.text)) {
            report_template(model::Text{e.value.text, e.value.location},
                            fmt::format("value of broker setting '{}'", e.key.value), sink);
        }
    }
    if (t.mesh.filters && t.mesh.filters->kafka_metrics_proxy_image &&
        has_template_delimiter(t.mesh.filters->kafka_metrics_proxy_image->value)) {
        report_template(*t.mesh.filters->kafka_metrics_proxy_image, "proxy image", sink);
    }
}

void check_users(const model::Topology& t, const graph::AccessGraph& g,
                 diag::DiagnosticSink& sink) {
    for (const graph::Identity& id : g.identities) {
        // An identity named like one of the chart's users would share its credentials.
        bool reserved = std::find(model::k_bitnami_reserved_users.begin(),
                                  model::k_bitnami_reserved_users.end(),
                                  id.user) != model::k_bitnami_reserved_users.end();
        if (!reserved) {
            continue;
        }
        diag::Location where;
        for (const model::Service& s : t.services) {
            if (s.ns.value == id.ns && s.account() == id.service_account) {
                where = s.user ? s.user->location : s.location;
                break;
            }
        }
        auto& d = sink.report(
            diag::Code::KM502, where,
            fmt::format("Kafka user '{}' of identity '{}' is reserved by the Bitnami chart target",
                        id.user, id.key));
        diag::add_help(d, fmt::format("'{}' runs the User and Topic Operators, 'inter_broker_user' "
                                      "and 'controller_user' run the cluster; set another 'user'",
                                      model::k_bitnami_admin_user));
    }
}

}  // namespace

void check_bitnami(const model::Topology& t, const graph::AccessGraph& g,
                   diag::DiagnosticSink& sink) {
    if (!t.kafka || t.kafka->distribution != model::Distribution::bitnami) {
        return;
    }
    check_authentication(*t.kafka, sink);
    check_users(t, g, sink);
    check_chart_templates(t, sink);
}

}  // namespace km::check
