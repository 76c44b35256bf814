#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "emit/emit.h"
#include "live/drift.h"
#include "live/import_recipes.h"
#include "live/import_steps.h"

namespace km::live {
namespace {

using emit::Value;

/// A quota as the topology types it, or nothing when it cannot be written there. Kafka keeps quotas
/// as doubles and prints them with Java's Double.toString ("1048576.0", "1.048576E7"); KafkaUser
/// quotas are YAML numbers ("0.5" for controllerMutationRate). Byte rates and requestPercentage are
/// integers in the schema, controllerMutationRate is any number.
std::optional<Value> quota_value(const std::string& text, bool integer_only) {
    double v = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, v);
    if (ec != std::errc{} || ptr != end || !std::isfinite(v) || v < 0) {
        return std::nullopt;
    }
    if (v == std::floor(v) && v < 9007199254740992.0) {
        return Value::number(fmt::format("{:.0f}", v));
    }
    if (integer_only) {
        return std::nullopt;
    }
    return Value::number(fmt::format("{}", v));
}

/// The fields that name the service and its credentials: name, namespace, serviceAccount, user,
/// authentication and password.
Value service_fields(const ServiceOut& s, const Listener& listener, const Identities& ids,
                     const LiveState& state) {
    const LivePrincipal& p = *s.principal;
    std::string user = kafka_user_name(p, listener.tls);
    Value v = Value::mapping();
    v.set("name", Value::string(s.name));
    v.set("namespace", Value::string(s.ns));
    const Value* sa = s.value.find("serviceAccount");
    if (sa) {
        v.set("serviceAccount", *sa);
    }
    if (s.unresolved || user != s.ns + "-" + (sa ? sa->text() : s.name)) {
        v.set("user", Value::string(user));
    }
    if (p.authentication == "tls" && !listener.tls) {
        // A tls KafkaUser of a cluster whose client listener is not tls keeps its
        // certificate and its User:CN=<user> ACLs.
        v.set("authentication", Value::string("tls"));
    }
    if (p.from_kafka_user && p.authentication == "scram-sha-512") {
        // The password the user has now: the Secret its KafkaUser names, else the one the
        // User Operator wrote, <secretPrefix><user> with the key `password`
        // (strimzi-kafka-operator 1.2.0, KafkaUserModel.getSecretName and KEY_PASSWORD).
        std::string prefix = ids.bitnami_release ? std::string(emit::k_user_secret_prefix)
                             : state.kafka       ? state.kafka->user_secret_prefix
                                                 : "";
        Value password = Value::mapping();
        password.set("secret",
                     Value::string(p.password_secret.empty() ? prefix + user : p.password_secret));
        if (!p.password_key.empty() && p.password_key != "password") {
            password.set("key", Value::string(p.password_key));
        }
        v.set("password", std::move(password));
    }
    return v;
}

/// KM710: an ACL restricted to a host, which a topology cannot write.
void report_host_acl(const LiveAcl& acl, const LivePrincipal& p, diag::DiagnosticSink& sink) {
    // The User Operator sets a user's ACLs to exactly its KafkaUser's
    // (strimzi-kafka-operator 1.2.0, SimpleAclOperator reconcile): one the topology
    // cannot write is removed on the first apply.
    auto& d = sink.report(
        diag::Code::KM710, acl.location,
        fmt::format("{} for '{}' is restricted to host {}; behind a sidecar every "
                    "client connects from 127.0.0.6, so a topology grants on every "
                    "host. It is not imported: once the topology is applied, '{}' "
                    "{} {} on {} '{}' from {}",
                    acl_text(acl), p.principal, acl.host, p.principal,
                    acl.effect == model::Effect::allow ? "loses" : "is no longer denied",
                    model::operation_name(acl.operation), model::resource_type_name(acl.type),
                    acl.name, acl.host));
    diag::add_help(d,
                   "grant it on every host in a role if the user still needs it; "
                   "the imported topology acknowledges the gap so that drift "
                   "stays clean");
}

/// The principal's ACLs to express; those restricted to a host are reported and go to `lost`.
Grants gather_grants(ServiceOut& s, std::vector<std::string>& lost, diag::DiagnosticSink& sink) {
    const LivePrincipal& p = *s.principal;
    Grants g;
    for (const LiveAcl& acl : p.acls) {
        if (acl.host != "*") {
            report_host_acl(acl, p, sink);
            s.comments.push_back(fmt::format("KM710: not imported: {}", acl_text(acl)));
            lost.push_back(acl_text(acl));
            continue;
        }
        auto key = std::make_tuple(acl.type, acl.pattern, acl.name);
        (acl.effect == model::Effect::allow ? g.allow : g.deny)[key].insert(acl.operation);
    }
    return g;
}

/// The grants as the recipes a topology has, the rest as the service's own role.
void express_grants(Grants& g, ServiceOut& s) {
    express_connect(g, s);
    bool streams = s.value.find("kind") == nullptr && express_streams(g, s);
    bool connect = s.value.find("kind") && s.value.find("kind")->text() == "connect";
    if (connect && !s.unresolved && !s.value.find("serviceAccount")) {
        // A Connect service's service account has a default of its own on Strimzi
        // (<name>-connect): the one the cluster admits is written out, so the identity
        // stays the same whatever the distribution.
        s.value.set("serviceAccount", Value::string(s.name));
    }
    if (!connect) {
        express_topics(g, s, streams);
    }
    std::string role_name = sanitised_label(s.ns + "-" + s.name + "-imported");
    s.role = role_of(g, s, role_name);
    if (s.role) {
        Value& roles = s.value.set("roles", Value::sequence());
        roles.push(Value::string(role_name));
    }
}

/// The user's quotas as the topology's fields; one it cannot write is noted.
void express_quotas(const LiveQuotas& live, ServiceOut& s) {
    static const std::pair<const char*, const char*> keys[] = {
        {"producer_byte_rate", "producerByteRate"},
        {"consumer_byte_rate", "consumerByteRate"},
        {"request_percentage", "requestPercentage"},
        {"controller_mutation_rate", "controllerMutationRate"},
    };
    Value quotas = Value::mapping();
    for (auto [kafka_key, field] : keys) {
        auto q = live.values.find(kafka_key);
        if (q == live.values.end()) {
            continue;
        }
        std::optional<Value> v =
            quota_value(q->second, std::string_view(field) != "controllerMutationRate");
        if (v) {
            quotas.set(field, std::move(*v));
        } else {
            s.comments.push_back(fmt::format("not imported: quota {}={}", kafka_key, q->second));
        }
    }
    for (const auto& quota : live.values) {
        const std::string& k = quota.first;
        if (std::none_of(std::begin(keys), std::end(keys),
                         [&](const auto& e) { return k == e.first; })) {
            s.comments.push_back(fmt::format("not imported: quota {}={}", k, quota.second));
        }
    }
    if (!quotas.empty()) {
        s.value.set("quotas", std::move(quotas));
    }
}

/// One entry of the service's `acknowledge` list, which it starts when there is none.
void acknowledge(ServiceOut& s, const char* code, std::string reason) {
    Value* acks = s.value.find("acknowledge");
    if (acks == nullptr) {
        acks = &s.value.set("acknowledge", Value::sequence());
    }
    Value a = Value::mapping();
    a.set("code", Value::string(code));
    a.set("reason", Value::string(std::move(reason)));
    acks->push(std::move(a));
}

/// Acknowledged: drift then does not report these ACLs, and the gap stays written.
void acknowledge_lost(const std::vector<std::string>& lost, ServiceOut& s) {
    for (const std::string& text : lost) {
        acknowledge(s, "KM710",
                    fmt::format("not imported: {}; applying the topology removes it", text));
    }
}

/// A group several users read in the running cluster is one group they share: the imported
/// topology writes it out for each and accepts the sharing (KM349), as the cluster has it.
void acknowledge_shared(ServiceOut& s) {
    for (const std::string& group : s.shared_written) {
        acknowledge(s, "KM349",
                    fmt::format("imported: the running cluster lets {} read group '{}' too",
                                fmt::join(s.shared_groups.at(group), ", "), group));
    }
}

/// For each service, the literal groups its principal reads that other principals read too.
void find_shared_groups(std::vector<ServiceOut>& services) {
    std::map<std::string, std::set<std::string>> readers;  ///< group -> user names
    auto reads = [](const LiveAcl& acl) {
        return acl.type == model::ResourceType::group && acl.host == "*" &&
               acl.pattern == model::PatternType::literal && acl.effect == model::Effect::allow &&
               (acl.operation == model::Operation::Read || acl.operation == model::Operation::All);
    };
    for (const ServiceOut& s : services) {
        for (const LiveAcl& acl : s.principal->acls) {
            if (reads(acl)) {
                readers[acl.name].insert(s.principal->principal);
            }
        }
    }
    for (ServiceOut& s : services) {
        for (const LiveAcl& acl : s.principal->acls) {
            auto it = readers.find(acl.name);
            if (!reads(acl) || it->second.size() < 2 || s.shared_groups.contains(acl.name)) {
                continue;
            }
            std::vector<std::string>& others = s.shared_groups[acl.name];
            for (const std::string& user : it->second) {
                if (user != s.principal->principal) {
                    others.push_back(user);
                }
            }
        }
    }
}

}  // namespace

WrittenServices express_services(const LiveState& state, const Listener& listener,
                                 const Identities& ids, std::vector<ServiceOut>& services,
                                 diag::DiagnosticSink& sink) {
    WrittenServices written;
    find_shared_groups(services);
    for (ServiceOut& s : services) {
        s.value = service_fields(s, listener, ids, state);
        std::vector<std::string> lost;  ///< host-restricted ACLs, acknowledged below
        Grants g = gather_grants(s, lost, sink);
        express_grants(g, s);
        if (s.principal->quotas) {
            express_quotas(*s.principal->quotas, s);
        }
        acknowledge_lost(lost, s);
        acknowledge_shared(s);
        if (!s.comments.empty()) {
            s.value.comment(fmt::format("{}", fmt::join(s.comments, "\n")));
        }
        written.literal_topics.insert(s.literal_topics.begin(), s.literal_topics.end());
        written.by_ns[s.ns].push_back(&s);
    }
    return written;
}

}  // namespace km::live
