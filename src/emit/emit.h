// Turns the validated topology and its access graph into Kubernetes documents in apply order.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "emit/manifest.h"
#include "emit/templates.h"
#include "graph/access_graph.h"
#include "model/topology.h"

namespace km::emit {

enum class Group : std::uint8_t { namespaces = 1, mesh = 2, kafka = 4 };
using Groups = std::uint8_t;
inline constexpr Groups all_groups = 7;

/// Apply order (outputs.md): the ALLOW policies land before allow-nothing so applying never
/// opens an outage window.
namespace rank {
inline constexpr int namespace_ = 10;
inline constexpr int peer_authentication = 20;
inline constexpr int allow_policy = 30;
inline constexpr int allow_nothing = 31;
inline constexpr int destination_rule = 40;
inline constexpr int sidecar = 41;
inline constexpr int telemetry = 42;
inline constexpr int envoy_filter = 50;
inline constexpr int wasm_plugin = 51;
inline constexpr int kafka = 60;
inline constexpr int kafka_node_pool = 61;
inline constexpr int kafka_topic = 70;
inline constexpr int kafka_user = 80;
inline constexpr int kafka_access = 90;
}  // namespace rank

struct EmitContext {
    const model::Topology& topology;
    const graph::AccessGraph& graph;
    const Templates& templates;
};

/// Every document of the selected groups, sorted by (rank, namespace, name).
std::vector<Manifest> emit_manifests(const EmitContext& context, Groups groups);

/// The file a document goes to under `compile -o DIR`: "<NN>-<kind>.yaml", NN its apply position.
std::string output_file_name(const Manifest& m);

// The emitters, one per target.
void emit_istio(const EmitContext& context, Groups groups, std::vector<Manifest>& out);
void emit_strimzi(const EmitContext& context, std::vector<Manifest>& out);
/// `mesh.filters`: EnvoyFilter (kafka_broker), WasmPlugin (identity), Telemetry (access logs).
void emit_mesh_filters(const EmitContext& context, std::vector<Manifest>& out);

/// A document from the kind's template: apiVersion, kind, metadata with name, namespace and the
/// merged labels and annotations (sorted), ready for the emitter to add its spec.
Value base_document(const EmitContext& context, const std::string& kind, const std::string& name,
                    const std::string& ns, std::map<std::string, std::string> labels = {},
                    std::map<std::string, std::string> annotations = {});

}  // namespace km::emit
