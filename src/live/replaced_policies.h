// The hand-written client policies that an adopting topology's output replaces.
#pragma once

#include <string>
#include <vector>

#include "diag/diagnostic_sink.h"
#include "live/live_state.h"

namespace km::live {

/// Reports KM719 for every ALLOW AuthorizationPolicy in the Kafka namespace that admits the
/// listener port and does not carry `kafkamesh.io/topology`: kafkamesh's client policies take
/// over what it admits, but ALLOW policies add up, so while it stays a service the topology
/// removes is still admitted. Returns one comment line per policy for the imported topology.
std::vector<std::string> name_replaced_policies(const LiveState& state, const std::string& kafka_ns,
                                                const std::string& listener_port,
                                                const std::string& topology_name,
                                                diag::DiagnosticSink& sink);

}  // namespace km::live
