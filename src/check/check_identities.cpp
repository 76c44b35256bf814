// Identities and their Kafka users: agreement within an identity, uniqueness across identities,
// and the limits of the destinations (KafkaUser names, TLS common names).
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "check/checks.h"
#include "model/identities.h"
#include "util/strings.h"

namespace km::check {
namespace {

bool same_quotas(const model::Quotas& a, const model::Quotas& b) {
    auto rate = [](const std::optional<model::ConfigValue>& v) {
        return v ? v->text : std::string();
    };
    return a.producer_byte_rate == b.producer_byte_rate &&
           a.consumer_byte_rate == b.consumer_byte_rate &&
           a.request_percentage == b.request_percentage &&
           rate(a.controller_mutation_rate) == rate(b.controller_mutation_rate);
}

/// A user derived from a namespace or name the parser already reported (missing or malformed)
/// would only repeat that error under another code.
bool derived_from_invalid(const model::IdentityInfo& id) {
    if (id.user_source) {
        return false;
    }
    return std::any_of(id.services.begin(), id.services.end(), [](const model::Service* s) {
        return !s->ns.usable() ||
               (s->service_account ? !s->service_account->usable() : !s->name.usable());
    });
}

diag::Location user_location(const model::IdentityInfo& id) {
    return id.user_source ? id.user_source->location : id.services.front()->name.location;
}

}  // namespace

void check_identities(const model::Topology& t, diag::DiagnosticSink& sink) {
    bool mesh_auth = t.kafka && t.kafka->authentication == model::Authentication::mesh;
    std::map<std::string, const model::IdentityInfo*> by_user;
    std::vector<model::IdentityInfo> identities = model::collect_identities(t);
    for (const model::IdentityInfo& id : identities) {
        for (const model::Service* s : id.services) {
            if (s->user && s->user->value != id.user) {
                auto& d = sink.report(
                    diag::Code::KM321, s->user->location,
                    fmt::format(
                        "service '{}' sets user '{}', but identity '{}' already has user '{}'",
                        s->name.value, s->user->value, id.key, id.user));
                diag::add_note(d, id.user_source->location, "the identity's user is set here");
                diag::add_help(d, "services that share a service account share one Kafka user");
            }
            if (s->quotas && id.quotas && &*s->quotas != id.quotas &&
                !same_quotas(*s->quotas, *id.quotas)) {
                auto& d = sink.report(
                    diag::Code::KM321, s->quotas->location,
                    fmt::format("service '{}' sets other quotas than identity '{}' already has",
                                s->name.value, id.key));
                diag::add_note(d, id.quotas->location, "the identity's quotas are set here");
            }
        }
        if (derived_from_invalid(id)) {
            continue;
        }
        if (id.user.size() > 64) {
            sink.report(diag::Code::KM315, user_location(id),
                        fmt::format("Kafka user '{}' of identity '{}' is {} characters long; at "
                                    "most 64 are allowed",
                                    id.user, id.key, id.user.size()));
        } else if (!util::is_dns_subdomain(id.user)) {
            auto& d =
                sink.report(diag::Code::KM205, user_location(id),
                            fmt::format("Kafka user '{}' is not a valid KafkaUser name", id.user));
            diag::add_help(d, "use lowercase letters, digits, '-' and '.'");
        }
        if (mesh_auth && id.user_source && id.user != id.ns + "-" + id.service_account) {
            auto& d =
                sink.report(diag::Code::KM205, id.user_source->location,
                            fmt::format("with authentication 'mesh' the Kafka user is '{}-{}'",
                                        id.ns, id.service_account));
            diag::add_help(d, "the mesh identity names the user; remove 'user'");
        }
        auto [it, inserted] = by_user.emplace(id.user, &id);
        if (!inserted) {
            auto& d =
                sink.report(diag::Code::KM306, user_location(id),
                            fmt::format("identities '{}' (service '{}') and '{}' (service '{}') "
                                        "both map to Kafka user '{}'",
                                        it->second->key, it->second->services.front()->name.value,
                                        id.key, id.services.front()->name.value, id.user));
            diag::add_note(d, user_location(*it->second), "the other identity is declared here");
        }
    }
}

}  // namespace km::check
