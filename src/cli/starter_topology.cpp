#include "cli/starter_topology.h"

#include <fmt/format.h>

namespace km::cli {

std::string starter_topology(Distribution distribution, const std::string& schema_path) {
    std::string cluster =
        distribution == Distribution::strimzi
            ? "  distribution: strimzi\n"
              "  version: \"4.3.1\"\n"
              "  nodes: 3\n"
              "  authentication: scram-sha-512\n"
              "  strimzi:\n"
              "    api: v1                    # kafka.strimzi.io/v1 (Strimzi 1.2)\n"
              "    operatorNamespace: strimzi\n"
            : "  distribution: bitnami\n"
              "  nodes: 3\n"
              "  authentication: scram-sha-512\n"
              "  bitnami:\n"
              "    chart: 32                  # bitnami/kafka chart major version\n"
              "    release: kafka             # the Helm release name\n";
    return fmt::format(
        "# yaml-language-server: $schema={}\n"
        "#\n"
        "# A starter topology: one Kafka cluster, two topics, a producer and a consumer.\n"
        "#   kafkamesh validate topology.yaml\n"
        "#   kafkamesh compile topology.yaml | kubectl apply -f -\n"
        "apiVersion: kafkamesh.io/v1alpha1\n"
        "kind: Topology\n"
        "metadata:\n"
        "  name: shop                     # label kafkamesh.io/topology on every output\n"
        "\n"
        "mesh:\n"
        "  mtls: strict\n"
        "  defaultDeny: true              # only the services below reach the brokers\n"
        "\n"
        "kafka:\n"
        "  name: events\n"
        "  namespace: kafka\n"
        "{}"
        "\n"
        "namespaces:\n"
        "  - name: shop\n"
        "\n"
        "topics:\n"
        "  - name: orders\n"
        "    partitions: 6\n"
        "    replicas: 3\n"
        "  - name: payments\n"
        "    partitions: 6\n"
        "    replicas: 3\n"
        "\n"
        "services:\n"
        "  - name: checkout               # Kafka user shop-checkout\n"
        "    namespace: shop\n"
        "    produces: [orders]\n"
        "  - name: billing\n"
        "    namespace: shop\n"
        "    consumes: [orders]\n"
        "    produces: [payments]\n",
        schema_path, cluster);
}

}  // namespace km::cli
