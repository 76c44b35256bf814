// The Kafka cluster section against what the chosen distribution accepts.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "check/checks.h"
#include "model/derived.h"
#include "util/strings.h"

namespace km::check {
namespace {

// Strimzi 1.2's KafkaClusterSpec.FORBIDDEN_PREFIXES and FORBIDDEN_PREFIX_EXCEPTIONS.
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
    "metadata.log.dir"};
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
    "controller.quorum.election.backoff.max.ms",
    "controller.quorum.election.timeout.ms",
    "controller.quorum.fetch.timeout.ms"};
// Settings the security model rests on: kafkamesh sets them and they cannot be overridden.
const std::vector<std::string_view> k_kafkamesh_owned = {"allow.everyone.if.no.acl.found",
                                                         "auto.create.topics.enable", "super.users",
                                                         "authorizer.class.name"};

const std::vector<std::string_view> k_strimzi_kafka_versions = {"4.2.0", "4.2.1", "4.3.0", "4.3.1"};

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
        if (forbidden != k_strimzi_forbidden.end()) {
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
    bool v1 = !k.strimzi || k.strimzi->api == model::StrimziApi::v1;
    if (strimzi && v1 &&
        std::find(k_strimzi_kafka_versions.begin(), k_strimzi_kafka_versions.end(),
                  k.version.value) == k_strimzi_kafka_versions.end()) {
        auto& d = sink.report(diag::Code::KM317,
                              k.version.location.known() ? k.version.location : k.location,
                              fmt::format("Strimzi 1.2 does not run Kafka '{}'", k.version.value));
        diag::add_help(d, "use one of 4.2.0, 4.2.1, 4.3.0, 4.3.1");
    }

    for (const model::Topic& topic : t.topics) {
        // The node count of a cluster that runs already is only known when declared.
        if (topic.replicas && *topic.replicas > k.nodes &&
            (k.managed || k.nodes_location.known())) {
            auto& d =
                sink.report(diag::Code::KM311, topic.replicas_location,
                            fmt::format("topic '{}' has {} replicas, but the cluster has {} nodes",
                                        topic.name.value, *topic.replicas, k.nodes));
            if (k.nodes_location.known()) {
                diag::add_note(d, k.nodes_location, "the node count is set here");
            }
        }
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
