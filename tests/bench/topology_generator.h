// Synthetic topologies of any size for benchmarks and scale tests: teams of services in their own
// namespaces, each producing its topics and consuming some of the others'.
#pragma once

#include <cstddef>
#include <string>

namespace km::bench {

struct GeneratorOptions {
    std::size_t services = 1000;
    std::size_t services_per_namespace = 20;
    std::size_t topics_per_service = 1;    ///< service i produces topics i*k .. i*k+k-1
    std::size_t consumes_per_service = 1;  ///< the first is always the next service's topic
    std::size_t streams_every = 0;         ///< every n-th service is a Kafka Streams app; 0: none
    bool prefix_roles = false;  ///< ten roles reading topic prefixes, on every 20th service
    /// Service 0 also consumes the topic of the service half-way round: one planted widening.
    bool plant_widening = false;
    /// This percentage of services (spread evenly) consumes one more topic: a changed version.
    std::size_t change_percent = 0;

    /// The benchmark's shape: 1 namespace per 20 services, 2 produced and 3 consumed topics per
    /// service, 1 in 10 a Streams app, prefix roles; 10,000 services make about 4 MB.
    static GeneratorOptions realistic(std::size_t services);
};

/// A valid single-file topology; the same options always give the same bytes.
std::string generate_topology(const GeneratorOptions& options);

/// "team-<n>/svc-<i>": the identity key of service i.
std::string service_key(const GeneratorOptions& options, std::size_t i);
/// "topic-<i>": the i-th topic (service i's with one topic per service).
std::string topic_name(std::size_t i);

}  // namespace km::bench
