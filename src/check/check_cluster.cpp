// The Kafka cluster section against what the chosen distribution accepts.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <iterator>
#include <map>

#include "check/checks.h"
#include "model/derived.h"
#include "util/strings.h"

namespace km::check {
namespace {

// Strimzi 1.2's KafkaClusterSpec.FORBIDDEN_PREFIXES and FORBIDDEN_PREFIX_EXCEPTIONS
// (strimzi/strimzi-kafka-operator, tag 1.2.0,
// api/src/main/java/io/strimzi/api/kafka/model/kafka/KafkaClusterSpec.java), entry for entry.
const std::vector<std::string_view> k_strimzi_forbidden = {
    "listeners",
    "advertised.",
    "broker.",
    "listener.",
    "host.name",
    "port",
    "inter.broker.listener.name",
    "sasl.",
    "ssl.",
    "security.",
    "password.",
    "log.dir",
    "zookeeper.connect",
    "zookeeper.set.acl",
    "zookeeper.ssl",
    "zookeeper.clientCnxnSocket",
    "authorizer.",
    "super.user",
    "cruise.control.metrics.topic",
    "cruise.control.metrics.reporter.bootstrap.servers",
    "node.id",
    "process.roles",
    "controller.",
    "metadata.log.dir",
    "zookeeper.metadata.migration.enable",
    "client.quota.callback.static.kafka.admin.",
    "client.quota.callback.static.produce",
    "client.quota.callback.static.fetch",
    "client.quota.callback.static.storage.per.volume.limit.min.available.",
    "client.quota.callback.static.excluded.principal.name.list",
    "prometheus.metrics.reporter.",
    "cordoned.log.dirs"};
const std::vector<std::string_view> k_strimzi_exceptions = {
    "zookeeper.connection.timeout.ms",
    "sasl.server.max.receive.size",
    "ssl.cipher.suites",
    "ssl.protocol",
    "ssl.enabled.protocols",
    "ssl.secure.random.implementation",
    "cruise.control.metrics.topic.num.partitions",
    "cruise.control.metrics.topic.replication.factor",
    "cruise.control.metrics.topic.retention.ms",
    "cruise.control.metrics.topic.auto.create.retries",
    "cruise.control.metrics.topic.auto.create.timeout.ms",
    "cruise.control.metrics.topic.min.insync.replicas",
    "broker.session.timeout.ms",
    "broker.heartbeat.interval.ms",
    "controller.socket.timeout.ms",
    "controller.quorum.election.backoff.max.ms",
    "controller.quorum.election.timeout.ms",
    "controller.quorum.fetch.timeout.ms"};
// Settings the security model rests on: kafkamesh sets them and they cannot be overridden.
const std::vector<std::string_view> k_kafkamesh_owned = {"allow.everyone.if.no.acl.found",
                                                         "auto.create.topics.enable", "super.users",
                                                         "authorizer.class.name"};

/// A Strimzi minor release: the Kafka API versions its CRDs serve and the Kafka versions it
/// runs ("supported: true" in kafka-versions.yaml at its tags, patch releases included).
struct StrimziRelease {
    std::string_view release;
    bool v1;
    bool v1beta2;
    std::vector<std::string_view> kafka;
};
const std::vector<StrimziRelease> k_strimzi_releases = {
    {"0.45", false, true, {"3.8.0", "3.8.1", "3.9.0", "3.9.1", "3.9.2"}},
    {"0.46", false, true, {"3.9.0", "4.0.0"}},
    {"0.47", false, true, {"3.9.0", "3.9.1", "4.0.0"}},
    {"0.48", false, true, {"4.0.0", "4.1.0"}},
    {"0.49", true, true, {"4.0.0", "4.0.1", "4.1.0", "4.1.1"}},
    {"0.50", true, true, {"4.0.0", "4.0.1", "4.1.0", "4.1.1"}},
    {"0.51", true, true, {"4.1.0", "4.1.1", "4.2.0"}},
    {"1.0", true, false, {"4.1.0", "4.1.1", "4.1.2", "4.2.0"}},
    {"1.1", true, false, {"4.2.0", "4.2.1", "4.3.0"}},
    {"1.2", true, false, {"4.2.0", "4.2.1", "4.3.0", "4.3.1"}},
};

/// KM317: a Kafka version that no Strimzi release serving the chosen API runs. The emitted
/// resources fit every such release, so the version decides which releases can take them.
void check_kafka_version(const model::Kafka& k, diag::DiagnosticSink& sink) {
    bool v1 = !k.strimzi || k.strimzi->api == model::StrimziApi::v1;
    std::vector<std::string> runs;
    std::vector<std::string_view> versions;
    for (const StrimziRelease& r : k_strimzi_releases) {
        if (!(v1 ? r.v1 : r.v1beta2)) {
            continue;
        }
        if (std::find(r.kafka.begin(), r.kafka.end(), k.version.value) != r.kafka.end()) {
            runs.emplace_back(r.release);
        }
        for (std::string_view version : r.kafka) {
            if (std::find(versions.begin(), versions.end(), version) == versions.end()) {
                versions.push_back(version);
            }
        }
    }
    if (!runs.empty()) {
        return;
    }
    std::sort(versions.begin(), versions.end());
    auto& d =
        sink.report(diag::Code::KM317, k.version.location.known() ? k.version.location : k.location,
                    fmt::format("no Strimzi release serving kafka.strimzi.io/{} runs Kafka '{}'",
                                v1 ? "v1" : "v1beta2", k.version.value));
    diag::add_help(d, fmt::format("use one of {} (Strimzi {})", fmt::join(versions, ", "),
                                  v1 ? "0.49 to 1.2" : "0.45 to 0.51"));
}

void check_config(const model::Kafka& k, diag::DiagnosticSink& sink) {
    for (const model::ConfigEntry& e : k.config) {
        const std::string& key = e.key.value;
        if (std::find(k_kafkamesh_owned.begin(), k_kafkamesh_owned.end(), key) !=
            k_kafkamesh_owned.end()) {
            auto& d = sink.report(diag::Code::KM314, e.key.location,
                                  fmt::format("broker config '{}' is set by kafkamesh", key));
            diag::add_help(d,
                           "kafkamesh keeps ACLs mandatory and topics declared; remove this key");
            continue;
        }
        // The Bitnami chart generates the same listener, SASL, authorizer and KRaft settings
        // from its values, so Strimzi's list guards both distributions.
        if (std::find(k_strimzi_exceptions.begin(), k_strimzi_exceptions.end(), key) !=
            k_strimzi_exceptions.end()) {
            continue;
        }
        auto forbidden =
            std::find_if(k_strimzi_forbidden.begin(), k_strimzi_forbidden.end(),
                         [&](std::string_view p) { return util::starts_with(key, p); });
        if (forbidden == k_strimzi_forbidden.end()) {
            check_kafka_config_entry(KafkaConfigScope::broker, e, sink);
        } else {
            bool strimzi = k.distribution == model::Distribution::strimzi;
            auto& d =
                sink.report(diag::Code::KM314, e.key.location,
                            fmt::format("broker config '{}' is reserved by {} (prefix '{}')", key,
                                        strimzi ? "Strimzi" : "the Bitnami chart", *forbidden));
            diag::add_help(
                d, strimzi ? "Strimzi derives it from the Kafka resource and rejects it in "
                             "spec.kafka.config"
                           : "the chart generates it from its values; overriding it breaks the "
                             "listeners, SASL or KRaft settings the mesh policies rely on");
        }
    }
}

void check_listener_port(const model::Kafka& k, diag::DiagnosticSink& sink) {
    if (!k.listener_port_location.known()) {
        return;
    }
    int port = k.listener_port;
    // The sidecar's own ports (istio.io docs/ops/deployment/requirements, "Ports used by Istio"):
    // Envoy binds them, and 15020/15021/15090 are also excluded from inbound capture
    // (istio/istio injection-template.yaml), so a policy on them would never apply.
    static constexpr int k_istio_ports[] = {15000, 15001, 15004, 15006, 15008,
                                            15009, 15020, 15021, 15053, 15090};
    if (std::find(std::begin(k_istio_ports), std::end(k_istio_ports), port) !=
        std::end(k_istio_ports)) {
        auto& d = sink.report(diag::Code::KM320, k.listener_port_location,
                              fmt::format("port {} is reserved by Istio's proxy", port));
        diag::add_help(d,
                       "the proxy binds it or does not capture it, so Kafka could not listen "
                       "there or the mesh policy would never apply; use 9092");
        return;
    }
    if (k.distribution == model::Distribution::strimzi) {
        if (port < 9092 || port == 9404 || port == 9999) {
            auto& d = sink.report(diag::Code::KM320, k.listener_port_location,
                                  fmt::format("Strimzi does not accept listener port {}", port));
            diag::add_help(d, "use a port of 9092 or above, other than 9404 and 9999");
        }
    } else if (port == 9093 || port == 9094) {
        sink.report(diag::Code::KM320, k.listener_port_location,
                    fmt::format("port {} is the Bitnami chart's {} port", port,
                                port == 9093 ? "controller" : "inter-broker"));
    }
}

/// kafka.managed: false. What only the cluster resource can hold is not emitted: each such
/// setting is reported with what the running cluster must be configured with.
void check_unmanaged(const model::Topology& t, diag::DiagnosticSink& sink) {
    const model::Kafka& k = *t.kafka;
    if (k.managed) {
        return;
    }
    auto report = [&](diag::Location at, const std::string& field, const std::string& what) {
        auto& d = sink.report(
            diag::Code::KM330, at.known() ? at : k.location,
            fmt::format("kafka.{} is not applied: the cluster is not managed by this topology",
                        field));
        diag::add_note(d, {}, fmt::format("the running cluster must be configured with {}", what));
        if (k.managed_location.known()) {
            diag::add_note(d, k.managed_location, "kafka.managed is set to false here");
        }
    };
    if (!k.super_users.empty()) {
        std::vector<std::string> principals;
        for (const model::Text& ref : k.super_users) {
            std::size_t slash = ref.value.find('/');
            for (const model::Service& s : t.services) {
                if (slash != std::string::npos && s.ns.value == ref.value.substr(0, slash) &&
                    s.name.value == ref.value.substr(slash + 1)) {
                    principals.push_back("User:" +
                                         model::kafka_principal_name(k.authentication, s));
                    break;
                }
            }
        }
        report(k.super_users_location, "superUsers",
               fmt::format("super.users={}", util::join(principals, ";")));
    }
    if (!k.config.empty()) {
        std::vector<std::string> entries;
        for (const model::ConfigEntry& e : k.config) {
            entries.push_back(e.key.value + "=" + e.value.text);
        }
        report(k.config_location, "config",
               fmt::format("these broker settings: {}", util::join(entries, ", ")));
    }
    if (k.nodes_location.known()) {
        report(k.nodes_location, "nodes", fmt::format("{} nodes", k.nodes));
    }
    if (k.storage_location.known()) {
        report(k.storage_location, "storage",
               fmt::format("volumes of {}{}", k.storage.size.value,
                           k.storage.storage_class
                               ? " on StorageClass " + k.storage.storage_class->value
                               : std::string()));
    }
    if (k.version_location.known()) {
        report(k.version_location, "version", fmt::format("Kafka {}", k.version.value));
    }
}

}  // namespace

void check_cluster(const model::Topology& t, diag::DiagnosticSink& sink) {
    if (!t.kafka) {
        return;
    }
    const model::Kafka& k = *t.kafka;
    check_config(k, sink);
    check_listener_port(k, sink);
    check_unmanaged(t, sink);

    bool strimzi = k.distribution == model::Distribution::strimzi;
    if (strimzi && k.bitnami) {
        auto& d = sink.report(diag::Code::KM319, k.bitnami->location,
                              "'bitnami' is set, but the distribution is 'strimzi'");
        diag::add_help(d, "set 'distribution: bitnami' or remove the 'bitnami' section");
    }
    if (!strimzi && k.strimzi) {
        auto& d = sink.report(diag::Code::KM319, k.strimzi->location,
                              "'strimzi' is set, but the distribution is 'bitnami'");
        diag::add_help(d, "set 'distribution: strimzi' or remove the 'strimzi' section");
    }
    // A version the parser already refused gets no second error here.
    if (strimzi && !k.version.invalid) {
        check_kafka_version(k, sink);
    }

    for (const model::Topic& topic : t.topics) {
        // The node count of a cluster that runs already is only known when declared.
        if (topic.replicas && *topic.replicas > k.nodes &&
            (k.managed || k.nodes_location.known())) {
            auto& d = sink.report(
                diag::Code::KM311, topic.replicas_location,
                fmt::format("topic '{}' has {} replicas, but the cluster has {} node{}",
                            topic.name.value, *topic.replicas, k.nodes, k.nodes == 1 ? "" : "s"));
            if (k.nodes_location.known()) {
                diag::add_note(d, k.nodes_location, "the node count is set here");
            }
            // A smaller environment of the same topology is the usual cause (topology.md
            // "Environments").
            diag::add_help(d,
                           "lower its replicas, or cap every topic of a smaller environment "
                           "with 'topicLimits' in its 'environments' entry");
        }
    }

    // On a listener without authentication Kafka's DefaultKafkaPrincipalBuilder names every
    // client User:ANONYMOUS (apache/kafka clients/.../DefaultKafkaPrincipalBuilder.java, the
    // PlaintextAuthenticationContext case), and no stock builder reads a mesh identity: only a
    // principal builder installed in the broker can turn it into User:<namespace>-<account>,
    // the principal the ACLs name.
    if (k.authentication == model::Authentication::mesh && strimzi &&
        !model::find_config(k.config, "principal.builder.class")) {
        auto& d = sink.report(
            diag::Code::KM350, k.authentication_location,
            "authentication 'mesh' needs a broker principal builder that turns the mesh "
            "identity into the Kafka principal; without one Kafka sees every client as "
            "User:ANONYMOUS and the ACLs authorize no one");
        diag::add_help(d,
                       "install a KafkaPrincipalBuilder in the broker image and name it in "
                       "kafka.config 'principal.builder.class', or use 'scram-sha-512'");
    }
    if (k.authentication == model::Authentication::mesh &&
        !(t.mesh.filters && t.mesh.filters->identity_image)) {
        auto& d = sink.report(
            diag::Code::KM323, k.authentication_location,
            "authentication 'mesh' needs an identity filter to pass the mesh identity to Kafka");
        diag::add_help(
            d, "set mesh.filters.identity.image; until then every client is denied by the ACLs");
    }
}

}  // namespace km::check
