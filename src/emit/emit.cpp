#include "emit/emit.h"

#include "emit/emitted_names.h"
#include "emit/token_auth.h"
#include "util/parallel.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <iterator>
#include <mutex>

namespace km::emit {

Value restricted_security_context() {
    Value security = Value::mapping();
    security.set("allowPrivilegeEscalation", Value::boolean(false));
    security.set("capabilities", Value::mapping())
        .set("drop", Value::sequence())
        .push(Value::string("ALL"));
    security.set("readOnlyRootFilesystem", Value::boolean(true));
    security.set("runAsNonRoot", Value::boolean(true));
    security.set("seccompProfile", Value::mapping()).set("type", Value::string("RuntimeDefault"));
    return security;
}

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
    const Template& t = context.templates.get(kind, name);
    for (const auto& [k, v] : t.labels) {
        labels.emplace(k, v);
    }
    for (const auto& [k, v] : t.annotations) {
        annotations.emplace(k, v);
    }
    if (protected_kind(kind)) {
        // Pruning never deletes data or workloads: Argo CD skips a resource with Prune=false and
        // keeps it when the Application is deleted with Delete=false (argo-cd
        // docs/user-guide/sync-options.md, "No Prune Resources", "No Resource Deletion"); Flux's
        // garbage collection skips `kustomize.toolkit.fluxcd.io/prune: disabled`
        // (kustomize-controller docs/spec/v1/kustomizations.md, "Prune"). A template may set
        // either key to opt out.
        annotations.emplace("argocd.argoproj.io/sync-options", "Prune=false,Delete=false");
        annotations.emplace("kustomize.toolkit.fluxcd.io/prune", "disabled");
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
    metadata.set("labels", string_map(labels));
    if (!annotations.empty()) {
        metadata.set("annotations", string_map(annotations));
    }
    return doc;
}

std::string owning_namespace(const EmitContext& context, const std::string& ns) {
    if (ns.empty() || (context.topology.kafka && ns == context.topology.kafka->ns.value)) {
        return "";
    }
    return ns;
}

void add_document(const EmitContext& context, std::vector<Manifest>& out, int rank,
                  std::string kind, std::string ns, std::string name, const Value& document,
                  std::optional<std::string> owner) {
    if (context.sink) {
        check_emitted_document({kind, ns, name}, document, context.topology, *context.sink);
    }
    if (context.read_document) {
        (*context.read_document)(document);
        return;
    }
    std::string owned_by = owner ? std::move(*owner) : owning_namespace(context, ns);
    Manifest& m = out.emplace_back(rank, std::move(kind), std::move(ns), std::move(name), document,
                                   context.spool);
    m.owner = std::move(owned_by);
}

namespace {

/// (rank, namespace, name), which Kubernetes makes unique, then the text, so that the order never
/// depends on the order the documents were made in. Three-way: each string is compared once.
int compare_apply_order(const Manifest& x, const Manifest& y) {
    if (x.rank != y.rank) {
        return x.rank < y.rank ? -1 : 1;
    }
    if (int c = x.ns.compare(y.ns)) {
        return c;
    }
    if (int c = x.name.compare(y.name)) {
        return c;
    }
    if (x.spool || y.spool) {
        return x.text().value_or("").compare(y.text().value_or(""));
    }
    return x.yaml.compare(y.yaml);
}

/// Sorts into apply order. `run_ends` cuts the list into the lists the jobs made (each run ends
/// before its entry): an emitter makes its documents in order, so each run is usually sorted
/// already (checked in one pass) and the runs are merged pairwise, about n log(runs)
/// comparisons instead of n log n. The documents are ordered through an index and then moved
/// into place once each along the permutation's cycles: sorting the documents themselves would
/// move every one of them about log n times.
void sort_in_apply_order(std::vector<Manifest>& manifests, std::vector<std::size_t> run_ends) {
    std::vector<std::uint32_t> order(manifests.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) {
        order[i] = i;
    }
    auto before = [&](std::uint32_t a, std::uint32_t b) {
        return compare_apply_order(manifests[a], manifests[b]) < 0;
    };
    std::size_t begin = 0;
    for (std::size_t end : run_ends) {
        if (!std::is_sorted(order.begin() + begin, order.begin() + end, before)) {
            std::sort(order.begin() + begin, order.begin() + end, before);
        }
        begin = end;
    }
    while (run_ends.size() > 1) {
        std::vector<std::size_t> merged;
        std::size_t first = 0;
        for (std::size_t i = 0; i < run_ends.size(); i += 2) {
            if (i + 1 < run_ends.size()) {
                std::inplace_merge(order.begin() + first, order.begin() + run_ends[i],
                                   order.begin() + run_ends[i + 1], before);
            }
            first = run_ends[std::min(i + 1, run_ends.size() - 1)];
            merged.push_back(first);
        }
        run_ends = std::move(merged);
    }
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

/// About one document per identity (its KafkaUser, and its KafkaAccess with the access operator),
/// per topic and a few per namespace: reserving this avoids holding the list twice as it grows.
std::size_t expected_documents(const EmitContext& context) {
    const model::Kafka& kafka = *context.topology.kafka;
    std::size_t per_identity = kafka.distribution != model::Distribution::strimzi ? 3
                               : kafka.strimzi && kafka.strimzi->access_operator  ? 2
                                                                                  : 1;
    return per_identity * context.graph.identities.size() + context.topology.topics.size() +
           4 * context.topology.namespaces.size() + 16;
}

/// Runs the jobs on up to as many threads as the machine has cores (at most four). Each job
/// writes into a list of its own, handed over to the result when the job ends, and reports the
/// last-line-of-defence check into a sink of its own; the sinks are joined in job order. The
/// lists arrive in any order, each ending where `run_ends` says: sort_in_apply_order gives the
/// documents the one order there is.
std::vector<Manifest> run_jobs(const EmitContext& context, const std::vector<EmitJob>& jobs,
                               std::vector<std::size_t>& run_ends) {
    std::vector<diag::DiagnosticSink> sinks(jobs.size());
    std::vector<Manifest> out;
    out.reserve(expected_documents(context));
    std::mutex out_mutex;
    util::run_indices(jobs.size(), 4, [&](std::size_t i) {
        EmitContext own = context;
        own.sink = context.sink ? &sinks[i] : nullptr;
        std::vector<Manifest> documents;
        jobs[i](own, documents);
        std::lock_guard<std::mutex> lock(out_mutex);
        std::move(documents.begin(), documents.end(), std::back_inserter(out));
        run_ends.push_back(out.size());
    });
    if (context.sink) {
        for (diag::DiagnosticSink& sink : sinks) {
            context.sink->append(std::move(sink));
        }
    }
    return out;
}

}  // namespace

std::vector<Manifest> emit_manifests(const EmitContext& context, Groups groups) {
    std::vector<EmitJob> jobs;
    jobs.emplace_back(
        [groups](const EmitContext& c, std::vector<Manifest>& out) { emit_istio(c, groups, out); });
    if (groups & static_cast<Groups>(Group::mesh)) {
        jobs.emplace_back(emit_mesh_filters);
    }
    if (groups & static_cast<Groups>(Group::kafka)) {
        if (context.topology.kafka->distribution == model::Distribution::strimzi) {
            add_strimzi_jobs(context, jobs);
        } else {
            // The chart runs the brokers; the standalone operators reconcile users and topics.
            jobs.emplace_back(emit_reconcilers);
            add_topic_and_user_jobs(context, jobs);
            add_slices(jobs, context.graph.identities.size(), emit_credential_access);
            if (context.topology.kafka->authentication ==
                model::Authentication::service_account_token) {
                jobs.emplace_back(emit_issuer_discovery_binding);
            }
        }
    }
    if (groups & static_cast<Groups>(Group::kafka) && context.topology.kafka->apply_job) {
        jobs.emplace_back(emit_apply_job);
    }
    std::vector<std::size_t> run_ends;
    std::vector<Manifest> out = run_jobs(context, jobs, run_ends);
    sort_in_apply_order(out, std::move(run_ends));
    return out;
}

Output emit_output(const EmitContext& context, const EmitOptions& options) {
    Output out;
    out.manifests = emit_manifests(context, options.groups);
    out.prune_allowlist = prune_allowlist(context, options);
    // A release that runs already (kafka.managed: false) is not described: no chart values.
    if (!(options.groups & static_cast<Groups>(Group::kafka)) ||
        context.topology.kafka->distribution != model::Distribution::bitnami ||
        !context.topology.kafka->managed) {
        return out;
    }
    Value values = emit_bitnami_values(context);
    if (options.helm_release == HelmRelease::flux) {
        std::size_t sorted = out.manifests.size();
        emit_flux(context, std::move(values), out.manifests);
        sort_in_apply_order(out.manifests, {sorted, out.manifests.size()});
    } else {
        out.helm_values = std::move(values);
    }
    return out;
}

bool protected_kind(std::string_view kind) {
    return kind == "Namespace" || kind == "KafkaTopic" || kind == "Kafka" ||
           kind == "KafkaNodePool" || kind == "HelmRelease";
}

std::vector<std::string> prune_allowlist(const EmitContext& context, const EmitOptions& options) {
    std::vector<std::pair<std::string, std::string>> kinds;  // apiVersion, kind
    auto from_template = [&](const std::string& kind) {
        kinds.emplace_back(context.templates.get(kind).api_version, kind);
    };
    if (options.groups & static_cast<Groups>(Group::mesh)) {
        for (const char* kind :
             {"AuthorizationPolicy", "DestinationRule", "EnvoyFilter", "NetworkPolicy",
              "PeerAuthentication", "Sidecar", "Telemetry", "WasmPlugin"}) {
            from_template(kind);
        }
    }
    const model::Kafka& kafka = *context.topology.kafka;
    if (options.groups & static_cast<Groups>(Group::kafka) &&
        kafka.authentication == model::Authentication::service_account_token) {
        from_template("ClusterRoleBinding");
        if (kafka.apply_job) {
            from_template("ConfigMap");
            from_template("Job");
        }
    }
    if (options.groups & static_cast<Groups>(Group::kafka)) {
        if (kafka.distribution == model::Distribution::strimzi) {
            kinds.emplace_back(strimzi_api_version(kafka), "KafkaUser");
            if (kafka.strimzi && kafka.strimzi->access_operator) {
                from_template("KafkaAccess");
            }
        } else {
            // The standalone operators and each identity's credential Role go with the
            // topology's Bitnami target; KafkaUser carries no data (the credential is recreated).
            kinds.emplace_back(strimzi_api_version(kafka), "KafkaUser");
            for (const char* kind : {"Deployment", "Role", "RoleBinding", "ServiceAccount"}) {
                from_template(kind);
            }
            if (options.helm_release == HelmRelease::flux) {
                from_template("HelmRepository");
            }
        }
    }
    std::vector<std::string> out;
    for (const auto& [api_version, kind] : kinds) {
        if (protected_kind(kind)) {
            continue;
        }
        bool core = api_version.find('/') == std::string::npos;
        out.push_back(fmt::format("{}{}/{}", core ? "core/" : "", api_version, kind));
    }
    std::sort(out.begin(), out.end());
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
