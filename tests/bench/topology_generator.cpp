#include "topology_generator.h"

#include <fmt/format.h>

#include <vector>

namespace km::bench {

GeneratorOptions GeneratorOptions::realistic(std::size_t services) {
    GeneratorOptions o;
    o.services = services;
    o.topics_per_service = 2;
    o.consumes_per_service = 3;
    o.streams_every = 10;
    o.prefix_roles = true;
    return o;
}

std::string topic_name(std::size_t i) {
    return fmt::format("topic-{:05}", i);
}

namespace {

std::string namespace_of(const GeneratorOptions& o, std::size_t i) {
    return fmt::format("team-{:04}", i / (o.services_per_namespace ? o.services_per_namespace : 1));
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& item : items) {
        out += (out.empty() ? "" : ", ") + item;
    }
    return out;
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
    std::size_t per_service = o.topics_per_service ? o.topics_per_service : 1;
    std::size_t topics = n * per_service;
    for (std::size_t i = 0; i < n; i += o.services_per_namespace ? o.services_per_namespace : 1) {
        out += fmt::format("  - name: {}\n", namespace_of(o, i));
    }
    out += "topics:\n";
    for (std::size_t t = 0; t < topics; ++t) {
        out += fmt::format("  - {{name: {}, partitions: 6, replicas: 3}}\n", topic_name(t));
    }
    if (o.prefix_roles) {
        out += "roles:\n";
        for (std::size_t r = 0; r < 10; ++r) {
            // A prefix covering about a hundred declared topics, whatever the size.
            std::string prefix = topic_name(r * topics / 10);
            prefix.resize(prefix.size() - 2);
            out += fmt::format("  - name: audit-{}\n    grants:\n      - topics: [\"{}*\"]\n", r,
                               prefix);
            out += "        operations: [Read, Describe]\n";
        }
    }
    std::size_t change_every = o.change_percent ? 100 / o.change_percent : 0;
    out += "services:\n";
    for (std::size_t i = 0; i < n; ++i) {
        out += fmt::format("  - name: svc-{:05}\n    namespace: {}\n", i, namespace_of(o, i));
        if (o.streams_every && i % o.streams_every == 0) {
            out += "    kind: streams\n";
        }
        std::vector<std::string> produces;
        for (std::size_t k = 0; k < per_service; ++k) {
            produces.push_back(topic_name(i * per_service + k));
        }
        out += fmt::format("    produces: [{}]\n", join(produces));
        std::vector<std::string> consumes;
        if (n > 1) {
            for (std::size_t k = 0; k < o.consumes_per_service; ++k) {
                // The next service's first topic, then topics further round, never its own.
                std::size_t other = (i + 1 + 7 * k) % n;
                if (other != i) {
                    consumes.push_back(topic_name(other * per_service + k % per_service));
                }
            }
        }
        if (o.plant_widening && i == 0 && n > 2) {
            consumes.push_back(topic_name(n / 2 * per_service));
        }
        if (change_every && i % change_every == 0 && n > 3) {
            consumes.push_back(topic_name((i + n / 3) % n * per_service));
        }
        if (!consumes.empty()) {
            out += fmt::format("    consumes: [{}]\n", join(consumes));
        }
        if (o.prefix_roles && i % 20 == 0) {
            out += fmt::format("    roles: [audit-{}]\n", (i / 20) % 10);
        }
    }
    return out;
}

}  // namespace km::bench
