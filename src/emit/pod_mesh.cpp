#include "emit/pod_mesh.h"

#include <nlohmann/json.hpp>

#include "model/derived.h"

namespace km::emit {

std::map<std::string, std::string> mesh_filter_labels(const model::Topology& t) {
    std::map<std::string, std::string> labels;
    const model::Mesh& mesh = t.mesh;
    if (!mesh.filters || mesh.dataplane != model::Dataplane::sidecar) {
        return labels;
    }
    if (mesh.filters->kafka_metrics_proxy_image) {
        labels[k_kafka_metrics_label] = "true";
    }
    if (mesh.filters->identity_image) {
        labels[k_mesh_identity_label] = "true";
    }
    if (mesh.filters->access_logs) {
        labels[k_access_logs_label] = "true";
    }
    return labels;
}

std::map<std::string, std::string> mesh_pod_labels(const model::Topology& t, PodRole role) {
    if (t.mesh.dataplane != model::Dataplane::sidecar) {
        return {};
    }
    std::map<std::string, std::string> labels{{"sidecar.istio.io/inject", "true"}};
    // In a namespace with neither istio.io/rev nor istio-injection (one owned elsewhere) a
    // revision's injector matches only pods labelled istio.io/rev: <revision> (istio/istio
    // manifests/charts/istio-control/istio-discovery/templates/mutatingwebhook.yaml, the
    // "rev.object." webhook; without the label the default revision's "object." webhook, if any,
    // injects its own proxy). Where the namespace carries a label, that label decides.
    if (t.mesh.revision) {
        labels["istio.io/rev"] = t.mesh.revision->value;
    }
    if (role == PodRole::broker) {
        labels.merge(mesh_filter_labels(t));
    }
    return labels;
}

std::map<std::string, std::string> mesh_pod_annotations(const model::Topology& t, PodRole role) {
    const model::Mesh& mesh = t.mesh;
    if (mesh.dataplane != model::Dataplane::sidecar) {
        return {};
    }
    std::map<std::string, std::string> annotations;
    nlohmann::ordered_json proxy_config = {{"holdApplicationUntilProxyStarts", true}};
    const model::Filters* filters = mesh.filters ? &*mesh.filters : nullptr;
    bool kafka_metrics = filters && filters->kafka_metrics_proxy_image;
    if (role == PodRole::broker) {
        // The DestinationRule idleTimeout covers outbound connections only; the inbound side of
        // a broker's proxy reads it from proxy metadata (istio-and-kafka.md P8).
        proxy_config["proxyMetadata"] = {{"ISTIO_META_IDLE_TIMEOUT", mesh.idle_timeout.value}};
        if (!model::native_sidecars(mesh)) {
            // A regular sidecar gets SIGTERM with the broker, and pilot-agent kills Envoy after
            // terminationDrainDuration (5s by default: istio/api mesh/v1alpha1/proxy.proto),
            // which can cut Kafka's controlled shutdown. With this set the agent waits until
            // the broker has closed its connections (istio/istio pilot/cmd/pilot-agent/options/
            // options.go, EXIT_ON_ZERO_ACTIVE_CONNECTIONS).
            proxy_config["proxyMetadata"]["EXIT_ON_ZERO_ACTIVE_CONNECTIONS"] = "true";
        }
        if (kafka_metrics) {
            // Istio exposes only a subset of Envoy stats unless told otherwise.
            proxy_config["proxyStatsMatcher"] = {
                {"inclusionPrefixes", nlohmann::ordered_json::array({"kafka."})}};
            annotations["sidecar.istio.io/proxyImage"] = filters->kafka_metrics_proxy_image->value;
        }
    }
    annotations["proxy.istio.io/config"] = proxy_config.dump();
    // A native sidecar starts before and stops after the application: brokers never race their
    // proxy, and a Job completes when its container exits.
    // Explicitly off is written too from 1.24 on, so Istio's own detection (native only when
    // every kubelet is 1.33 or newer: istio/istio pkg/kube/inject/webhook.go
    // detectNativeSidecar) cannot change how the pods stop.
    if (model::istio_minor(mesh) >= model::k_istio_native_sidecar) {
        annotations["sidecar.istio.io/nativeSidecar"] =
            model::native_sidecars(mesh) ? "true" : "false";
    }
    return annotations;
}

}  // namespace km::emit
