// Review-time checks over the access graph: findings a reviewer wants flagged although the
// topology is valid (KM451-KM459). They run in the review commands, not in validate or compile.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "diag/diagnostic_sink.h"
#include "graph/access_graph.h"
#include "model/topology.h"

namespace km::review {

struct ReviewOptions {
    std::size_t max_writers = 5;  ///< KM454 fires above this many writers of one topic
};

void review_topology(const model::Topology& topology, const graph::AccessGraph& graph,
                     const ReviewOptions& options, diag::DiagnosticSink& sink);

/// A prefix grant of `holder` that lets it at a declared topic another identity is explicitly
/// denied: the shape of a sensitive topic (a deny carving it out) opened by a wider grant.
struct DeniedTopicCover {
    const graph::Identity* holder = nullptr;
    const graph::AclEntry* grant = nullptr;  ///< the allow on a prefix, one of holder's
    std::string topic;
    const graph::Identity* denied = nullptr;
    const graph::AclEntry* deny = nullptr;  ///< one of denied's, matching the topic
    /// The first operation on the records (Read, Write, Delete, Alter, AlterConfigs) that the
    /// grant gives the holder and the deny forbids the other identity.
    model::Operation operation = model::Operation::Read;
};

/// Every such grant, topic and deny, in graph order (KM459). The holder's own denies count:
/// a topic it is itself denied is not reported. Describe alone is not reported: it shows
/// metadata, not records.
std::vector<DeniedTopicCover> denied_topic_covers(const model::Topology& topology,
                                                  const graph::AccessGraph& graph);

/// True when the deny entry's pattern matches every resource the allow entry's pattern matches.
bool pattern_covers(const graph::AclEntry& deny, const graph::AclEntry& allow);

}  // namespace km::review
