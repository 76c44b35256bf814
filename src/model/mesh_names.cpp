#include "model/mesh_names.h"

#include "model/bitnami_users.h"

#include "model/derived.h"

namespace km::model {

std::string bitnami_fullname(const std::string& release) {
    return release.find("kafka") != std::string::npos ? release : release + "-kafka";
}

MeshNames mesh_names(const Topology& t) {
    const Kafka& k = *t.kafka;
    const std::string& td = t.mesh.trust_domain.value;
    MeshNames n;
    n.kafka_namespace = k.ns.value;
    if (k.distribution == Distribution::strimzi) {
        const std::string& cluster = k.name.value;
        StrimziOptions strimzi = k.strimzi.value_or(StrimziOptions{});
        // Node pool pods carry strimzi.io/name <cluster>-kafka, as the Kafka resource's own
        // selector expects; the entity operator, Cruise Control and Kafka Exporter share
        // strimzi.io/kind: Kafka but not this name (strimzi-kafka-operator KafkaPool.java,
        // constructor: withStrimziName(KafkaResources.kafkaComponentName(...))).
        n.broker_labels = {{"strimzi.io/cluster", cluster},
                           {"strimzi.io/name", cluster + "-kafka"}};
        n.broker_service_account = cluster + "-kafka";
        n.bootstrap_service = cluster + "-kafka-bootstrap";
        n.headless_service = cluster + "-kafka-brokers";
        n.internal_ports = {8443, 9090, 9091};
        std::string brokers = mesh_principal(td, k.ns.value, n.broker_service_account);
        // The entity operator's Topic and User Operators, Cruise Control and Kafka Exporter
        // talk to the brokers on the replication listener (9091) only, as Strimzi's own
        // NetworkPolicy admits them (strimzi-kafka-operator 1.2.0 KafkaCluster.java,
        // generateNetworkPolicy: REPLICATION_PORT; CruiseControl.java and KafkaExporter.java
        // getEnvVars: bootstrap <cluster>-kafka-bootstrap:9091). Each runs under a service
        // account named after its component (AbstractModel.generateServiceAccount:
        // CruiseControlResources and KafkaExporterResources componentName, <cluster>-cruise-control
        // and <cluster>-kafka-exporter).
        std::string entity_operator = mesh_principal(td, k.ns.value, cluster + "-entity-operator");
        std::string cruise_control = mesh_principal(td, k.ns.value, cluster + "-cruise-control");
        std::string exporter = mesh_principal(td, k.ns.value, cluster + "-kafka-exporter");
        n.cluster_operator_principal =
            mesh_principal(td, strimzi.operator_namespace.value, "strimzi-cluster-operator");
        if (strimzi.operator_in_mesh) {
            const std::string& cluster_operator = n.cluster_operator_principal;
            n.internal_rules = {
                {8443, {cluster_operator}},
                {9090, {brokers, cluster_operator}},
                {9091, {brokers, entity_operator, cruise_control, exporter, cluster_operator}}};
        } else {
            n.internal_rules = {{9090, {brokers}},
                                {9091, {brokers, entity_operator, cruise_control, exporter}}};
            n.operator_ports = n.internal_ports;
        }
    } else {
        std::string release = k.bitnami ? k.bitnami->release.value : "kafka";
        std::string fullname = bitnami_fullname(release);
        n.broker_labels = {{"app.kubernetes.io/instance", release},
                           {"app.kubernetes.io/name", "kafka"}};
        n.broker_service_account = fullname;
        n.bootstrap_service = fullname;
        n.headless_service = fullname + "-controller-headless";
        n.internal_ports = {9093, 9094};
        std::string brokers = mesh_principal(td, k.ns.value, n.broker_service_account);
        n.internal_rules = {{9093, {brokers}}, {9094, {brokers}}};
        // Appended piece by piece: g++ 12 at -O3 reports a false -Wrestrict for
        // `string + string&&` here.
        for (std::string_view suffix : {k_user_operator_suffix, k_topic_operator_suffix}) {
            std::string account = fullname;
            account.append(suffix);
            n.extra_client_principals.push_back(mesh_principal(td, k.ns.value, account));
        }
    }
    if (k.broker_pods) {
        // Declared for a cluster or release not named by the defaults: it replaces the derivation.
        if (!k.broker_pods->labels.empty()) {
            n.broker_labels.clear();
            for (const Label& l : k.broker_pods->labels) {
                n.broker_labels[l.key.value] = l.value.value;
            }
        }
        if (k.broker_pods->service_account) {
            std::string account = k.broker_pods->service_account->value;
            std::string derived = mesh_principal(td, k.ns.value, n.broker_service_account);
            for (InternalRule& rule : n.internal_rules) {
                for (std::string& p : rule.principals) {
                    if (p == derived) {
                        p = mesh_principal(td, k.ns.value, account);
                    }
                }
            }
            n.broker_service_account = std::move(account);
        }
    }
    return n;
}

}  // namespace km::model
