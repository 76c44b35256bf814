// Istio policy for every distribution: namespaces, mTLS, L4 authorization and the Kafka
// DestinationRules. AuthorizationPolicies use only L4 fields: an HTTP field in a TCP rule makes
// Istio drop the rule.
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>

#include "emit/emit.h"
#include "emit/mesh_names.h"
#include "model/derived.h"
#include "util/strings.h"

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

/// One ALLOW rule: `to` these ports, `from` a source whose `key` (principals or
/// notPrincipals) lists these values. Every rule names its sources: a rule without `from`
/// would admit any peer, in the mesh or not.
Value allow_rule(const std::string& key, const std::vector<std::string>& values,
                 const std::vector<int>& ports) {
    Value rule = Value::mapping();
    Value& source =
        rule.set("from", Value::sequence()).push(Value::mapping()).set("source", Value::mapping());
    Value& list = source.set(key, Value::sequence());
    for (const std::string& v : values) {
        list.push(Value::string(v));
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

/// The mTLS mode a namespace ends up with: its own `mtls`, else the mesh's.
model::MtlsMode effective_mtls(const model::Topology& t, const std::string& ns) {
    for (const model::Namespace& n : t.namespaces) {
        if (n.name.value == ns && n.mtls) {
            return *n.mtls;
        }
    }
    return t.mesh.mtls;
}

/// A workload PeerAuthentication that makes `ports` PERMISSIVE and nothing else: `spec.mtls` is
/// left unset, so the workload keeps the mode of its namespace (or mesh) policy ("If not defined,
/// inherit from parent", istio/api security/v1beta1/peer_authentication.proto, `mtls`; istio/istio
/// pilot/pkg/security/authn/policy_applier.go, ComposePeerAuthentication, overrides only a mode
/// that is set). A workload mode would override a PERMISSIVE namespace and tighten its Kafka port.
/// Ambient honours the same inheritance (convertPeerAuthentication in
/// pilot/pkg/serviceregistry/kube/controller/ambient/authorization.go).
void emit_port_permissive(const EmitContext& c, const std::string& name, const std::string& ns,
                          const std::map<std::string, std::string>& pods,
                          const std::vector<int>& ports, std::vector<Manifest>& out) {
    Value doc = base_document(c, "PeerAuthentication", name, ns);
    Value& spec = doc.set("spec", Value::mapping());
    spec.set("selector", match_labels(pods));
    Value& port_modes = spec.set("portLevelMtls", Value::mapping());
    for (int port : ports) {
        port_modes.set(std::to_string(port), Value::mapping())
            .set("mode", Value::string("PERMISSIVE"));
    }
    add_document(c, out, rank::peer_authentication, "PeerAuthentication", ns, name, std::move(doc));
}

/// No PeerAuthentication under a dry run: Istio honours istio.io/dry-run on AuthorizationPolicy
/// only (istio/istio pkg/config/validation/validation.go, checkDryRunAnnotation), so a mode
/// emitted now would take effect at once, tightening (plaintext clients rejected before the dry
/// run could log them) or loosening what the namespace runs as found. Enforcement emits them.
void emit_peer_authentications(const EmitContext& c, const MeshNames& names,
                               std::vector<Manifest>& out) {
    const model::Topology& t = c.topology;
    if (t.mesh.enforcement == model::Enforcement::dry_run) {
        return;
    }
    for (const model::Namespace& ns : t.namespaces) {
        // Only the Kafka namespace receives Kafka traffic; a namespace-wide mode in a client
        // namespace would change every other app there, so it is emitted only when asked. The
        // Kafka namespace of a cluster owned elsewhere keeps its mode unless asked too.
        bool kafka_ns = ns.name.value == names.kafka_namespace;
        if (!(kafka_ns && t.kafka->managed) && !ns.mtls) {
            continue;
        }
        Value doc = base_document(c, "PeerAuthentication", "default", ns.name.value);
        doc.set("spec", Value::mapping())
            .set("mtls", Value::mapping())
            .set("mode", Value::string(mtls_mode(ns.mtls.value_or(t.mesh.mtls))));
        add_document(c, out, rank::peer_authentication, "PeerAuthentication", ns.name.value,
                     "default", std::move(doc));
    }
    // Strimzi guards these ports with its own mTLS; the Cluster Operator outside the mesh must
    // reach them. Where the namespace is PERMISSIVE they are already: the policy would change
    // nothing (and ambient skips it).
    if (names.operator_ports.empty() ||
        effective_mtls(t, names.kafka_namespace) != model::MtlsMode::strict) {
        return;
    }
    emit_port_permissive(c, t.kafka->name.value + "-internal-ports", names.kafka_namespace,
                         names.broker_labels, names.operator_ports, out);
}

/// What one client ALLOW policy may hold of principals, in bytes of principal text: kubectl's
/// client-side apply copies the object into an annotation, and all annotations of an object hold
/// at most 256 KiB together (kubernetes/apimachinery pkg/api/validation/objectmeta.go,
/// TotalAnnotationSizeLimitB). 24 bytes per principal cover its quotes, indentation and comma in
/// the YAML and the JSON copy; the rest of the object is well under the 64 KiB left.
constexpr std::size_t k_client_allow_principal_bytes = 192 * 1024;

/// The principals of one namespace in 2^k buckets, each within k_client_allow_principal_bytes:
/// a principal's bucket is its FNV-1a hash modulo the count, so adding or removing another
/// principal never moves it, and the count changes only when the namespace crosses a size.
std::vector<std::vector<std::string>> client_allow_buckets(
    const std::set<std::string>& principals) {
    std::vector<std::uint32_t> hashes;
    hashes.reserve(principals.size());
    for (const std::string& p : principals) {
        hashes.push_back(util::fnv1a(p));
    }
    // The fewest buckets whose text fits; a single principal is at most a few hundred bytes,
    // so doubling always ends.
    std::size_t count = 1;
    for (;; count *= 2) {
        std::vector<std::size_t> bytes(count, 0);
        std::size_t i = 0;
        for (const std::string& p : principals) {
            bytes[hashes[i++] % count] += p.size() + 24;
        }
        if (*std::max_element(bytes.begin(), bytes.end()) <= k_client_allow_principal_bytes) {
            break;
        }
    }
    std::vector<std::vector<std::string>> buckets(count);
    std::size_t i = 0;
    for (const std::string& p : principals) {
        buckets[hashes[i++] % count].push_back(p);
    }
    return buckets;
}

/// The client ALLOW policies: one `<cluster>-clients-<ns>` per client namespace, admitting that
/// namespace's identities with a grant (and its super users) to the listener port. One policy per
/// namespace keeps each object far below the 256 KiB annotation limit of a client-side apply; a
/// namespace whose principals would pass it is split into `<cluster>-clients-<ns>` and
/// `<cluster>-clients-<ns>-<i>` (client_allow_buckets), which Istio ORs like one policy.
/// Every declared namespace gets its policy even when nobody in it is admitted: an ALLOW without
/// rules matches nothing ("If not set, the match will never occur", istio/api
/// security/v1beta1/authorization.proto, AuthorizationPolicy.rules), and applying it overwrites
/// the principals a previous compile admitted.
void emit_client_allows(const EmitContext& c, const MeshNames& names, std::vector<Manifest>& out) {
    const model::Kafka& kafka = *c.topology.kafka;
    std::map<std::string, std::set<std::string>> by_namespace;
    for (const model::Namespace& ns : c.topology.namespaces) {
        by_namespace[ns.name.value];
    }
    for (const graph::Identity& id : c.graph.identities) {
        if (id.has_allow() || id.super_user || has_kafka_user(id)) {  // a Kafka user may log in
            by_namespace[id.ns].insert(id.mesh_principal);
        }
    }
    // The distribution's own clients (Bitnami's provisioning Job) run in the Kafka namespace.
    if (!names.extra_client_principals.empty()) {
        by_namespace[names.kafka_namespace].insert(names.extra_client_principals.begin(),
                                                   names.extra_client_principals.end());
    }
    for (const auto& [ns, principals] : by_namespace) {
        std::vector<std::vector<std::string>> buckets = client_allow_buckets(principals);
        for (std::size_t i = 0; i < buckets.size(); ++i) {
            std::string name = i == 0 ? fmt::format("{}-clients-{}", kafka.name.value, ns)
                                      : fmt::format("{}-clients-{}-{}", kafka.name.value, ns, i);
            Value doc = base_document(c, "AuthorizationPolicy", name, names.kafka_namespace, {},
                                      enforcement_annotations(c.topology.mesh));
            Value& spec = doc.set("spec", Value::mapping());
            spec.set("selector", match_labels(names.broker_labels));
            spec.set("action", Value::string("ALLOW"));
            // Never a rule without principals: that would admit anyone.
            if (!buckets[i].empty()) {
                spec.set("rules", Value::sequence())
                    .push(allow_rule("principals", buckets[i], {kafka.listener_port}));
            }
            add_document(c, out, rank::allow_policy, "AuthorizationPolicy", names.kafka_namespace,
                         name, std::move(doc));
        }
    }
}

void emit_authorization_policies(const EmitContext& c, const MeshNames& names,
                                 std::vector<Manifest>& out) {
    const model::Kafka& kafka = *c.topology.kafka;
    emit_client_allows(c, names, out);
    // One ALLOW policy on the broker pods with these L4 rules.
    auto broker_allow = [&](const std::string& suffix, Value rules) {
        std::string name = kafka.name.value + suffix;
        Value doc = base_document(c, "AuthorizationPolicy", name, names.kafka_namespace, {},
                                  enforcement_annotations(c.topology.mesh));
        Value& spec = doc.set("spec", Value::mapping());
        spec.set("selector", match_labels(names.broker_labels));
        spec.set("action", Value::string("ALLOW"));
        spec.set("rules", std::move(rules));
        add_document(c, out, rank::allow_policy, "AuthorizationPolicy", names.kafka_namespace, name,
                     std::move(doc));
    };
    // One rule per internal port, from the workloads that use it. An operator outside the mesh
    // has no mesh identity: `notPrincipals: ["*"]` matches exactly the peers without one
    // (Istio turns "*" into the regex ".+": istio/istio pilot/pkg/security/authz/matcher/
    // string.go), so no meshed workload reaches these ports through its proxy.
    Value internal = Value::sequence();
    for (const model::InternalRule& r : names.internal_rules) {
        internal.push(allow_rule("principals", r.principals, {r.port}));
    }
    if (!names.operator_ports.empty()) {
        internal.push(allow_rule("notPrincipals", {"*"}, names.operator_ports));
    }
    broker_allow("-internal", std::move(internal));
    for (const model::Namespace& ns : c.topology.namespaces) {
        if (c.topology.mesh.enforcement == model::Enforcement::dry_run) {
            break;  // a dry run denies nothing: the ALLOW policies only log what they would deny
        }
        bool kafka_ns = ns.name.value == names.kafka_namespace;
        // The namespace of a cluster owned elsewhere holds workloads kafkamesh does not know of
        // (Strimzi's Cruise Control serves the Cluster Operator on 9090): its allow-nothing is
        // emitted only when mesh.defaultDeny is written.
        bool kafka_deny =
            c.topology.mesh.default_deny &&
            (c.topology.kafka->managed || c.topology.mesh.default_deny_location.known());
        if (kafka_ns ? kafka_deny : ns.default_deny) {
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
        spec.set("host", Value::string(fmt::format("{}.{}.svc.{}", service, names.kafka_namespace,
                                                   c.topology.mesh.cluster_domain.value)));
        // No `tls`: the brokers' STRICT PeerAuthentication enforces mTLS, and automatic mTLS
        // falls back to plaintext only while an endpoint has no sidecar, which keeps a rollout
        // into the mesh working. An explicit ISTIO_MUTUAL would build an unconditional TLS
        // transport socket (istio/istio pilot/pkg/networking/core/cluster_tls.go) and break
        // injected clients against not yet injected brokers.
        Value& policy = spec.set("trafficPolicy", Value::mapping());
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
        // A destination missing here is unknown to the proxy and leaves through
        // PassthroughCluster: plaintext, without a mesh identity, so a STRICT destination
        // rejects it (istio/api networking/v1alpha3/sidecar.proto, outboundTrafficPolicy
        // ALLOW_ANY). Every namespace the topology declares therefore stays reachable.
        std::set<std::string> others = {names.kafka_namespace, "istio-system"};
        for (const model::Namespace& other : c.topology.namespaces) {
            others.insert(other.name.value);
        }
        others.erase(ns.name.value);
        for (const std::string& other : others) {
            hosts.push(Value::string(other + "/*"));
        }
        add_document(c, out, rank::sidecar, "Sidecar", ns.name.value, "default", std::move(doc));
    }
}

Value network_policy_ports(const std::vector<int>& ports) {
    Value list = Value::sequence();
    for (int p : ports) {
        Value& port = list.push(Value::mapping());
        port.set("port", Value::integer(p));
        port.set("protocol", Value::string("TCP"));
    }
    return list;
}

/// Ambient delivers meshed traffic to a pod on ztunnel's HBONE port 15008. Strimzi's generated
/// NetworkPolicies admit only the components' own ports (strimzi-kafka-operator
/// KafkaCluster.java and KafkaConnectCluster.java, generateNetworkPolicy), and NetworkPolicies
/// are additive, so this one admits 15008 beside them (istio.io docs/ambient/usage/networkpolicy).
/// A Cluster Operator outside the mesh reaches `operator_ports` in plaintext, not through HBONE.
/// Where Strimzi generates no NetworkPolicy (STRIMZI_NETWORK_POLICY_GENERATION=false) this one
/// alone selects the pods and would drop it, so it admits the operator's pods there too, with
/// the peer Strimzi's own policy uses: pods labelled strimzi.io/kind: cluster-operator
/// (KafkaCluster.java generateNetworkPolicy, clusterOperatorPeer; install/cluster-operator/
/// 060-Deployment-strimzi-cluster-operator.yaml) in the operator's namespace, selected by the
/// kubernetes.io/metadata.name label Kubernetes sets on every namespace.
void hbone_network_policy(const EmitContext& c, const std::string& name, const std::string& ns,
                          const std::map<std::string, std::string>& pods,
                          const std::vector<int>& operator_ports, std::vector<Manifest>& out) {
    Value doc = base_document(c, "NetworkPolicy", name, ns);
    Value& spec = doc.set("spec", Value::mapping());
    spec.set("podSelector", match_labels(pods));
    spec.set("policyTypes", Value::sequence()).push(Value::string("Ingress"));
    Value& ingress = spec.set("ingress", Value::sequence());
    ingress.push(Value::mapping()).set("ports", network_policy_ports({15008}));
    if (!operator_ports.empty()) {
        const model::StrimziOptions strimzi =
            c.topology.kafka->strimzi.value_or(model::StrimziOptions{});
        Value& rule = ingress.push(Value::mapping());
        Value& peer = rule.set("from", Value::sequence()).push(Value::mapping());
        peer.set("namespaceSelector",
                 match_labels({{"kubernetes.io/metadata.name", strimzi.operator_namespace.value}}));
        peer.set("podSelector", match_labels({{"strimzi.io/kind", "cluster-operator"}}));
        rule.set("ports", network_policy_ports(operator_ports));
    }
    add_document(c, out, rank::network_policy, "NetworkPolicy", ns, name, std::move(doc));
}

/// A Strimzi KafkaConnect serves its REST API on 8083 to the Cluster Operator, which manages
/// the connectors there, and to its own workers, which forward requests to the leader
/// (strimzi-kafka-operator KafkaConnectCluster.java: REST_API_PORT and the NetworkPolicy that
/// admits the workers and the operator). Without these policies a namespace's allow-nothing or
/// STRICT PeerAuthentication would lock both out.
void emit_connect_rest(const EmitContext& c, const MeshNames& names, std::vector<Manifest>& out) {
    const model::Mesh& mesh = c.topology.mesh;
    bool operator_in_mesh = names.operator_ports.empty();
    for (const graph::Identity& id : c.graph.identities) {
        for (const std::string& connect : id.strimzi_connects) {
            std::map<std::string, std::string> workers = {
                {"strimzi.io/cluster", connect},
                {"strimzi.io/name", model::strimzi_connect_name(connect)}};
            std::string name = connect + "-connect-rest";
            std::vector<int> rest = {model::k_connect_rest_port};
            Value policy = base_document(c, "AuthorizationPolicy", name, id.ns, {},
                                         enforcement_annotations(mesh));
            Value& spec = policy.set("spec", Value::mapping());
            spec.set("selector", match_labels(workers));
            spec.set("action", Value::string("ALLOW"));
            Value& rules = spec.set("rules", Value::sequence());
            std::vector<std::string> principals = {id.mesh_principal};
            if (operator_in_mesh) {
                principals.push_back(names.cluster_operator_principal);
            }
            std::sort(principals.begin(), principals.end());
            rules.push(allow_rule("principals", principals, rest));
            if (!operator_in_mesh) {
                rules.push(allow_rule("notPrincipals", {"*"}, rest));
            }
            add_document(c, out, rank::allow_policy, "AuthorizationPolicy", id.ns, name,
                         std::move(policy));
            if (!operator_in_mesh && mesh.enforcement == model::Enforcement::enforce &&
                effective_mtls(c.topology, id.ns) == model::MtlsMode::strict) {
                emit_port_permissive(c, name, id.ns, workers, rest, out);
            }
            if (mesh.dataplane == model::Dataplane::ambient) {
                hbone_network_policy(c, connect + "-connect-ambient-hbone", id.ns, workers,
                                     operator_in_mesh ? std::vector<int>{} : rest, out);
            }
        }
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
    if (c.topology.kafka->distribution == model::Distribution::strimzi) {
        if (c.topology.mesh.dataplane == model::Dataplane::ambient) {
            hbone_network_policy(c, c.topology.kafka->name.value + "-ambient-hbone",
                                 names.kafka_namespace, names.broker_labels, names.operator_ports,
                                 out);
        }
        emit_connect_rest(c, names, out);
    }
}

}  // namespace km::emit
