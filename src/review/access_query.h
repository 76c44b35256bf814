// The offline queries of the review commands: explain one service, who can do one operation,
// and the whole access matrix, each in text, markdown and json (csv for the matrix).
#pragma once

#include <optional>
#include <string>

#include "graph/access_graph.h"
#include "model/topology.h"
#include "source/source_manager.h"

namespace km::review {

enum class Format : std::uint8_t { text, markdown, json, csv };

struct QueryContext {
    const model::Topology& topology;
    const graph::AccessGraph& graph;
    const source::SourceManager& sources;
};

/// The identity of service "namespace/name", or nothing when no such service is declared.
const graph::Identity* find_service_identity(const QueryContext& c, const std::string& service);

/// Every ACL entry and mesh port of the service's identity, each with where it comes from.
std::string explain_service(const QueryContext& c, const std::string& service,
                            const graph::Identity& identity, Format format);

/// Every identity Kafka allows `operation` on the resource, with the deciding grants, and those a
/// deny grant stops. A name ending in '*' (not '*' alone, the wildcard) asks about every name
/// with that prefix: the grants that cover all of them, a wildcard or a prefix as wide or wider.
std::string who_can(const QueryContext& c, model::Operation operation, model::ResourceType type,
                    const std::string& name, Format format);

/// One row per identity and resource: effective allowed and denied operations, and mesh ports.
std::string access_matrix(const QueryContext& c, Format format);

}  // namespace km::review
