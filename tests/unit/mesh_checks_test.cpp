// The mesh lint (KM401-KM409, KM415, KM416) and the version gates of the mesh pod settings.
#include <doctest/doctest.h>

#include "emit/pod_mesh.h"
#include "model/derived.h"
#include "test_support.h"

using km::test::compile_text;
using km::test::diagnostics_of;
using km::test::header;
using Codes = std::vector<std::string>;

namespace {

const std::string k_digest = "5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef";

/// The test header, `kafka` extras (lines 7..), then `mesh` and one client.
std::string with_mesh(const std::string& mesh, const std::string& extra_kafka = "",
                      const std::string& namespaces = "namespaces: [{name: shop}]\n") {
    return header(extra_kafka) + "mesh:\n" + mesh + namespaces +
           "topics: [{name: orders}]\n"
           "services: [{name: checkout, namespace: shop, produces: [orders]}]\n";
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_SUITE("check") {
    TEST_CASE("check_mesh") {
        SUBCASE("permissive mTLS is KM401 at the mode; strict is clean") {
            CHECK(diagnostics_of(with_mesh("  mtls: permissive\n")) == Codes{"KM401@8:9"});
            CHECK(diagnostics_of(with_mesh("  mtls: strict\n")) == Codes{});
        }
        SUBCASE("an idle timeout at or below Kafka's idle setting is KM402") {
            CHECK(diagnostics_of(with_mesh("  idleTimeout: 10m\n")) == Codes{"KM402@8:16"});
            CHECK(diagnostics_of(with_mesh("  idleTimeout: 601s\n")) == Codes{});
            CHECK(diagnostics_of(with_mesh("  idleTimeout: 0s\n")) == Codes{"KM402@8:16"});
            // A kafka.config override moves the threshold both ways.
            CHECK(diagnostics_of(with_mesh("  idleTimeout: 1h\n",
                                           "  config: {connections.max.idle.ms: 3600000}\n")) ==
                  Codes{"KM402@9:16"});
            CHECK(diagnostics_of(with_mesh("  idleTimeout: 5m\n",
                                           "  config: {connections.max.idle.ms: 240000}\n")) ==
                  Codes{});
        }
        SUBCASE("an idle timeout istiod's webhook rejects is KM415") {
            CHECK(diagnostics_of(with_mesh("  idleTimeout: 1h500us\n")) == Codes{"KM415@8:16"});
            CHECK(diagnostics_of(with_mesh("  idleTimeout: 2h0.5ms\n")) == Codes{"KM415@8:16"});
            CHECK(diagnostics_of(with_mesh("  idleTimeout: 1h0m0.0005s\n")) == Codes{"KM415@8:16"});
            CHECK(diagnostics_of(with_mesh("  idleTimeout: 100us\n")) == Codes{"KM415@8:16"});
            CHECK(diagnostics_of(with_mesh("  idleTimeout: 9999999h\n")) == Codes{"KM415@8:16"});
            CHECK(diagnostics_of(with_mesh("  idleTimeout: 2562047h\n")) == Codes{});
            CHECK(diagnostics_of(with_mesh("  idleTimeout: 2562048h\n")) == Codes{"KM415@8:16"});
            CHECK(diagnostics_of(with_mesh("  idleTimeout: 1h0.5s\n")) == Codes{});
            CHECK(diagnostics_of(with_mesh("  idleTimeout: 1h1ms\n")) == Codes{});
        }
        SUBCASE("an identity image without a registry host is KM416") {
            CHECK(diagnostics_of(with_mesh(
                      "  filters:\n    identity: {image: kafka-identity@sha256:" + k_digest + "}\n",
                      "  authentication: mesh\n  config: {principal.builder.class: x.B}\n")) ==
                  Codes{"KM416@11:23"});
            CHECK(diagnostics_of(with_mesh(
                      "  filters:\n    identity: {image: org/id@sha256:" + k_digest + "}\n",
                      "  authentication: mesh\n  config: {principal.builder.class: x.B}\n")) ==
                  Codes{"KM416@11:23"});
            CHECK(diagnostics_of(with_mesh(
                      "  filters:\n    identity: {image: r.io/id@sha256:" + k_digest + "}\n",
                      "  authentication: mesh\n  config: {principal.builder.class: x.B}\n")) ==
                  Codes{});
            CHECK(km::model::image_registry_url("r.io/id@sha256:x") == "oci://r.io/id@sha256:x");
            CHECK(km::model::image_registry_url("localhost/id") == "oci://localhost/id");
            CHECK(km::model::image_registry_url("https://h/id.wasm") == "https://h/id.wasm");
            CHECK_FALSE(km::model::image_registry_url("oci://id@sha256:x"));
        }
        SUBCASE("native sidecars asked for below Istio 1.24 are KM407") {
            CHECK(diagnostics_of(with_mesh("  istioVersion: \"1.23\"\n  nativeSidecars: true\n")) ==
                  Codes{"KM407@9:19"});
            CHECK(diagnostics_of(
                      with_mesh("  istioVersion: \"1.23\"\n  nativeSidecars: false\n")) == Codes{});
        }
        SUBCASE("kafka_broker with Istio's stock proxyv2 is KM403; a contrib image is clean") {
            CHECK(diagnostics_of(with_mesh("  filters:\n    kafkaMetrics: {proxyImage: "
                                           "gcr.io/istio-release/proxyv2:1.29.0@sha256:" +
                                           k_digest + "}\n")) == Codes{"KM403@9:32"});
            CHECK(
                diagnostics_of(with_mesh(
                    "  filters:\n    kafkaMetrics: {proxyImage: example.com/proxyv2-contrib}\n")) ==
                Codes{});
        }
        SUBCASE("an identity image without a digest is KM404") {
            CHECK(diagnostics_of(with_mesh("  filters:\n    identity: {image: oci://r/id:1}\n",
                                           "  authentication: mesh\n"
                                           "  config: {principal.builder.class: x.B}\n")) ==
                  Codes{"KM404@11:23"});
            CHECK(diagnostics_of(with_mesh(
                      "  filters:\n    identity: {image: oci://r/id@sha256:" + k_digest.substr(1) +
                          "}\n",
                      "  authentication: mesh\n"
                      "  config: {principal.builder.class: x.B}\n")) == Codes{"KM404@11:23"});
            CHECK(diagnostics_of(with_mesh(
                      "  filters:\n    identity: {image: oci://r/id@sha256:" + k_digest + "}\n",
                      "  authentication: mesh\n"
                      "  config: {principal.builder.class: x.B}\n")) == Codes{});
        }
        SUBCASE("the identity filter without authentication mesh is KM405") {
            CHECK(diagnostics_of(with_mesh("  filters:\n    identity: {image: oci://r/id@sha256:" +
                                           k_digest + "}\n")) == Codes{"KM405@9:15"});
        }
        SUBCASE("sidecar-only features under ambient are KM406, one per feature") {
            CHECK(diagnostics_of(with_mesh(
                      "  dataplane: ambient\n  filters:\n    kafkaMetrics: {proxyImage: x/y}\n"
                      "    accessLogs: true\n",
                      "", "namespaces: [{name: shop, limitEgress: true}]\n")) ==
                  Codes{"KM406@10:19", "KM406@11:17", "KM406@12:40"});
            CHECK(diagnostics_of(
                      with_mesh("  dataplane: sidecar\n  filters:\n    accessLogs: true\n", "",
                                "namespaces: [{name: shop, limitEgress: true}]\n")) == Codes{});
        }
        SUBCASE("an Istio older than the v1 APIs is KM407 at the version") {
            CHECK(diagnostics_of(with_mesh("  istioVersion: \"1.21\"\n")) == Codes{"KM407@8:17"});
            CHECK(diagnostics_of(with_mesh("  istioVersion: \"1.22\"\n")) == Codes{});
        }
        SUBCASE("Bitnami runs no Job, so an Istio without native sidecars is no finding") {
            // KM408 is retired: the operators are Deployments that never exit.
            CHECK(diagnostics_of(with_mesh("  istioVersion: \"1.23\"\n",
                                           "  distribution: bitnami\n")) == Codes{});
            CHECK(diagnostics_of(with_mesh("  istioVersion: \"1.24\"\n",
                                           "  distribution: bitnami\n")) == Codes{});
            CHECK(diagnostics_of(with_mesh("  istioVersion: \"1.23\"\n  dataplane: ambient\n",
                                           "  distribution: bitnami\n")) == Codes{});
            CHECK(diagnostics_of(with_mesh("  istioVersion: \"1.23\"\n")) == Codes{});
        }
        SUBCASE("kafka_broker in front of the tls listener is KM409") {
            CHECK(diagnostics_of(with_mesh("  filters:\n    kafkaMetrics: {proxyImage: x/y}\n",
                                           "  authentication: tls\n")) == Codes{"KM409@10:19"});
        }
    }
}

TEST_SUITE("emit") {
    TEST_CASE("mesh pod settings follow mesh.istioVersion and the dataplane") {
        SUBCASE("native sidecars from Istio 1.24 only") {
            CHECK(contains(compile_text(with_mesh("  istioVersion: \"1.24\"\n")),
                           "sidecar.istio.io/nativeSidecar: \"true\""));
            CHECK_FALSE(
                contains(compile_text(with_mesh("  istioVersion: \"1.23\"\n")), "nativeSidecar"));
            // Off on request (Kubernetes before 1.29), written out so Istio cannot turn it on.
            CHECK(contains(compile_text(with_mesh("  nativeSidecars: false\n")),
                           "sidecar.istio.io/nativeSidecar: \"false\""));
        }
        SUBCASE("without native sidecars the broker's proxy waits for its connections to close") {
            CHECK(contains(compile_text(with_mesh("  istioVersion: \"1.23\"\n")),
                           "\\\"EXIT_ON_ZERO_ACTIVE_CONNECTIONS\\\":\\\"true\\\""));
            CHECK(contains(compile_text(with_mesh("  nativeSidecars: false\n")),
                           "EXIT_ON_ZERO_ACTIVE_CONNECTIONS"));
            CHECK_FALSE(contains(compile_text(with_mesh("  istioVersion: \"1.24\"\n")),
                                 "EXIT_ON_ZERO_ACTIVE_CONNECTIONS"));
        }
        SUBCASE("the inbound idle timeout is the mesh idle timeout") {
            CHECK(contains(compile_text(with_mesh("  idleTimeout: 2h\n")),
                           "\\\"ISTIO_META_IDLE_TIMEOUT\\\":\\\"2h\\\""));
        }
        SUBCASE("ambient emits no pod settings and no filters") {
            std::string out = compile_text(with_mesh("  dataplane: ambient\n"));
            CHECK_FALSE(contains(out, "sidecar.istio.io"));
            CHECK_FALSE(contains(out, "proxy.istio.io"));
            CHECK(contains(out, "istio.io/dataplane-mode: ambient"));
        }
        SUBCASE("Jobs and helpers get no broker-only settings") {
            km::model::Topology t;
            t.mesh.filters = km::model::Filters{};
            t.mesh.filters->kafka_metrics_proxy_image = km::model::Text{"x/y", {}};
            auto broker = km::emit::mesh_pod_annotations(t, km::emit::PodRole::broker);
            auto job = km::emit::mesh_pod_annotations(t, km::emit::PodRole::job);
            CHECK(broker.count("sidecar.istio.io/proxyImage") == 1);
            CHECK(job.count("sidecar.istio.io/proxyImage") == 0);
            CHECK(job.at("sidecar.istio.io/nativeSidecar") == "true");
            CHECK_FALSE(contains(job.at("proxy.istio.io/config"), "ISTIO_META_IDLE_TIMEOUT"));
        }
        SUBCASE("the digest is read only from a full @sha256: reference") {
            CHECK(km::model::image_sha256("oci://r/x@sha256:" + k_digest) == k_digest);
            CHECK(km::model::image_sha256("oci://r/x:sha256") == "");
            CHECK(km::model::image_sha256("oci://r/x@sha256:" + k_digest + "0") == "");
        }
    }
}
