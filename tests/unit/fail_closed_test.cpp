// Fail closed: on random topologies (seeded, bounded) the emitted mesh and Kafka policy admit
// exactly the declared principals, and no ALLOW policy opens a Kafka port to any source. The
// emission backstop (KM530) is tested on documents no topology can produce.
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <random>
#include <set>

#include "diag/diagnostic_sink.h"
#include "emit/emitted_names.h"
#include "test_support.h"

namespace {

struct RandomTopology {
    std::string text;
    std::set<std::string> admitted;  ///< mesh principals that must reach the client port
    std::set<std::string> users;     ///< Kafka users of those identities
    std::set<std::string> super_users;
};

RandomTopology random_topology(std::mt19937& rng) {
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    const std::vector<std::string> namespaces = {"shop", "billing", "ops"};
    const std::vector<std::string> topics = {"orders", "payments", "audit", "events.raw"};
    RandomTopology t;
    bool tls = pick(2) == 0;
    std::string services = "services:\n";
    std::string super_yaml;
    int count = pick(7);
    for (int i = 0; i < count; ++i) {
        std::string name = "svc" + std::to_string(i);
        std::string ns = namespaces[static_cast<std::size_t>(pick(3))];
        bool shared = pick(3) == 0;  // several services may share one identity
        std::string sa = shared ? "shared" : name;
        services += "  - name: " + name + "\n    namespace: " + ns + "\n";
        if (shared) {
            services += "    serviceAccount: shared\n";
        }
        bool grants = false;
        if (pick(2) == 0) {
            services += "    produces: [" + topics[static_cast<std::size_t>(pick(4))] + "]\n";
            grants = true;
        }
        if (pick(2) == 0) {
            services += "    consumes: [" + topics[static_cast<std::size_t>(pick(4))] + "]\n";
            grants = true;
        }
        if (pick(3) == 0) {
            services += "    roles: [" + std::string(pick(2) ? "reader" : "denier") + "]\n";
        }
        std::string principal = "cluster.local/ns/" + ns + "/sa/" + sa;
        bool super = pick(6) == 0;
        if (super) {
            super_yaml += (super_yaml.empty() ? "" : ", ") + ns + "/" + name;
            t.super_users.insert(tls ? "CN=" + ns + "-" + sa : ns + "-" + sa);
        }
        if (grants || super) {
            t.admitted.insert(principal);
            t.users.insert(ns + "-" + sa);
        }
        // A role grants too, so admission of role-only identities is checked as a subset below.
    }
    t.text =
        km::test::header(std::string("  authentication: ") + (tls ? "tls" : "scram-sha-512") +
                         "\n" +
                         (super_yaml.empty() ? "" : "  superUsers: [" + super_yaml + "]\n")) +
        "namespaces: [{name: shop}, {name: billing}, {name: ops}]\n"
        "topics: [{name: orders}, {name: payments}, {name: audit}, {name: events.raw}]\n"
        "roles:\n"
        "  - {name: reader, grants: [{topics: [audit], operations: [Read, Describe]}]}\n"
        "  - {name: denier, grants: [{topics: [orders], operations: [Write], effect: deny}]}\n" +
        (count > 0 ? services : "");
    return t;
}

std::set<std::string> strings(const YAML::Node& list) {
    std::set<std::string> out;
    for (const YAML::Node& n : list) {
        out.insert(n.as<std::string>());
    }
    return out;
}

}  // namespace

