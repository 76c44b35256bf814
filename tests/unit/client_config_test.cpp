// client-config agrees with the ACLs: for every service of every example and every format, the
// group, transactional and application ids it prints are allowed by Kafka's authorizer over the
// emitted ACLs, and another id of the same kind is not.
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "emit/client_config.h"
#include "graph/authorizer.h"
#include "test_support.h"

namespace {

using km::emit::ClientFormat;
using km::model::Operation;
using km::model::ResourceType;

/// The ids a rendered configuration sets, read back from its text as the client would.
struct PrintedIds {
    std::string group;
    std::string transactional;
    std::string application;
};

std::string unquote_shell(std::string value) {
    if (value.size() >= 2 && value.front() == '\'' && value.back() == '\'') {
        return value.substr(1, value.size() - 2);
    }
    return value;
}

std::map<std::string, std::string> key_values(const std::string& text) {
    std::map<std::string, std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        std::size_t eq = line.find('=');
        if (line.empty() || line[0] == '#' || eq == std::string::npos) {
            continue;
        }
        out[line.substr(0, eq)] = unquote_shell(line.substr(eq + 1));
    }
    return out;
}

std::string at(const std::map<std::string, std::string>& m, const std::string& key) {
    auto it = m.find(key);
    return it == m.end() ? "" : it->second;
}

PrintedIds printed_ids(const std::string& text, ClientFormat format) {
    PrintedIds ids;
    switch (format) {
        case ClientFormat::properties:
        case ClientFormat::librdkafka: {
            auto kv = key_values(text);
            return {at(kv, "group.id"), at(kv, "transactional.id"), at(kv, "application.id")};
        }
        case ClientFormat::env: {
            auto kv = key_values(text);
            return {at(kv, "KAFKA_GROUP_ID"), at(kv, "KAFKA_TRANSACTIONAL_ID"),
                    at(kv, "KAFKA_APPLICATION_ID")};
        }
        case ClientFormat::quarkus: {
            auto kv = key_values(text);
            return {at(kv, "kafka.group.id"), at(kv, "kafka.transactional.id"),
                    at(kv, "quarkus.kafka-streams.application-id")};
        }
        case ClientFormat::json: {
            auto j = nlohmann::json::parse(text);
            const auto& p = j["properties"];
            return {p.value("group.id", ""), p.value("transactional.id", ""),
                    p.value("application.id", "")};
        }
        case ClientFormat::spring: {
            YAML::Node root = YAML::Load(text);
            YAML::Node kafka = root["spring"]["kafka"];
            if (kafka["consumer"]["group-id"]) {
                ids.group = kafka["consumer"]["group-id"].as<std::string>();
            }
            if (kafka["producer"]["transaction-id-prefix"]) {
                // Spring appends a number per producer (DefaultKafkaProducerFactory).
                ids.transactional =
                    kafka["producer"]["transaction-id-prefix"].as<std::string>() + "0";
            }
            if (kafka["streams"]["application-id"]) {
                ids.application = kafka["streams"]["application-id"].as<std::string>();
            }
            return ids;
        }
    }
    return ids;
}

const km::graph::Identity& identity_of(const km::FrontEnd& front, const km::model::Service& s) {
    for (const km::graph::Identity& id : front.graph.identities) {
        if (id.ns == s.ns.value && id.service_account == s.account()) {
            return id;
        }
    }
    FAIL("no identity for " << s.name.value);
    throw std::logic_error("unreachable");
}

bool allowed(const km::graph::Identity& id, Operation op, ResourceType type,
             const std::string& name) {
    return km::graph::authorize(id, op, type, name).allowed();
}

/// Checks one rendered configuration against the identity's ACLs; returns how many ids it read.
int check_ids(const km::graph::Identity& id, const km::emit::ClientConfig& config,
              const PrintedIds& ids) {
    int checked = 0;
    // A super user is allowed everything, so "another id is denied" does not hold for it.
    bool strict = !id.super_user;
    if (!ids.group.empty()) {
        CHECK(allowed(id, Operation::Read, ResourceType::group, ids.group));
        if (strict) {
            CHECK_FALSE(allowed(id, Operation::Read, ResourceType::group, "other-" + ids.group));
        }
        ++checked;
    }
    if (!ids.transactional.empty()) {
        CHECK(allowed(id, Operation::Write, ResourceType::transactional_id, ids.transactional));
        if (config.transactional_prefix) {
            CHECK(allowed(id, Operation::Write, ResourceType::transactional_id,
                          ids.transactional + "instance-1"));
        }
        if (strict) {
            CHECK_FALSE(allowed(id, Operation::Write, ResourceType::transactional_id,
                                "other-" + ids.transactional));
        }
        ++checked;
    }
    if (!ids.application.empty()) {
        // Streams consumes as its application id, creates "<id>-..." topics and, with
        // exactly-once, uses "<id>-<process>-<thread>" transactional ids.
        CHECK(ids.application == config.application_id);
        CHECK(allowed(id, Operation::Read, ResourceType::group, ids.application));
        CHECK(allowed(id, Operation::Create, ResourceType::topic,
                      ids.application + "-store-changelog"));
        CHECK(allowed(id, Operation::Write, ResourceType::transactional_id,
                      ids.application + "-0a1b-1") == (config.exactly_once || id.super_user));
        if (strict) {
            CHECK_FALSE(
                allowed(id, Operation::Read, ResourceType::group, "other-" + ids.application));
        }
        ++checked;
    }
    return checked;
}

