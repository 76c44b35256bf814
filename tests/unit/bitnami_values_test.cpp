// The Bitnami target: its checks (codes and positions), the Flux wrapping, and the promise of the
// university example: no undeclared namespace or service account reaches any Kafka port, and only
// the producer may write my-topic.
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <set>
#include <sstream>

#include "emit/manifest_writer.h"
#include "test_support.h"

namespace {

km::emit::Output compile_dir(const std::string& input, km::emit::HelmRelease release) {
    km::Session session;
    km::CompileOptions options;
    options.helm_release = release;
    auto output = km::compile_output({input}, options, session);
    REQUIRE(output.has_value());
    return std::move(*output);
}

std::vector<YAML::Node> documents(const km::emit::Output& output) {
    return YAML::LoadAll(km::emit::write_stream(output.manifests));
}

const std::string k_example = std::string(KAFKAMESH_SOURCE_DIR) + "/examples/university-messaging";

std::string bitnami(const std::string& kafka_extra, const std::string& rest) {
    return km::test::header("  distribution: bitnami\n" + kafka_extra) + rest;
}

}  // namespace

TEST_SUITE("bitnami") {
    TEST_CASE("no undeclared namespace or service account reaches a Kafka port") {
        auto output = compile_dir(k_example, km::emit::HelmRelease::none);
        const std::set<std::string> declared = {
            "cluster.local/ns/default/sa/kafka-producer",
            "cluster.local/ns/default/sa/kafka-client",
            "cluster.local/ns/default/sa/kafka-provisioning",  // the chart's provisioning Job
            "cluster.local/ns/default/sa/kafka",               // the brokers themselves
        };
        std::set<std::string> ports_opened;
        bool allow_nothing = false;
        for (const YAML::Node& doc : documents(output)) {
            if (doc["kind"].as<std::string>() != "AuthorizationPolicy") {
                continue;
            }
            const YAML::Node spec = doc["spec"];
            if (spec.size() == 0) {
                allow_nothing |= doc["metadata"]["namespace"].as<std::string>() == "default";
                continue;
            }
            REQUIRE(spec["action"].as<std::string>() == "ALLOW");
            for (const YAML::Node& rule : spec["rules"]) {
                // A rule without a source would admit any pod, the attacker's included.
                REQUIRE(rule["from"]);
                for (const YAML::Node& from : rule["from"]) {
                    REQUIRE(from["source"]["principals"]);
                    CHECK_FALSE(from["source"]["namespaces"]);
                    for (const YAML::Node& p : from["source"]["principals"]) {
                        CHECK_MESSAGE(declared.count(p.as<std::string>()), p.as<std::string>());
                    }
                }
                for (const YAML::Node& to : rule["to"]) {
                    for (const YAML::Node& port : to["operation"]["ports"]) {
                        ports_opened.insert(port.as<std::string>());
                    }
                }
            }
        }
        CHECK(allow_nothing);  // everything not allowed above is denied
        CHECK(ports_opened == std::set<std::string>{"9092", "9093", "9094"});
    }

    TEST_CASE("the controller and inter-broker ports admit the brokers only") {
        auto output = compile_dir(k_example, km::emit::HelmRelease::none);
        for (const YAML::Node& doc : documents(output)) {
            if (doc["metadata"]["name"].as<std::string>() != "kafka-internal") {
                continue;
            }
            const YAML::Node rule = doc["spec"]["rules"][0];
            CHECK(rule["from"][0]["source"]["principals"].size() == 1);
            CHECK(rule["from"][0]["source"]["principals"][0].as<std::string>() ==
                  "cluster.local/ns/default/sa/kafka");
        }
    }

    TEST_CASE("only the producer may write my-topic") {
        auto output = compile_dir(k_example, km::emit::HelmRelease::none);
        REQUIRE(output.helm_values);
        YAML::Node values = YAML::Load(km::emit::write_yaml(*output.helm_values));
        CHECK(values["overrideConfiguration"]["allow.everyone.if.no.acl.found"].as<std::string>() ==
              "false");
        std::istringstream script(values["provisioning"]["postScript"].as<std::string>());
        std::set<std::string> writers;
        std::string line;
        int acl_lines = 0;
        while (std::getline(script, line)) {
            if (line.rfind("acl ", 0) != 0) {
                continue;
            }
            ++acl_lines;
            CHECK(line.find("--operation") != std::string::npos);  // never the implicit All
            CHECK(line.find("--operation All") == std::string::npos);
            CHECK(line.find("--deny-principal") == std::string::npos);
            if (line.find("--topic 'my-topic'") != std::string::npos &&
                line.find("--operation Write") != std::string::npos) {
                writers.insert(line.substr(0, line.find(" --operation")));
            }
        }
        CHECK(acl_lines == 3);
        CHECK(writers ==
              std::set<std::string>{"acl --allow-principal 'User:default-kafka-producer'"});
        // The other client and the chart's users are not super users.
        CHECK(values["overrideConfiguration"]["super.users"].as<std::string>() ==
              "User:kafkamesh-admin;User:inter_broker_user;User:controller_user");
        CHECK(values["sasl"]["client"]["users"][0].as<std::string>() == "kafkamesh-admin");
    }

    TEST_CASE("flux: the release installs the chart with exactly the values") {
        auto plain = compile_dir(k_example, km::emit::HelmRelease::none);
        auto flux = compile_dir(k_example, km::emit::HelmRelease::flux);
        CHECK_FALSE(flux.helm_values);  // one copy of the values only
        std::vector<YAML::Node> docs = documents(flux);
        REQUIRE(docs.size() == plain.manifests.size() + 2);
        const YAML::Node repo = docs[docs.size() - 2];
        const YAML::Node release = docs.back();
        CHECK(repo["apiVersion"].as<std::string>() == "source.toolkit.fluxcd.io/v1");
        CHECK(repo["kind"].as<std::string>() == "HelmRepository");
        CHECK(repo["spec"]["type"].as<std::string>() == "oci");
        CHECK(repo["spec"]["url"].as<std::string>() == "oci://registry-1.docker.io/bitnamicharts");
        CHECK(release["apiVersion"].as<std::string>() == "helm.toolkit.fluxcd.io/v2");
        CHECK(release["kind"].as<std::string>() == "HelmRelease");
        CHECK(release["metadata"]["namespace"].as<std::string>() == "default");
        CHECK(release["spec"]["releaseName"].as<std::string>() == "kafka");
        const YAML::Node chart = release["spec"]["chart"]["spec"];
        CHECK(chart["chart"].as<std::string>() == "kafka");
        CHECK(chart["version"].as<std::string>().rfind("32.", 0) == 0);
        CHECK(chart["sourceRef"]["kind"].as<std::string>() == "HelmRepository");
        CHECK(chart["sourceRef"]["name"].as<std::string>() ==
              repo["metadata"]["name"].as<std::string>());
        YAML::Emitter a;
        a << release["spec"]["values"];
        YAML::Emitter b;
        b << YAML::Load(km::emit::write_yaml(*plain.helm_values));
        CHECK(std::string(a.c_str()) == std::string(b.c_str()));
    }

    TEST_CASE("broker settings the chart generates are refused (KM314)") {
        CHECK(km::test::diagnostics_of(bitnami("  config: {listeners: x, num.partitions: 3}\n",
                                               "")) == std::vector<std::string>{"KM314@8:12"});
    }

    TEST_CASE("checks: codes and positions") {
        const std::string services =
            "namespaces: [{name: shop}]\n"
            "topics:\n"
            "  - name: orders\n"
            "    config: {follower.replication.throttled.replicas: '0:1, 0:2'}\n"
            "services:\n"
            "  - name: checkout\n"
            "    namespace: shop\n"
            "    consumes: [{topic: orders, group: \"-x\"}]\n";
        CHECK(km::test::diagnostics_of(bitnami("  authentication: tls\n", services)) ==
              std::vector<std::string>{"KM503@8:19", "KM501@12:55", "KM501@16:39"});
        // The same topology on Strimzi is clean: only the chart's shell lines need these.
        CHECK(km::test::diagnostics_of(km::test::header() + services).empty());
        CHECK(km::test::diagnostics_of(
                  bitnami("",
                          "namespaces: [{name: shop}]\ntopics: [{name: orders}]\n"
                          "services: [{name: c, namespace: shop, user: kafkamesh-admin, "
                          "produces: [orders]}]\n")) == std::vector<std::string>{"KM502@10:45"});
    }
}