TEST_SUITE("fail closed") {
    TEST_CASE("admitted principals are exactly the declared ones") {
        std::mt19937 rng(20240611);
        for (int round = 0; round < 150; ++round) {
            RandomTopology t = random_topology(rng);
            CAPTURE(t.text);
            std::vector<YAML::Node> docs = YAML::LoadAll(km::test::compile_text(t.text));
            std::set<std::string> client_principals;
            std::set<std::string> kafka_users;
            std::set<std::string> super_users;
            bool client_policy = false;
            for (const YAML::Node& doc : docs) {
                std::string kind = doc["kind"].as<std::string>();
                if (kind == "AuthorizationPolicy" && doc["spec"]["action"] &&
                    doc["spec"]["action"].as<std::string>() == "ALLOW") {
                    if (!doc["spec"]["rules"]) {
                        continue;  // an ALLOW without rules admits nobody
                    }
                    REQUIRE(doc["spec"]["rules"].size() > 0);
                    for (const YAML::Node& rule : doc["spec"]["rules"]) {
                        std::set<std::string> ports;
                        for (const YAML::Node& to : rule["to"]) {
                            auto p = strings(to["operation"]["ports"]);
                            ports.insert(p.begin(), p.end());
                        }
                        REQUIRE(!ports.empty());
                        // No rule is open to every source.
                        REQUIRE(rule["from"]);
                        for (const YAML::Node& from : rule["from"]) {
                            if (from["source"]["notPrincipals"]) {
                                // Peers without a mesh identity (Strimzi's operator outside the
                                // mesh), only on its own ports.
                                CHECK(strings(from["source"]["notPrincipals"]) ==
                                      std::set<std::string>{"*"});
                                for (const std::string& p : ports) {
                                    CHECK(
                                        (p == "8443" || p == "9090" || p == "9091" || p == "8083"));
                                }
                                continue;
                            }
                            auto principals = strings(from["source"]["principals"]);
                            REQUIRE(!principals.empty());
                            for (const std::string& p : principals) {
                                CHECK(p.find('*') == std::string::npos);
                            }
                            if (ports.count("9092")) {
                                client_policy = true;
                                client_principals.insert(principals.begin(), principals.end());
                            }
                        }
                    }
                }
                if (kind == "KafkaUser") {
                    kafka_users.insert(doc["metadata"]["name"].as<std::string>());
                }
                if (kind == "Kafka" && doc["spec"]["kafka"]["authorization"]["superUsers"]) {
                    super_users = strings(doc["spec"]["kafka"]["authorization"]["superUsers"]);
                }
            }
            // Every identity with an allow grant or super user status is admitted; an identity
            // with only a role may be admitted too (the role grants), nothing else is.
            for (const std::string& p : t.admitted) {
                CHECK(client_principals.count(p) == 1);
            }
            for (const std::string& p : client_principals) {
                CHECK(p.rfind("cluster.local/ns/", 0) == 0);
                std::string sa = p.substr(p.rfind('/') + 1);
                CHECK((sa == "shared" || t.text.find("name: " + sa + "\n") != std::string::npos));
            }
            CHECK(client_policy == !client_principals.empty());
            for (const std::string& u : t.users) {
                CHECK(kafka_users.count(u) == 1);
            }
            for (const std::string& u : kafka_users) {
                std::string sa = u.substr(u.find('-') + 1);
                CHECK((sa == "shared" || t.text.find("name: " + sa + "\n") != std::string::npos));
            }
            CHECK(super_users == t.super_users);
        }
    }

    TEST_CASE("the emission backstop refuses what no check should let through") {
        km::model::Topology topology;
        auto policy = [](const std::string& principal, bool with_from) {
            using km::emit::Value;
            Value doc = Value::mapping();
            Value metadata = Value::mapping();
            metadata.set("name", Value::string("events-clients"));
            metadata.set("namespace", Value::string("kafka"));
            doc.set("metadata", std::move(metadata));
            Value spec = Value::mapping();
            spec.set("action", Value::string("ALLOW"));
            Value rule = Value::mapping();
            if (with_from) {
                Value principals = Value::sequence();
                principals.push(Value::string(principal));
                Value source = Value::mapping();
                source.set("principals", std::move(principals));
                Value from = Value::mapping();
                from.set("source", std::move(source));
                Value froms = Value::sequence();
                froms.push(std::move(from));
                rule.set("from", std::move(froms));
            }
            Value ports = Value::sequence();
            ports.push(Value::string("9092"));
            Value operation = Value::mapping();
            operation.set("ports", std::move(ports));
            Value to = Value::mapping();
            to.set("operation", std::move(operation));
            Value tos = Value::sequence();
            tos.push(std::move(to));
            rule.set("to", std::move(tos));
            Value rules = Value::sequence();
            rules.push(std::move(rule));
            spec.set("rules", std::move(rules));
            doc.set("spec", std::move(spec));
            return doc;
        };
        auto codes = [&](const km::emit::Value& doc) {
            km::diag::DiagnosticSink sink;
            km::emit::check_emitted_document({"AuthorizationPolicy", "kafka", "events-clients"},
                                             doc, topology, sink);
            return sink.error_count();
        };
        CHECK(codes(policy("cluster.local/ns/shop/sa/checkout", true)) == 0);
        CHECK(codes(policy("cluster.local/ns/shop/sa/*", true)) == 1);
        CHECK(codes(policy("*", true)) == 1);
        CHECK(codes(policy("cluster.local/ns/shop/sa/a\nb", true)) == 1);
        CHECK(codes(policy("", false)) == 1);  // the client port open to every source
        // An ALLOW without rules admits nobody (a namespace that lost all its grants); an
        // empty list of rules is not a form kafkamesh writes.
        km::emit::Value no_rules = policy("cluster.local/ns/shop/sa/checkout", true);
        km::emit::Value* spec = no_rules.find("spec");
        REQUIRE(spec);
        km::emit::Value without = km::emit::Value::mapping();
        without.set("action", km::emit::Value::string("ALLOW"));
        km::emit::Value empty = without;
        empty.set("rules", km::emit::Value::sequence());
        *spec = without;
        CHECK(codes(no_rules) == 0);
        *spec = empty;
        CHECK(codes(no_rules) == 1);
    }

    TEST_CASE("the emission backstop allows no rule without sources on any port") {
        // Strimzi with its operator outside the mesh: 8443/9090/9091 admit peers without a mesh
        // identity, and nothing admits every source.
        km::model::Topology topology;
        topology.kafka.emplace();
        topology.kafka->name = {"events", {}};
        topology.kafka->ns = {"kafka", {}};
        using km::emit::Value;
        auto policy = [](const char* key, std::vector<std::string> values, const char* port) {
            Value rule = Value::mapping();
            if (key) {
                Value list = Value::sequence();
                for (const std::string& v : values) {
                    list.push(Value::string(v));
                }
                rule.set("from", Value::sequence())
                    .push(Value::mapping())
                    .set("source", Value::mapping())
                    .set(key, std::move(list));
            }
            rule.set("to", Value::sequence())
                .push(Value::mapping())
                .set("operation", Value::mapping())
                .set("ports", Value::sequence())
                .push(Value::string(port));
            Value doc = Value::mapping();
            Value& metadata = doc.set("metadata", Value::mapping());
            metadata.set("name", Value::string("events-internal"));
            metadata.set("namespace", Value::string("kafka"));
            Value& spec = doc.set("spec", Value::mapping());
            spec.set("action", Value::string("ALLOW"));
            spec.set("rules", Value::sequence()).push(std::move(rule));
            return doc;
        };
        auto codes = [&](const Value& doc) {
            km::diag::DiagnosticSink sink;
            km::emit::check_emitted_document({"AuthorizationPolicy", "kafka", "events-internal"},
                                             doc, topology, sink);
            return sink.error_count();
        };
        CHECK(codes(policy(nullptr, {}, "9090")) == 1);  // allowed from every source before
        CHECK(codes(policy(nullptr, {}, "8443")) == 1);
        CHECK(codes(policy("notPrincipals", {"*"}, "9091")) == 0);
        CHECK(codes(policy("notPrincipals", {"*"}, "8083")) == 0);  // a KafkaConnect's REST API
        CHECK(codes(policy("notPrincipals", {"*"}, "9092")) == 1);  // the client port
        CHECK(codes(policy("notPrincipals", {"cluster.local/ns/shop/sa/x"}, "9090")) == 1);
        CHECK(codes(policy("principals", {"cluster.local/ns/kafka/sa/events-kafka"}, "9090")) == 0);
        topology.kafka->strimzi.emplace();
        topology.kafka->strimzi->operator_in_mesh = true;
        CHECK(codes(policy("notPrincipals", {"*"}, "9091")) == 1);  // the operator has an identity
    }
}
