// Synthetic topologies of any size for benchmarks and scale tests: teams of services in their own
// namespaces, each producing its topic and consuming its neighbour's.
#pragma once

#include <cstddef>
#include <string>

namespace km::bench {

struct GeneratorOptions {
    std::size_t services = 1000;
    std::size_t services_per_namespace = 20;
    /// Service 0 also consumes the topic of the service half-way round: one planted widening.
    bool plant_widening = false;
};

/// A valid single-file topology; the same options always give the same bytes.
std::string generate_topology(const GeneratorOptions& options);

/// "team-<n>/svc-<i>": the identity key of service i.
std::string service_key(const GeneratorOptions& options, std::size_t i);
/// "topic-<i>": the topic service i produces.
std::string topic_name(std::size_t i);

}  // namespace km::bench
