#include "check/check_bitnami.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <tuple>

#include "model/bitnami_users.h"
#include "util/shell.h"

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

void check_acl_names(const graph::AccessGraph& g, diag::DiagnosticSink& sink) {
    std::set<std::tuple<std::string, std::uint32_t, std::uint32_t, std::uint32_t>> seen;
    for (const graph::Identity& id : g.identities) {
        for (const graph::AclEntry& e : id.acls) {
            if (util::is_safe_shell_argument(e.name)) {
                continue;
            }
            diag::Location where =
                e.sources.empty() ? diag::Location{} : e.sources.front().location;
            if (!seen.insert({e.name, where.file, where.line, where.column}).second) {
                continue;
            }
            auto& d = sink.report(
                diag::Code::KM501, where,
                fmt::format("{} name '{}' cannot be written into the provisioning script",
                            model::resource_type_name(e.type), e.name));
            diag::add_help(d, "use printable characters only, and do not start the name with '-'");
        }
    }
}

/// The chart runs each `provisioning.topics` entry as unquoted words: every config key and value
/// must stay one word that means itself.
void check_topic_configs(const model::Topology& t, diag::DiagnosticSink& sink) {
    for (const model::Topic& topic : t.topics) {
        if (topic.external) {
            continue;
        }
        for (const model::ConfigEntry& e : topic.config) {
            bool key_ok = util::is_plain_shell_word(e.key.value);
            if (key_ok && util::is_plain_shell_word(e.value.text)) {
                continue;
            }
            auto& d =
                sink.report(diag::Code::KM501, key_ok ? e.value.location : e.key.location,
                            fmt::format("config '{}' of topic '{}' cannot be passed to the chart's "
                                        "provisioning Job",
                                        e.key.value, topic.name.value));
            diag::add_help(d,
                           "the chart runs topic settings unquoted; use letters, digits and "
                           "._:/=,+@%- only");
        }
    }
}

void check_users(const model::Topology& t, const graph::AccessGraph& g,
                 diag::DiagnosticSink& sink) {
    for (const graph::Identity& id : g.identities) {
        // An identity named like one of the chart's users would share its credentials.
        bool reserved = std::find(model::k_bitnami_reserved_users.begin(),
                                  model::k_bitnami_reserved_users.end(),
                                  id.user) != model::k_bitnami_reserved_users.end();
        if (!reserved && util::is_plain_shell_word(id.user)) {
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
        diag::add_help(d, fmt::format("'{}' provisions topics and ACLs, 'inter_broker_user' and "
                                      "'controller_user' run the cluster; set another 'user'",
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
    check_acl_names(g, sink);
    check_topic_configs(t, sink);
}

}  // namespace km::check
