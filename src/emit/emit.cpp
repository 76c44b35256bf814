#include "emit/emit.h"

#include "emit/emitted_names.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <tuple>

namespace km::emit {

Value string_map(const std::map<std::string, std::string>& entries) {
    Value map = Value::mapping();
    for (const auto& [k, v] : entries) {
        map.set(k, Value::string(v));
    }
    return map;
}

Value base_document(const EmitContext& context, const std::string& kind, const std::string& name,
                    const std::string& ns, std::map<std::string, std::string> labels,
                    std::map<std::string, std::string> annotations) {
    const Template& t = context.templates.get(kind);
    for (const auto& [k, v] : t.labels) {
        labels.emplace(k, v);
    }
    for (const auto& [k, v] : t.annotations) {
        annotations.emplace(k, v);
    }
    labels["app.kubernetes.io/managed-by"] = "kafkamesh";
    labels["kafkamesh.io/topology"] = context.topology.metadata->name.value;
    Value doc = Value::mapping();
    doc.set("apiVersion", Value::string(t.api_version));
    doc.set("kind", Value::string(t.kind));
    Value& metadata = doc.set("metadata", Value::mapping());
    metadata.set("name", Value::string(name));
    if (!ns.empty()) {
        metadata.set("namespace", Value::string(ns));
    }
    Value& label_map = metadata.set("labels", Value::mapping());
    for (const auto& [k, v] : labels) {
        label_map.set(k, Value::string(v));
    }
    if (!annotations.empty()) {
        Value& annotation_map = metadata.set("annotations", Value::mapping());
        for (const auto& [k, v] : annotations) {
            annotation_map.set(k, Value::string(v));
        }
    }
    return doc;
}

void add_document(const EmitContext& context, std::vector<Manifest>& out, int rank,
                  std::string kind, std::string ns, std::string name, const Value& document) {
    if (context.sink) {
        check_emitted_document({kind, ns, name}, document, context.topology, *context.sink);
    }
    out.emplace_back(rank, std::move(kind), std::move(ns), std::move(name), document);
}

namespace {

/// Sorts by (rank, namespace, name), ties in emission order. The documents are ordered through
/// an index and then moved into place once each along the permutation's cycles: sorting the
/// documents themselves would move every one of them about log n times.
void sort_in_apply_order(std::vector<Manifest>& manifests) {
    std::vector<std::uint32_t> order(manifests.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) {
        order[i] = i;
    }
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        const Manifest& x = manifests[a];
        const Manifest& y = manifests[b];
        return std::tie(x.rank, x.ns, x.name, a) < std::tie(y.rank, y.ns, y.name, b);
    });
    // Position i receives the document order[i]; following each cycle moves every document once.
    for (std::uint32_t start = 0; start < order.size(); ++start) {
        if (order[start] == start) {
            continue;
        }
        Manifest held = std::move(manifests[start]);
        std::uint32_t at = start;
        while (order[at] != start) {
            std::uint32_t from = order[at];
            manifests[at] = std::move(manifests[from]);
            order[at] = at;
            at = from;
        }
        manifests[at] = std::move(held);
        order[at] = at;
    }
}

}  // namespace

std::vector<Manifest> emit_manifests(const EmitContext& context, Groups groups) {
    std::vector<Manifest> out;
    // About one document per identity (its KafkaUser, and its KafkaAccess with the access
    // operator), per topic and a few per namespace: reserving avoids holding the list twice
    // while it grows.
    const model::Kafka& kafka = *context.topology.kafka;
    std::size_t per_identity = kafka.distribution != model::Distribution::strimzi ? 0
                               : kafka.strimzi && kafka.strimzi->access_operator  ? 2
                                                                                  : 1;
    out.reserve(per_identity * context.graph.identities.size() + context.topology.topics.size() +
                4 * context.topology.namespaces.size() + 16);
    emit_istio(context, groups, out);
    if (groups & static_cast<Groups>(Group::mesh)) {
        emit_mesh_filters(context, out);
    }
    if ((groups & static_cast<Groups>(Group::kafka)) &&
        context.topology.kafka->distribution == model::Distribution::strimzi) {
        emit_strimzi(context, out);
    }
    sort_in_apply_order(out);
    return out;
}

Output emit_output(const EmitContext& context, const EmitOptions& options) {
    Output out;
    out.manifests = emit_manifests(context, options.groups);
    if (!(options.groups & static_cast<Groups>(Group::kafka)) ||
        context.topology.kafka->distribution != model::Distribution::bitnami) {
        return out;
    }
    Value values = emit_bitnami_values(context);
    if (options.helm_release == HelmRelease::flux) {
        emit_flux(context, std::move(values), out.manifests);
        sort_in_apply_order(out.manifests);
    } else {
        out.helm_values = std::move(values);
    }
    return out;
}

std::string output_file_name(const Manifest& m) {
    std::string kind = m.kind;
    std::transform(kind.begin(), kind.end(), kind.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (m.ns.empty()) {
        return fmt::format("{:02}-{}.yaml", m.rank / 10, kind);
    }
    return fmt::format("{:02}-{}-{}.yaml", m.rank / 10, kind, m.ns);
}

}  // namespace km::emit
