// Environments (topology.md "Environments"): overrides laid over the sections as written, checked
// where they are written, and topic limits that keep every topic writable.
#include <doctest/doctest.h>

#include "model/derived.h"
#include "model/environment.h"
#include "test_support.h"

using km::test::diagnostics_of;
using km::test::header;
using Codes = std::vector<std::string>;

namespace {

/// The front end on one file with --env `environment`; the topology, or nothing on an error.
std::optional<km::FrontEnd> front_end_as(const std::string& text, const std::string& environment,
                                         std::vector<std::string>* codes = nullptr) {
    km::test::ScratchDir dir({{"input.yaml", text}});
    km::Session session;
    session.environment = environment;
    std::optional<km::FrontEnd> front = km::run_front_end({dir.path("input.yaml")}, session);
    if (codes) {
        for (const km::diag::Diagnostic& d : session.sink.sorted()) {
            codes->push_back(std::string(km::diag::code_string(d.code)));
        }
    }
    return front;
}

const km::model::Topic& topic(const km::FrontEnd& front, const std::string& name) {
    for (const km::model::Topic& t : front.topology.topics) {
        if (t.name.value == name) {
            return t;
        }
    }
    FAIL("no topic " << name);
    return front.topology.topics.front();
}

// Lines 1-6 are the header; line 7 on is the text below.
const std::string k_topology =
    header(
        "  nodes: 5\n"                             // 7
        "  storage: {size: 100Gi, class: fast}\n"  // 8
        "  superUsers: [shop/admin, shop/ops]\n"   // 9
        "  config: {min.insync.replicas: 2, default.replication.factor: 3}\n") +
    "namespaces: [{name: shop}]\n"          // 11
    "services:\n"                           // 12
    "  - {name: admin, namespace: shop}\n"  // 13
    "  - {name: ops, namespace: shop}\n"    // 14
    "topics:\n"                             // 15
    "  - {name: a, replicas: 3, partitions: 12, config: {min.insync.replicas: 2}}\n"
    "  - {name: b, replicas: 3, config: {min.insync.replicas: 3}}\n"
    "  - {name: c, replicas: 5, config: {min.insync.replicas: 2}}\n"
    "  - {name: d, partitions: 2, config: {min.insync.replicas: 2}}\n"
    "  - {name: e, replicas: 2}\n"
    "  - {name: x, replicas: 3, partitions: 99, external: true}\n";

}  // namespace

