#include <fmt/format.h>

#include "live/drift.h"
#include "live/import_steps.h"
#include "live/replaced_policies.h"
#include "model/bitnami_users.h"
#include "util/strings.h"

namespace km::live {
namespace {

using emit::Value;

std::optional<MeshIdentity> parse_mesh_principal(const std::string& p) {
    std::size_t ns = p.find("/ns/");
    std::size_t sa = p.find("/sa/");
    if (ns == std::string::npos || sa == std::string::npos || sa < ns) {
        return std::nullopt;
    }
    MeshIdentity id{p.substr(0, ns), p.substr(ns + 4, sa - ns - 4), p.substr(sa + 4)};
    if (!util::is_dns_label(id.ns) || id.sa.empty() || id.sa.find('/') != std::string::npos) {
        return std::nullopt;
    }
    return id;
}

std::string principal_of(const MeshIdentity& id) {
    return fmt::format("{}/ns/{}/sa/{}", id.trust_domain, id.ns, id.sa);
}

/// Bitnami's reconciler: the standalone Strimzi User and Topic Operators that kafkamesh runs
/// next to the chart are admitted on the client port as <fullname>-user-operator and
/// <fullname>-topic-operator in the Kafka namespace (model/mesh_names.cpp). Both admitted and
/// no Kafka resource: the cluster is a Bitnami release of that full name, which explains them.
void find_bitnami_release(const LiveState& state, const Listener& listener, Identities& ids) {
    if (state.kafka && !state.kafka->name.empty()) {
        return;
    }
    for (const std::string& p : ids.admitted) {
        std::optional<MeshIdentity> id = parse_mesh_principal(p);
        if (!id || id->ns != listener.kafka_ns ||
            !id->sa.ends_with(model::k_user_operator_suffix)) {
            continue;
        }
        std::string fullname =
            id->sa.substr(0, id->sa.size() - model::k_user_operator_suffix.size());
        std::string topic_operator = fmt::format("{}/ns/{}/sa/{}{}", id->trust_domain, id->ns,
                                                 fullname, model::k_topic_operator_suffix);
        if (ids.admitted.contains(topic_operator)) {
            ids.explained.insert(p);
            ids.explained.insert(topic_operator);
            // The chart's full name is the release, with "-kafka" appended unless the
            // release holds "kafka" (bitnami/common _names.tpl, model::bitnami_fullname).
            ids.bitnami_release =
                fullname.ends_with("-kafka") ? fullname.substr(0, fullname.size() - 6) : fullname;
            return;
        }
    }
}

/// A user the <ns>-<sa> convention does not explain may still match a principal whose service
/// account is named like the user, in the namespace of the user's KafkaAccess documents when
/// there are any, if exactly one unclaimed admitted principal does.
std::vector<MeshIdentity> by_service_account(const LiveState& state, const Identities& ids,
                                             const std::string& user) {
    auto access = state.access_namespaces.find(user);
    std::vector<MeshIdentity> out;
    for (const std::string& a : ids.admitted) {
        auto id = parse_mesh_principal(a);
        if (!id || id->sa != user || ids.claimed.contains(a)) {
            continue;
        }
        if (access != state.access_namespaces.end() && !access->second.contains(id->ns)) {
            continue;
        }
        out.push_back(*id);
    }
    return out;
}

/// KM711: a principal that is not User:<name>, whose ACLs a topology cannot write.
void report_foreign_principal(const std::string& name, const LivePrincipal& p,
                              diag::DiagnosticSink& sink, std::vector<std::string>& comments) {
    if (p.acls.empty()) {
        return;
    }
    sink.report(diag::Code::KM711, p.location,
                fmt::format("{} ACLs for principal '{}': a topology grants "
                            "to User: principals of its services only; "
                            "they are not imported",
                            p.acls.size(), name));
    comments.push_back(
        fmt::format("KM711: {} ACLs for principal '{}' are not imported", p.acls.size(), name));
}

/// The service of a user no single admitted identity matches: a placeholder namespace, and
/// KM713 saying why.
void leave_unresolved(ServiceOut& s, const std::string& user, bool none_matched,
                      diag::DiagnosticSink& sink) {
    s.unresolved = true;
    s.ns = k_placeholder_ns;
    s.name = sanitised_label(user);
    s.user = user;
    std::string why = none_matched ? "no principal of the client AuthorizationPolicies is "
                                     "<trustDomain>/ns/<ns>/sa/<sa> with <ns>-<sa> or <sa> = the "
                                     "user"
                                   : "more than one principal of the client AuthorizationPolicies "
                                     "matches it";
    auto& d = sink.report(diag::Code::KM713, s.principal->location,
                          fmt::format("Kafka user '{}': its mesh identity cannot be "
                                      "determined ({}); it is written in namespace '{}'",
                                      user, why, k_placeholder_ns));
    diag::add_help(d, "set the service's namespace and serviceAccount in the topology");
    s.comments.push_back(
        fmt::format("KM713: the mesh identity of Kafka user '{}' is unknown: set namespace and "
                    "serviceAccount",
                    user));
}

/// The service of one User: principal, named after the identity the client policies admit.
ServiceOut service_of(const LiveState& state, const Listener& listener, Identities& ids,
                      const LivePrincipal& p, diag::DiagnosticSink& sink) {
    ServiceOut s;
    s.principal = &p;
    std::string user = kafka_user_name(p, listener.tls);
    auto it = ids.by_user.find(user);
    std::vector<MeshIdentity> match =
        it != ids.by_user.end() ? it->second : by_service_account(state, ids, user);
    if (match.size() != 1) {
        leave_unresolved(s, user, match.empty(), sink);
        return s;
    }
    s.ns = match[0].ns;
    s.name = match[0].sa;
    ids.explained.insert(principal_of(match[0]));
    if (!util::is_dns_label(s.name)) {
        s.value.set("serviceAccount", Value::string(s.name));
        s.name = sanitised_label(s.name);
    }
    return s;
}

}  // namespace

Listener read_listener(const LiveState& state) {
    Listener l;
    l.kafka_ns = state.kafka && !state.kafka->ns.empty() ? state.kafka->ns : "kafka";
    l.kafka_name = state.kafka && !state.kafka->name.empty() ? state.kafka->name : "kafka";
    // Without a Kafka resource, the one cluster every KafkaUser and KafkaTopic is labelled with.
    l.labelled = (!state.kafka || state.kafka->name.empty()) && state.cluster_labels.size() == 1;
    if (l.labelled) {
        l.kafka_ns = state.cluster_labels.begin()->first;
        l.kafka_name = state.cluster_labels.begin()->second;
    }
    l.authentication = state.kafka ? state.kafka->authentication : "";
    l.tls = l.authentication == "tls";
    l.port = std::to_string(state.kafka ? state.kafka->listener_port : 9092);
    return l;
}

void report_policies(const LiveState& state, const Listener& listener, diag::DiagnosticSink& sink,
                     std::vector<std::string>& comments) {
    for (const LivePolicy& p : state.policies) {
        if (p.ns != listener.kafka_ns || p.action != "ALLOW" || p.selector.empty() ||
            !p.ports.contains(listener.port)) {
            continue;
        }
        for (const PolicyFinding& f : p.unsupported) {
            auto& d = sink.report(diag::Code::KM712, f.location,
                                  fmt::format("AuthorizationPolicy {}/{}: {} cannot be expressed "
                                              "in a topology; it is not imported",
                                              p.ns, p.name, f.what));
            diag::add_help(d, "a topology admits mesh principals on the listener port, L4 only");
            comments.push_back(fmt::format("KM712: AuthorizationPolicy {}/{}: {} is not imported",
                                           p.ns, p.name, f.what));
        }
    }
    for (std::string& c : name_replaced_policies(state, listener.kafka_ns, listener.port,
                                                 sanitised_label(listener.kafka_name), sink)) {
        comments.push_back(std::move(c));
    }
}

Identities map_identities(const LiveState& state, const Listener& listener) {
    Identities ids;
    ids.admitted = client_policy_principals(state, listener.kafka_ns, listener.port);
    for (const std::string& p : ids.admitted) {
        if (auto id = parse_mesh_principal(p)) {
            ids.by_user[id->ns + "-" + id->sa].push_back(*id);
            ids.trust_domains.insert(id->trust_domain);
        }
    }
    find_bitnami_release(state, listener, ids);
    // Users the <ns>-<sa> convention explains claim their principal first.
    for (const auto& [name, p] : state.principals) {
        auto it = ids.by_user.find(kafka_user_name(p, listener.tls));
        if (it != ids.by_user.end() && it->second.size() == 1) {
            ids.claimed.insert(principal_of(it->second[0]));
        }
    }
    return ids;
}

std::vector<ServiceOut> name_services(const LiveState& state, const Listener& listener,
                                      Identities& ids, diag::DiagnosticSink& sink,
                                      std::vector<std::string>& comments) {
    std::vector<ServiceOut> services;
    for (const auto& [name, p] : state.principals) {
        if (name.rfind("User:", 0) != 0 || name == "User:*") {
            report_foreign_principal(name, p, sink, comments);
            continue;
        }
        services.push_back(service_of(state, listener, ids, p, sink));
    }
    // Service names unique per namespace: an unresolved name may meet a resolved one.
    std::set<std::pair<std::string, std::string>> taken;
    for (ServiceOut& s : services) {
        std::string base = s.name;
        for (int n = 2; !taken.insert({s.ns, s.name}).second; ++n) {
            s.name = fmt::format("{}-{}", base, n);
        }
    }
    return services;
}

void report_unexplained(const LiveState& state, const Identities& ids, diag::DiagnosticSink& sink,
                        std::vector<std::string>& comments) {
    for (const std::string& p : ids.admitted) {
        if (ids.explained.contains(p)) {
            continue;
        }
        const LivePolicy* from = nullptr;
        for (const LivePolicy& pol : state.policies) {
            if (pol.principals.contains(p)) {
                from = &pol;
                break;
            }
        }
        sink.report(diag::Code::KM714, from ? from->location : diag::Location{},
                    fmt::format("principal '{}' is admitted to the brokers but no Kafka user "
                                "is <ns>-<sa> of it; it is not imported",
                                p));
        comments.push_back(
            fmt::format("KM714: '{}' is admitted to the brokers, but no Kafka user matches it", p));
    }
}

std::string kafka_user_name(const LivePrincipal& p, bool tls) {
    if (!p.user.empty()) {
        return p.user;
    }
    std::string name = p.principal.substr(5);
    if (tls && name.rfind("CN=", 0) == 0) {
        return name.substr(3);
    }
    return name;
}

std::string sanitised_label(const std::string& text) {
    std::string out;
    for (char c : text) {
        char l = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        bool ok = (l >= 'a' && l <= 'z') || (l >= '0' && l <= '9');
        if (ok) {
            out += l;
        } else if (!out.empty() && out.back() != '-') {
            out += '-';
        }
    }
    while (!out.empty() && out.back() == '-') {
        out.pop_back();
    }
    if (out.size() > 63) {
        out.resize(63);
    }
    while (!out.empty() && out.back() == '-') {
        out.pop_back();
    }
    return out.empty() ? "user" : out;
}

}  // namespace km::live
