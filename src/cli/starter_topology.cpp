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
        "{}"
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
        schema_path,
        distribution == Distribution::strimzi
            ? "#   kafkamesh compile topology.yaml | kubectl apply -f -\n"
            // The chart's values never join the manifest stream: the directory form writes
            // them to helm/values.yaml for `helm upgrade`, next to the mesh policy.
            : "#   kafkamesh compile topology.yaml -o manifests/\n"
              "#   kubectl apply -k manifests/\n"
              "#   helm upgrade --install kafka oci://registry-1.docker.io/bitnamicharts/kafka \\\n"
              "#     --version 32.4.4 -n kafka -f manifests/helm/values.yaml\n",
        cluster);
}

std::string starter_team_topology(const std::string& team, const std::string& schema_path) {
    // Topics leave out replicas so the file fits every environment's cluster size (the broker
    // default applies), and the names carry the team so two teams' files never collide.
    return fmt::format(
        "# yaml-language-server: $schema={0}\n"
        "#\n"
        "# Team {1}: one file of a topology directory. The platform file next to it declares\n"
        "# metadata, mesh and kafka; this file adds lists only, merged with the other files:\n"
        "#   kafkamesh validate topology/\n"
        "apiVersion: kafkamesh.io/v1alpha1\n"
        "kind: Topology\n"
        "\n"
        "namespaces:\n"
        "  - name: {1}\n"
        "    labels: {{team: {1}}}\n"
        "\n"
        "topics:\n"
        "  - name: {1}.events\n"
        "    partitions: 6\n"
        "\n"
        "services:\n"
        "  - name: {1}-api                 # Kafka user {1}-{1}-api\n"
        "    namespace: {1}\n"
        "    produces: [{1}.events]\n"
        "  - name: {1}-worker\n"
        "    namespace: {1}\n"
        "    consumes: [{1}.events]\n",
        schema_path, team);
}

}  // namespace km::cli