TEST_SUITE("parse") {
    TEST_CASE("environments") {
        SUBCASE("min.insync.replicas keeps a topic writable and is never raised") {
            using km::model::lowered_min_insync_replicas;
            CHECK(lowered_min_insync_replicas(2, 3, 1) == 1);
            CHECK(lowered_min_insync_replicas(2, 3, 2) == 1);
            CHECK(lowered_min_insync_replicas(2, 5, 3) == 2);
            CHECK(lowered_min_insync_replicas(1, 3, 2) == 1);
            CHECK(lowered_min_insync_replicas(3, 3, 2) == 2);  // all replicas stay required
            CHECK(lowered_min_insync_replicas(3, 3, 1) == 1);
        }
        SUBCASE("without --env the topology is used as written") {
            std::string text = k_topology +
                               "environments:\n  dev:\n    kafka: {nodes: 1}\n"
                               "    topicLimits: {replicas: 1}\n";
            auto front = front_end_as(text, "");
            REQUIRE(front);
            CHECK(front->topology.kafka->nodes == 5);
            CHECK(*topic(*front, "a").replicas == 3);
        }
        SUBCASE("overrides merge maps key by key and replace lists") {
            std::string text =
                k_topology +
                "environments:\n  dev:\n"
                "    kafka: {nodes: 1, storage: {size: 1Gi}, superUsers: [shop/ops],\n"
                "            config: {min.insync.replicas: 1}}\n"
                "    mesh: {mtls: permissive}\n"
                "    topicLimits: {replicas: 1, partitions: 3}\n";
            auto front = front_end_as(text, "dev");
            REQUIRE(front);
            const km::model::Kafka& k = *front->topology.kafka;
            CHECK(k.nodes == 1);
            CHECK(k.storage.size.value == "1Gi");
            REQUIRE(k.storage.storage_class);
            CHECK(k.storage.storage_class->value == "fast");
            REQUIRE(k.super_users.size() == 1);
            CHECK(k.super_users[0].value == "shop/ops");
            CHECK(km::model::config_int(k.config, "min.insync.replicas") == 1);
            CHECK(km::model::config_int(k.config, "default.replication.factor") == 1);
            CHECK(front->topology.mesh.mtls == km::model::MtlsMode::permissive);
            // The override's value is located where the override is written.
            CHECK(k.nodes_location.line == 24);
            CHECK(*topic(*front, "a").replicas == 1);
            CHECK(*topic(*front, "a").partitions == 3);
            CHECK(km::model::config_int(topic(*front, "a").config, "min.insync.replicas") == 1);
            CHECK(*topic(*front, "d").partitions == 2);
            CHECK(*topic(*front, "x").replicas == 1);  // external topics are capped too
            CHECK(*topic(*front, "x").partitions == 3);
        }
        SUBCASE("a cap keeps the tolerance a topic had, or its all-replicas choice") {
            std::string text =
                k_topology + "environments:\n  small:\n    topicLimits: {replicas: 2}\n";
            auto front = front_end_as(text, "small");
            REQUIRE(front);
            auto min_isr = [&](const char* name) {
                return km::model::config_int(topic(*front, name).config, "min.insync.replicas");
            };
            CHECK(*topic(*front, "a").replicas == 2);
            CHECK(min_isr("a") == 1);
            CHECK(min_isr("b") == 2);
            CHECK(min_isr("c") == 1);
            CHECK(*topic(*front, "e").replicas == 2);
            // Without replicas of its own, d follows default.replication.factor: 3, capped at 2.
            CHECK(min_isr("d") == 1);
            CHECK(km::model::config_int(front->topology.kafka->config,
                                        "default.replication.factor") == 2);
            CHECK(km::model::config_int(front->topology.kafka->config, "min.insync.replicas") == 1);
        }
        SUBCASE("every environment is checked where it is written, selected or not") {
            std::string text = header() +
                               "environments:\n"                   // 7
                               "  dev:\n"                          // 8
                               "    mesh: {mtls: permisive}\n"     // 9
                               "    kafka:\n"                      // 10
                               "      nodes: one\n"                // 11
                               "      nodez: 1\n"                  // 12
                               "    topicLimits: {replicas: 0}\n"  // 13
                               "    topics: []\n"                  // 14
                               "  Prod: {}\n";                     // 15
            CHECK(diagnostics_of(text) == Codes{"KM204@9:18", "KM202@11:14", "KM201@12:7",
                                                "KM205@13:29", "KM201@14:5", "KM205@15:3"});
        }
        SUBCASE("acknowledge is not overridable; limits above the nodes are errors") {
            CHECK(diagnostics_of(header() + "environments:\n  dev:\n    kafka:\n"
                                            "      acknowledge: [{code: KM346, reason: r}]\n") ==
                  Codes{"KM361@10:7"});
            CHECK(diagnostics_of(header() + "environments:\n  dev:\n    kafka: {nodes: 1}\n"
                                            "    topicLimits: {replicas: 2}\n") ==
                  Codes{"KM363@10:29"});
        }
        SUBCASE("an unknown environment stops the run") {
            std::vector<std::string> codes;
            CHECK(!front_end_as(header() + "environments:\n  dev: {}\n", "prod", &codes));
            CHECK(codes == std::vector<std::string>{"KM360"});
            codes.clear();
            CHECK(!front_end_as(header(), "dev", &codes));
            CHECK(codes == std::vector<std::string>{"KM360"});
        }
    }
}
