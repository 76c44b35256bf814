#include "check/check_bitnami.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "model/bitnami_users.h"

namespace km::check {
namespace {

/// A service's own authentication: the chart's listeners take SCRAM alone.
void check_service_authentication(const model::Topology& t, diag::DiagnosticSink& sink) {
    for (const model::Service& s : t.services) {
        if (s.authentication && *s.authentication != model::Authentication::scram_sha_512) {
            auto& d = sink.report(diag::Code::KM503, s.authentication_location,
                                  fmt::format("service '{}/{}': authentication 'tls' is not "
                                              "available with distribution 'bitnami'",
                                              s.ns.value, s.name.value));
            diag::add_help(d, "remove it: every Bitnami user is a scram-sha-512 user");
        }
    }
}

void check_authentication(const model::Kafka& k, diag::DiagnosticSink& sink) {
    if (k.authentication == model::Authentication::scram_sha_512 ||
        k.authentication == model::Authentication::service_account_token) {
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

/// Why Java's Pattern.compile refuses `p`, or "" when the structure is sound: unbalanced groups,
/// an unclosed class, a quantifier with nothing to repeat, a malformed {n,m}, an unknown group
/// construct or escape, a trailing backslash (java.util.regex.Pattern's syntax). Not every
/// refusal of Java is found, but those are what a hand-written pattern gets wrong.
std::string java_pattern_error(std::string_view p) {
    static const std::string_view escapes = "tnrfaecdDsSwWbBAGZzQEpPhHvVRXkNux0123456789";
    int depth = 0;
    bool atom = false;  // something a quantifier may repeat precedes
    for (std::size_t i = 0; i < p.size(); ++i) {
        char ch = p[i];
        if (ch == '\\') {
            if (i + 1 == p.size()) {
                return "a trailing '\\'";
            }
            char next = p[++i];
            bool letter = (next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z');
            if (letter && escapes.find(next) == std::string_view::npos) {
                return fmt::format("the unknown escape '\\{}'", next);
            }
            if (next == 'Q') {
                std::size_t end = p.find("\\E", i + 1);
                i = end == std::string_view::npos ? p.size() : end + 1;
            }
            atom = true;
        } else if (ch == '[') {
            std::size_t j = i + 1;
            j += j < p.size() && p[j] == '^' ? 1 : 0;
            j += j < p.size() && p[j] == ']' ? 1 : 0;  // a leading ']' is literal
            int nested = 1;
            for (; j < p.size() && nested > 0; ++j) {
                if (p[j] == '\\') {
                    ++j;
                } else if (p[j] == '[') {
                    ++nested;
                } else if (p[j] == ']') {
                    --nested;
                }
            }
            if (nested > 0) {
                return "an unclosed character class '['";
            }
            i = j - 1;
            atom = true;
        } else if (ch == '(') {
            if (i + 1 < p.size() && p[i + 1] == '?') {
                std::string_view known = ":=!<>imsuxdU-";
                if (i + 2 >= p.size() || known.find(p[i + 2]) == std::string_view::npos) {
                    return "an unknown group construct '(?'";
                }
                ++i;
            }
            ++depth;
            atom = false;
        } else if (ch == ')') {
            if (--depth < 0) {
                return "an unmatched ')'";
            }
            atom = true;
        } else if (ch == '|') {
            atom = false;
        } else if (ch == '*' || ch == '+' || ch == '?') {
            if (!atom) {
                return fmt::format("'{}' with nothing to repeat", ch);
            }
            // A lazy or possessive suffix may follow; then nothing more.
            if (i + 1 < p.size() && (p[i + 1] == '?' || p[i + 1] == '+')) {
                ++i;
            }
            atom = false;
        } else if (ch == '{') {
            std::size_t close = p.find('}', i);
            std::string_view body =
                close == std::string_view::npos ? "" : p.substr(i + 1, close - i - 1);
            std::size_t comma = body.find(',');
            auto digits = [](std::string_view d, bool empty_ok) {
                return (empty_ok || !d.empty()) &&
                       d.find_first_not_of("0123456789") == std::string_view::npos;
            };
            bool counted =
                digits(body.substr(0, comma), false) &&
                (comma == std::string_view::npos || digits(body.substr(comma + 1), true));
            if (!atom || !counted) {
                return "a '{' that is not a repetition {n}, {n,} or {n,m}";
            }
            i = close;
            atom = false;
        } else {
            atom = true;
        }
    }
    return depth > 0 ? "an unclosed group '('" : "";
}

/// What a Bitnami release kafkamesh does not install must say: who the operators log in as, and
/// which users other tools manage. The chart's defaults would have the operators log in with the
/// admin entry of the release's client passwords and then remove every user of the cluster that
/// no KafkaUser and no ignored pattern names (KM507). The pattern must compile in Java, or the
/// User Operator stops at start (strimzi-kafka-operator 1.2.0, ConfigParameterParser.PATTERN:
/// Pattern.compile, InvalidConfigurationException) (KM508).
void check_adopted_release(const model::Kafka& k, diag::DiagnosticSink& sink) {
    const std::optional<model::BitnamiOptions>& b = k.bitnami;
    if (b && b->ignored_users) {
        std::string why = java_pattern_error(b->ignored_users->value);
        if (!why.empty()) {
            auto& d = sink.report(diag::Code::KM508, b->ignored_users->location,
                                  fmt::format("ignoredUsers '{}' is not a Java regular "
                                              "expression: {}",
                                              b->ignored_users->value, why));
            diag::add_help(d,
                           "the User Operator compiles it with java.util.regex.Pattern at "
                           "start and stops when it cannot");
        }
    }
    if (k.managed) {
        return;
    }
    std::vector<std::string> missing;
    if (!b || !b->admin_user) {
        missing.push_back("admin");
    }
    if (!b || !b->ignored_users) {
        missing.push_back("ignoredUsers");
    }
    if (missing.empty()) {
        return;
    }
    diag::Location at = b && b->location.known()     ? b->location
                        : k.managed_location.known() ? k.managed_location
                                                     : k.location;
    auto& d = sink.report(
        diag::Code::KM507, at,
        fmt::format("a Bitnami release this topology does not install needs kafka.bitnami.{}",
                    fmt::join(missing, " and kafka.bitnami.")));
    diag::add_note(d, {},
                   "without admin, the operators log in as kafkamesh-admin with the release's "
                   "system-user-password; without ignoredUsers, the User Operator removes the "
                   "credentials, ACLs and quotas of every user no KafkaUser declares");
    diag::add_help(d,
                   "name the super user the operators log in as (admin: {user, secret, key}) "
                   "and the users others manage (ignoredUsers, a Java regular expression)");
}

}  // namespace

void check_bitnami(const model::Topology& t, const graph::AccessGraph& g,
                   diag::DiagnosticSink& sink) {
    if (!t.kafka || t.kafka->distribution != model::Distribution::bitnami) {
        return;
    }
    check_authentication(*t.kafka, sink);
    check_service_authentication(t, sink);
    check_adopted_release(*t.kafka, sink);
    check_users(t, g, sink);
    check_chart_templates(t, sink);
}

}  // namespace km::check
