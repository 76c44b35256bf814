// One environment of a topology (topology.md "Environments"): its mesh and kafka with the
// overrides applied, and the caps on every topic, laid over the topology as written.
#pragma once

#include <optional>

#include "model/topology.h"

namespace km::model {

/// `topicLimits`: the most replicas and partitions any topic has in the environment.
struct TopicLimits {
    std::optional<int> replicas;
    Location replicas_location;
    std::optional<int> partitions;
    Location partitions_location;
};

struct Environment {
    Text name;
    std::optional<Mesh> mesh;    ///< set when the environment overrides mesh fields
    std::optional<Kafka> kafka;  ///< set when it overrides kafka fields
    TopicLimits topic_limits;
    Location location;
};

/// The min.insync.replicas a topic keeps when its replicas drop from `before` to `after`: never
/// above `after`. A topic that tolerated a replica down (min ISR below replicas) still does where
/// it can (at most after - 1, at least 1); one whose every replica had to acknowledge (min ISR =
/// replicas) keeps that, at the new count.
int lowered_min_insync_replicas(int min_isr, int before, int after);

/// Replaces mesh and kafka by the environment's and caps every topic (external ones too: they are
/// checked against the node count like the others), and the cluster's defaults for topics without
/// their own counts, by its topicLimits.
void apply_environment(Topology& t, Environment environment);

}  // namespace km::model