/// The client configuration of the first service of a one-file topology: its header and `body`.
km::emit::ClientConfig first_service_config(const std::string& body) {
    km::test::ScratchDir dir({{"input.yaml", km::test::header() + body}});
    km::Session session;
    auto front = km::run_front_end({dir.path("input.yaml")}, session);
    REQUIRE(front.has_value());
    return km::emit::client_config(front->topology, front->graph, front->topology.services[0]);
}

}  // namespace

TEST_SUITE("client-config") {
    TEST_CASE("every example's printed ids are the ones its ACLs allow, in every format") {
        std::filesystem::path examples = std::filesystem::path(KAFKAMESH_SOURCE_DIR) / "examples";
        int ids_checked = 0;
        int services = 0;
        for (const char* example :
             {"consol-istio-tutorial", "existing-platform", "multi-team", "university-messaging"}) {
            CAPTURE(example);
            km::Session session;
            auto front = km::run_front_end({(examples / example).string()}, session);
            REQUIRE(front.has_value());
            for (const km::model::Service& s : front->topology.services) {
                CAPTURE(s.name.value);
                ++services;
                const km::graph::Identity& id = identity_of(*front, s);
                km::emit::ClientConfig config =
                    km::emit::client_config(front->topology, front->graph, s);
                for (std::string_view name : km::emit::client_format_names()) {
                    CAPTURE(name);
                    ClientFormat format = *km::emit::parse_client_format(name);
                    if (km::emit::unsupported_format(config, format)) {
                        continue;
                    }
                    std::string text = km::emit::render_client_config(config, format);
                    PrintedIds ids = printed_ids(text, format);
                    ids_checked += check_ids(id, config, ids);
                    // Every group the model gives is allowed, printed or only named.
                    for (const std::string& group : config.groups) {
                        CHECK(allowed(id, Operation::Read, ResourceType::group, group));
                    }
                }
            }
        }
        CHECK(services > 10);
        CHECK(ids_checked > 30);
    }

    TEST_CASE("a group granted as a prefix is given as its prefix") {
        km::emit::ClientConfig config = first_service_config(
            "namespaces: [{name: shop}]\n"
            "topics: [{name: orders}, {name: payments}]\n"
            "services:\n"
            "  - {name: a, namespace: shop, consumes: [{topic: orders, group: "
            "'reports-*'}], transactionalId: a-tx}\n");
        CHECK(config.groups == std::vector<std::string>{"reports-"});
        CHECK(config.prefix_groups == std::vector<std::string>{"reports-"});
        CHECK(config.transactional_id == "a-tx");
        CHECK_FALSE(config.transactional_prefix);
        // Spring would append a number to a literal id: the key is left out.
        std::string spring = km::emit::render_client_config(config, ClientFormat::spring);
        CHECK(printed_ids(spring, ClientFormat::spring).transactional.empty());
        CHECK(printed_ids(spring, ClientFormat::spring).group == "reports-");
    }

    TEST_CASE("no format prints a credential value, only where it is") {
        km::emit::ClientConfig config = first_service_config(
            "namespaces: [{name: shop}]\n"
            "topics: [{name: orders}]\n"
            "services:\n"
            "  - {name: a, namespace: shop, produces: "
            "[orders]}\n");
        for (std::string_view name : km::emit::client_format_names()) {
            CAPTURE(name);
            std::string text =
                km::emit::render_client_config(config, *km::emit::parse_client_format(name));
            for (std::string key : {"sasl.jaas.config=", "KAFKA_SASL_JAAS_CONFIG=",
                                    "sasl.password=", "jaas-config="}) {
                CHECK(text.find(key) == std::string::npos);
            }
        }
    }
}
