// The desired state of a running cluster: what the compiled KafkaUsers and KafkaTopics hold,
// taken from the same access graph the emitters read (graph::kafka_acls).
#pragma once

#include "admin/cluster_state.h"
#include "graph/access_graph.h"
#include "model/topology.h"

namespace km::admin {

DesiredState desired_state(const model::Topology& topology, const graph::AccessGraph& graph);

/// "topic prefix orders- Read allow" plus the principal, for messages.
std::string binding_text(const AclBinding& b);

}  // namespace km::admin
