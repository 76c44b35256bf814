// Istio policy for every distribution: namespaces, mTLS, L4 authorization and the Kafka
// DestinationRules. AuthorizationPolicies use only L4 fields: an HTTP field in a TCP rule makes
// Istio drop the rule.
#include <fmt/format.h>

#include <set>

#include "emit/emit.h"
#include "emit/mesh_names.h"
#include "model/derived.h"

namespace km::emit {
namespace {

Value port_list(const std::vector<int>& ports) {
    Value list = Value::sequence();
    for (int p : ports) {
        list.push(Value::string(std::to_string(p)));  // AuthorizationPolicy ports are strings
    }
    return list;
}

/// istio.io/dry-run: "true" on every AuthorizationPolicy of a dry run. Istio then builds the
/// policy as a shadow rule that only logs and counts what it would deny (istio/api
/// annotation/annotations.yaml, istio/istio pilot/pkg/security/authz/builder isDryRun; only ALLOW
/// and DENY take it, pkg/config/validation checkDryRunAnnotation).
std::map<std::string, std::string> enforcement_annotations(const model::Mesh& mesh) {
    if (mesh.enforcement != model::Enforcement::dry_run) {
        return {};
    }
    return {{"istio.io/dry-run", "true"}};
}

Value match_labels(const std::map<std::string, std::string>& labels) {
    Value selector = Value::mapping();
    selector.set("matchLabels", string_map(labels));
    return selector;
}

/// One ALLOW rule: `to` these ports, `from` these principals (or from anyone when empty).
Value allow_rule(const std::vector<std::string>& principals, const std::vector<int>& ports) {
    Value rule = Value::mapping();
    if (!principals.empty()) {
        Value& source = rule.set("from", Value::sequence())
                            .push(Value::mapping())
                            .set("source", Value::mapping());
        Value& list = source.set("principals", Value::sequence());
        for (const std::string& p : principals) {
            list.push(Value::string(p));
        }
    }
    rule.set("to", Value::sequence())
        .push(Value::mapping())
        .set("operation", Value::mapping())
        .set("ports", port_list(ports));
    return rule;
}

std::string mtls_mode(model::MtlsMode mode) {
    return mode == model::MtlsMode::strict ? "STRICT" : "PERMISSIVE";
}

std::string mtls_mode(const model::Mesh& mesh) {
    return mtls_mode(mesh.mtls);
}

void emit_namespaces(const EmitContext& c, std::vector<Manifest>& out) {
    const model::Mesh& mesh = c.topology.mesh;
    for (const model::Namespace& ns : c.topology.namespaces) {
        if (!ns.managed) {
            continue;  // it exists and is owned elsewhere: its labels are not ours to set
        }
        std::map<std::string, std::string> labels;
        for (const model::Label& l : ns.labels) {
            labels[l.key.value] = l.value.value;
        }
        if (mesh.dataplane == model::Dataplane::sidecar) {
            // A revision (or revision tag) selects its injector by istio.io/rev; the two labels
            // must not be combined, istio-injection would win.
            if (mesh.revision) {
                labels["istio.io/rev"] = mesh.revision->value;
            } else {
                labels["istio-injection"] = "enabled";
            }
        } else {
            labels["istio.io/dataplane-mode"] = "ambient";
        }
        add_document(c, out, rank::namespace_, "Namespace", "", ns.name.value,
                     base_document(c, "Namespace", ns.name.value, "", labels));
    }
}

void emit_peer_authentications(const EmitContext& c, const MeshNames& names,
                               std::vector<Manifest>& out) {
    const model::Mesh& mesh = c.topology.mesh;
    for (const model::Namespace& ns : c.topology.namespaces) {
        // Only the Kafka namespace receives Kafka traffic; a namespace-wide mode in a client
        // namespace would change every other app there, so it is emitted only when asked.
        bool kafka_ns = ns.name.value == names.kafka_namespace;
        if (!kafka_ns && !ns.mtls) {
            continue;
        }
        Value doc = base_document(c, "PeerAuthentication", "default", ns.name.value);
        doc.set("spec", Value::mapping())
            .set("mtls", Value::mapping())
            .set("mode", Value::string(mtls_mode(ns.mtls.value_or(mesh.mtls))));
        add_document(c, out, rank::peer_authentication, "PeerAuthentication", ns.name.value,
                     "default", std::move(doc));
    }
    if (names.operator_ports.empty()) {
        return;
    }
    // Strimzi guards these ports with its own mTLS; the Cluster Operator outside the mesh must
    // reach them.
    std::string name = c.topology.kafka->name.value + "-internal-ports";
    Value doc = base_document(c, "PeerAuthentication", name, names.kafka_namespace);
    Value& spec = doc.set("spec", Value::mapping());
    spec.set("selector", match_labels(names.broker_labels));
    spec.set("mtls", Value::mapping()).set("mode", Value::string(mtls_mode(mesh)));
    Value& ports = spec.set("portLevelMtls", Value::mapping());
    for (int port : names.operator_ports) {
        ports.set(std::to_string(port), Value::mapping()).set("mode", Value::string("PERMISSIVE"));
    }
    add_document(c, out, rank::peer_authentication, "PeerAuthentication", names.kafka_namespace,
                 name, std::move(doc));
}

void emit_authorization_policies(const EmitContext& c, const MeshNames& names,
                                 std::vector<Manifest>& out) {
    const model::Kafka& kafka = *c.topology.kafka;
    std::set<std::string> principals;
    for (const graph::Identity& id : c.graph.identities) {
        if (id.has_allow() || id.super_user) {
            principals.insert(id.mesh_principal);
        }
    }
    principals.insert(names.extra_client_principals.begin(), names.extra_client_principals.end());
    // One ALLOW policy on the broker pods with a single L4 rule.
    auto broker_allow = [&](const std::string& suffix, const std::vector<std::string>& from,
                            const std::vector<int>& ports) {
        std::string name = kafka.name.value + suffix;
        Value doc = base_document(c, "AuthorizationPolicy", name, names.kafka_namespace, {},
                                  enforcement_annotations(c.topology.mesh));
        Value& spec = doc.set("spec", Value::mapping());
        spec.set("selector", match_labels(names.broker_labels));
        spec.set("action", Value::string("ALLOW"));
        spec.set("rules", Value::sequence()).push(allow_rule(from, ports));
        add_document(c, out, rank::allow_policy, "AuthorizationPolicy", names.kafka_namespace, name,
                     std::move(doc));
    };
    // No admitted identity means no ALLOW rule at all: an ALLOW without principals would admit
    // anyone.
    if (!principals.empty()) {
        broker_allow("-clients", {principals.begin(), principals.end()}, {kafka.listener_port});
    }
    broker_allow("-internal", names.internal_principals, names.internal_ports);
    for (const model::Namespace& ns : c.topology.namespaces) {
        if (c.topology.mesh.enforcement == model::Enforcement::dry_run) {
            break;  // a dry run denies nothing: the ALLOW policies only log what they would deny
        }
        bool kafka_ns = ns.name.value == names.kafka_namespace;
        if (kafka_ns ? c.topology.mesh.default_deny : ns.default_deny) {
            Value doc = base_document(c, "AuthorizationPolicy", "allow-nothing", ns.name.value);
            doc.set("spec", Value::mapping());
            add_document(c, out, rank::allow_nothing, "AuthorizationPolicy", ns.name.value,
                         "allow-nothing", std::move(doc));
        }
    }
}

void emit_destination_rules(const EmitContext& c, const MeshNames& names,
                            std::vector<Manifest>& out) {
    for (const std::string& service : {names.bootstrap_service, names.headless_service}) {
        Value doc = base_document(c, "DestinationRule", service, names.kafka_namespace);
        Value& spec = doc.set("spec", Value::mapping());
        spec.set("host", Value::string(fmt::format("{}.{}.svc.cluster.local", service,
                                                   names.kafka_namespace)));
        Value& policy = spec.set("trafficPolicy", Value::mapping());
        // An explicit ISTIO_MUTUAL keeps headless (per-broker) traffic on mTLS (istio#26235).
        policy.set("tls", Value::mapping()).set("mode", Value::string("ISTIO_MUTUAL"));
        Value& tcp = policy.set("connectionPool", Value::mapping()).set("tcp", Value::mapping());
        Value& keepalive = tcp.set("tcpKeepalive", Value::mapping());
        keepalive.set("time", Value::string("300s"));
        keepalive.set("interval", Value::string("60s"));
        tcp.set("idleTimeout", Value::string(c.topology.mesh.idle_timeout.value));
        add_document(c, out, rank::destination_rule, "DestinationRule", names.kafka_namespace,
                     service, std::move(doc));
    }
}

/// Scopes the proxies of an opted-in namespace to what a Kafka client needs, so they do not
/// carry a listener per broker pod and port of every headless Service in the mesh.
void emit_sidecars(const EmitContext& c, const MeshNames& names, std::vector<Manifest>& out) {
    for (const model::Namespace& ns : c.topology.namespaces) {
        if (!ns.limit_egress || c.topology.mesh.dataplane != model::Dataplane::sidecar) {
            continue;
        }
        Value doc = base_document(c, "Sidecar", "default", ns.name.value);
        Value& hosts = doc.set("spec", Value::mapping())
                           .set("egress", Value::sequence())
                           .push(Value::mapping())
                           .set("hosts", Value::sequence());
        hosts.push(Value::string("./*"));
        for (const std::string& other : {names.kafka_namespace, std::string("istio-system")}) {
            if (other != ns.name.value) {
                hosts.push(Value::string(other + "/*"));
            }
        }
        add_document(c, out, rank::sidecar, "Sidecar", ns.name.value, "default", std::move(doc));
    }
}

}  // namespace

void emit_istio(const EmitContext& c, Groups groups, std::vector<Manifest>& out) {
    if (groups & static_cast<Groups>(Group::namespaces)) {
        emit_namespaces(c, out);
    }
    if (!(groups & static_cast<Groups>(Group::mesh))) {
        return;
    }
    MeshNames names = mesh_names(c.topology);
    emit_peer_authentications(c, names, out);
    emit_authorization_policies(c, names, out);
    emit_destination_rules(c, names, out);
    emit_sidecars(c, names, out);
}

}  // namespace km::emit
