#include "topology_generator.h"

#include <fmt/format.h>

namespace km::bench {

std::string topic_name(std::size_t i) {
    return fmt::format("topic-{:05}", i);
}

namespace {

std::string namespace_of(const GeneratorOptions& o, std::size_t i) {
    return fmt::format("team-{:04}", i / (o.services_per_namespace ? o.services_per_namespace : 1));
}

}  // namespace

std::string service_key(const GeneratorOptions& o, std::size_t i) {
    return fmt::format("{}/svc-{:05}", namespace_of(o, i), i);
}

std::string generate_topology(const GeneratorOptions& o) {
    std::string out =
        "apiVersion: kafkamesh.io/v1alpha1\n"
        "kind: Topology\n"
        "metadata: {name: synthetic}\n"
        "kafka: {name: events, namespace: kafka, nodes: 3}\n"
        "namespaces:\n";
    std::size_t n = o.services;
    for (std::size_t i = 0; i < n; i += o.services_per_namespace ? o.services_per_namespace : 1) {
        out += fmt::format("  - name: {}\n", namespace_of(o, i));
    }
    out += "topics:\n";
    for (std::size_t i = 0; i < n; ++i) {
        out += fmt::format("  - {{name: {}, partitions: 6, replicas: 3}}\n", topic_name(i));
    }
    out += "services:\n";
    for (std::size_t i = 0; i < n; ++i) {
        out += fmt::format("  - name: svc-{:05}\n    namespace: {}\n    produces: [{}]\n", i,
                           namespace_of(o, i), topic_name(i));
        std::string consumes = n > 1 ? topic_name((i + 1) % n) : "";
        if (o.plant_widening && i == 0 && n > 2) {
            consumes += ", " + topic_name(n / 2);
        }
        if (!consumes.empty()) {
            out += fmt::format("    consumes: [{}]\n", consumes);
        }
    }
    return out;
}

}  // namespace km::bench
