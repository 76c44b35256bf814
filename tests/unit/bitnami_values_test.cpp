// The Bitnami target: its checks (codes and positions), the Flux wrapping, the promise of the
// university example (no undeclared namespace or service account reaches any Kafka port, and only
// the producer may write my-topic), the standalone Strimzi operators' configuration against the
// config classes that read it, and one credential per identity.
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>
#include <regex>
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
            "cluster.local/ns/default/sa/kafka-user-operator",   // Strimzi's User Operator
            "cluster.local/ns/default/sa/kafka-topic-operator",  // and Topic Operator
            "cluster.local/ns/default/sa/kafka",                 // the brokers themselves
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
        std::set<std::string> writers;
        int acl_rules = 0;
        for (const YAML::Node& doc : documents(output)) {
            if (doc["kind"].as<std::string>() != "KafkaUser") {
                continue;
            }
            for (const YAML::Node& acl : doc["spec"]["authorization"]["acls"]) {
                ++acl_rules;
                CHECK(acl["type"].as<std::string>() == "allow");
                for (const YAML::Node& op : acl["operations"]) {
                    CHECK(op.as<std::string>() != "All");
                    if (acl["resource"]["name"] && op.as<std::string>() == "Write" &&
                        acl["resource"]["name"].as<std::string>() == "my-topic") {
                        writers.insert(doc["metadata"]["name"].as<std::string>());
                    }
                }
            }
        }
        CHECK(acl_rules == 3);
        CHECK(writers == std::set<std::string>{"default-kafka-producer"});
        CHECK_FALSE(values["provisioning"]["postScript"]);
        CHECK(values["provisioning"]["enabled"].as<bool>() == false);
        // The other client and the chart's users are not super users.
        CHECK(values["overrideConfiguration"]["super.users"].as<std::string>() ==
              "User:kafkamesh-admin;User:inter_broker_user;User:controller_user");
        REQUIRE(values["sasl"]["client"]["users"].size() == 1);
        CHECK(values["sasl"]["client"]["users"][0].as<std::string>() == "kafkamesh-admin");
    }

    TEST_CASE("flux: the release installs the chart with exactly the values") {
        auto plain = compile_dir(k_example, km::emit::HelmRelease::none);
        auto flux = compile_dir(k_example, km::emit::HelmRelease::flux);
        CHECK_FALSE(flux.helm_values);  // one copy of the values only
        std::vector<YAML::Node> docs = documents(flux);
        REQUIRE(docs.size() == plain.manifests.size() + 2);
        // The chart's source and release come right after the mesh documents and before the
        // operators, which read the Secret the chart creates.
        auto of_kind = [&docs](const std::string& kind) {
            auto it = std::find_if(docs.begin(), docs.end(), [&kind](const YAML::Node& d) {
                return d["kind"].as<std::string>() == kind;
            });
            REQUIRE(it != docs.end());
            return std::pair{*it, it - docs.begin()};
        };
        const auto [repo, repo_index] = of_kind("HelmRepository");
        const auto [release, release_index] = of_kind("HelmRelease");
        CHECK(release_index == repo_index + 1);
        CHECK(release_index < of_kind("Deployment").second);
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
        // Names and topic settings no longer pass through a shell: only the authentication.
        CHECK(km::test::diagnostics_of(bitnami("  authentication: tls\n", services)) ==
              std::vector<std::string>{"KM503@8:19"});
        CHECK(km::test::diagnostics_of(
                  bitnami("",
                          "namespaces: [{name: shop}]\ntopics: [{name: orders}]\n"
                          "services: [{name: c, namespace: shop, user: kafkamesh-admin, "
                          "produces: [orders]}]\n")) == std::vector<std::string>{"KM502@10:45"});
    }

    TEST_CASE("strings the chart runs through tpl are refused (KM506)") {
        const std::string rest =
            "namespaces: [{name: shop}]\ntopics: [{name: orders}]\n"
            "services: [{name: c, namespace: shop, produces: [orders]}]\n";
        CHECK(km::test::diagnostics_of(
                  bitnami("  config: {group.consumer.migration.policy: '{{ 1 }}'}\n", rest)) ==
              std::vector<std::string>{"KM506@8:45"});
        CHECK(km::test::diagnostics_of(
                  bitnami("  config: {group.consumer.migration.policy: \"}}\"}\n", rest)) ==
              std::vector<std::string>{"KM506@8:45"});
        // Strimzi does not template its config: the same string is only a value there.
        CHECK(
            km::test::diagnostics_of(
                km::test::header("  config: {group.consumer.migration.policy: '{{ 1 }}'}\n") + rest)
                .empty());
    }
}

namespace {

/// The environment of a Deployment's only container, name to value (or to "secret:NAME/KEY" and
/// "field:PATH" for references), and the order the names appear in.
struct Env {
    std::map<std::string, std::string> values;
    std::vector<std::string> order;
};

Env container_env(const YAML::Node& deployment) {
    Env env;
    const YAML::Node containers = deployment["spec"]["template"]["spec"]["containers"];
    REQUIRE(containers.size() == 1);
    for (const YAML::Node& e : containers[0]["env"]) {
        std::string name = e["name"].as<std::string>();
        std::string value;
        if (e["value"]) {
            value = e["value"].as<std::string>();
        } else if (e["valueFrom"]["secretKeyRef"]) {
            value = "secret:" + e["valueFrom"]["secretKeyRef"]["name"].as<std::string>() + "/" +
                    e["valueFrom"]["secretKeyRef"]["key"].as<std::string>();
        } else {
            value = "field:" + e["valueFrom"]["fieldRef"]["fieldPath"].as<std::string>();
        }
        CHECK_MESSAGE(env.values.count(name) == 0, name);
        env.values[name] = value;
        env.order.push_back(name);
    }
    return env;
}

/// java.util.Properties text as the User Operator reads STRIMZI_KAFKA_ADMIN_CLIENT_CONFIGURATION
/// (ConfigParameterParser.PROPERTIES): key=value lines, no continuation or escape used here.
std::map<std::string, std::string> properties(const std::string& text) {
    std::map<std::string, std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') {
            continue;
        }
        CHECK(line.find('\\') == std::string::npos);
        auto eq = line.find('=');
        REQUIRE(eq != std::string::npos);
        out[line.substr(0, eq)] = line.substr(eq + 1);
    }
    return out;
}

/// A label selector of the form the Strimzi operators parse (Labels.fromString): k=v,k=v.
std::map<std::string, std::string> selector(const std::string& text) {
    std::map<std::string, std::string> out;
    std::istringstream in(text);
    std::string pair;
    while (std::getline(in, pair, ',')) {
        auto eq = pair.find('=');
        REQUIRE(eq != std::string::npos);
        out[pair.substr(0, eq)] = pair.substr(eq + 1);
    }
    return out;
}

std::map<std::string, YAML::Node> by_kind_and_name(const km::emit::Output& output) {
    std::map<std::string, YAML::Node> out;
    for (const YAML::Node& doc : documents(output)) {
        out[doc["kind"].as<std::string>() + "/" + doc["metadata"]["name"].as<std::string>()] = doc;
    }
    return out;
}

km::emit::Output compile_text(const std::string& text) {
    km::test::ScratchDir dir({{"topology.yaml", text}});
    return compile_dir(dir.path(), km::emit::HelmRelease::none);
}

const std::string k_shop_kafka = "  distribution: bitnami\n  bitnami: {release: events}\n";

std::string shop(const std::vector<std::string>& services) {
    std::string text = km::test::header(k_shop_kafka) +
                       "namespaces: [{name: shop}]\ntopics: [{name: orders}]\nservices:\n";
    for (const std::string& s : services) {
        text += "  - {name: " + s + ", namespace: shop, produces: [orders]}\n";
    }
    return text;
}

}  // namespace

TEST_SUITE("bitnami reconcilers") {
    // The names below are every ConfigParameter of UserOperatorConfig and TopicOperatorConfig
    // (strimzi/strimzi-kafka-operator 1.2.0) that kafkamesh sets; an environment variable outside
    // this list would be ignored by the operator (buildFromMap keeps only its own keys).
    const std::set<std::string> k_user_operator_keys = {
        "STRIMZI_NAMESPACE",
        "STRIMZI_CA_CERT_NAME",
        "STRIMZI_CA_KEY_NAME",
        "STRIMZI_LABELS",
        "STRIMZI_FULL_RECONCILIATION_INTERVAL_MS",
        "STRIMZI_KAFKA_BOOTSTRAP_SERVERS",
        "STRIMZI_SECRET_PREFIX",
        "STRIMZI_ACLS_ADMIN_API_SUPPORTED",
        "STRIMZI_KAFKA_ADMIN_CLIENT_CONFIGURATION",
        "STRIMZI_IGNORED_USERS_PATTERN",
    };
    const std::set<std::string> k_topic_operator_keys = {
        "STRIMZI_NAMESPACE",
        "STRIMZI_RESOURCE_LABELS",
        "STRIMZI_KAFKA_BOOTSTRAP_SERVERS",
        "STRIMZI_FULL_RECONCILIATION_INTERVAL_MS",
        "STRIMZI_SASL_ENABLED",
        "STRIMZI_SASL_MECHANISM",
        "STRIMZI_SASL_USERNAME",
        "STRIMZI_SASL_PASSWORD",
        "STRIMZI_SECURITY_PROTOCOL",
    };

    TEST_CASE("the User Operator's configuration is what UserOperatorConfig reads") {
        auto output = compile_text(shop({"checkout", "billing"}));
        auto docs = by_kind_and_name(output);
        REQUIRE(docs.count("Deployment/events-kafka-user-operator"));
        Env env = container_env(docs["Deployment/events-kafka-user-operator"]);
        for (const auto& entry : env.values) {
            const std::string& name = entry.first;  // doctest's macros capture it in a lambda
            if (name.rfind("STRIMZI_", 0) == 0) {
                CHECK_MESSAGE(k_user_operator_keys.count(name), name);
            }
        }
        // NON_EMPTY_STRING without a default: the operator does not start without them.
        for (const char* required :
             {"STRIMZI_NAMESPACE", "STRIMZI_CA_CERT_NAME", "STRIMZI_CA_KEY_NAME"}) {
            CHECK_MESSAGE(!env.values[required].empty(), required);
        }
        CHECK(env.values["STRIMZI_NAMESPACE"] == "field:metadata.namespace");
        // The chart's client Service and port (values service.ports.client).
        YAML::Node values = YAML::Load(km::emit::write_yaml(*output.helm_values));
        CHECK(env.values["STRIMZI_KAFKA_BOOTSTRAP_SERVERS"] ==
              "events-kafka:" + values["service"]["ports"]["client"].as<std::string>());
        // The admin client logs in as the chart's only client user. Its password never enters
        // the environment, which the operator logs: the admin client reads it from the mounted
        // Secret through Kafka's DirectoryConfigProvider.
        auto props = properties(env.values["STRIMZI_KAFKA_ADMIN_CLIENT_CONFIGURATION"]);
        CHECK(props["security.protocol"] == "SASL_PLAINTEXT");
        CHECK(props["sasl.mechanism"] == "PLAIN");
        CHECK(props["sasl.jaas.config"] ==
              "org.apache.kafka.common.security.plain.PlainLoginModule required "
              "username=\"kafkamesh-admin\" "
              "password=\"${dir:/etc/kafkamesh/admin:system-user-password}\";");
        CHECK(props["config.providers"] == "dir");
        CHECK(props["config.providers.dir.class"] ==
              "org.apache.kafka.common.config.provider.DirectoryConfigProvider");
        CHECK(props["config.providers.dir.param.allowed.paths"] == "/etc/kafkamesh/admin");
        CHECK(values["sasl"]["client"]["users"][0].as<std::string>() == "kafkamesh-admin");
        for (const auto& entry : env.values) {
            const std::string& name = entry.first;
            CHECK_MESSAGE(entry.second.rfind("secret:", 0) != 0, name);
        }
        YAML::Node pod = docs["Deployment/events-kafka-user-operator"]["spec"]["template"]["spec"];
        CHECK(pod["volumes"][1]["secret"]["secretName"].as<std::string>() ==
              "events-kafka-user-passwords");
        CHECK(pod["volumes"][1]["secret"]["items"][0]["path"].as<std::string>() ==
              "system-user-password");
        CHECK(pod["containers"][0]["volumeMounts"][1]["mountPath"].as<std::string>() ==
              "/etc/kafkamesh/admin");
        CHECK(pod["containers"][0]["volumeMounts"][1]["readOnly"].as<bool>());
        // The label selector selects exactly this topology's KafkaUsers.
        auto labels = selector(env.values["STRIMZI_LABELS"]);
        int users = 0;
        for (const auto& [key, doc] : docs) {
            if (doc["kind"].as<std::string>() != "KafkaUser") {
                continue;
            }
            ++users;
            for (const auto& [k, v] : labels) {
                CHECK(doc["metadata"]["labels"][k].as<std::string>() == v);
            }
            CHECK(doc["spec"]["authentication"]["type"].as<std::string>() == "scram-sha-512");
        }
        CHECK(users == 2);
        CHECK(labels.at("kafkamesh.io/topology") == "shop");
        // STRIMZI_IGNORED_USERS_PATTERN is matched whole (Matcher.matches): the chart's users
        // are spared, no declared user is.
        std::regex ignored(env.values["STRIMZI_IGNORED_USERS_PATTERN"]);
        for (const char* own : {"kafkamesh-admin", "inter_broker_user", "controller_user"}) {
            CHECK_MESSAGE(std::regex_match(own, ignored), own);
        }
        for (const char* user : {"shop-checkout", "shop-billing", "kafkamesh-admin2"}) {
            CHECK_FALSE_MESSAGE(std::regex_match(user, ignored), user);
        }
    }

    TEST_CASE("an admin name is matched literally in the ignored users") {
        auto output = compile_text(
            bitnami("  managed: false\n  bitnami: {release: events, ignoredUsers: 'legacy-.*',\n"
                    "    admin: {user: ops.admin, secret: s, key: k}}\n",
                    "namespaces: [{name: shop}]\ntopics: [{name: orders}]\n"
                    "services: [{name: checkout, namespace: shop, produces: [orders]}]\n"));
        auto docs = by_kind_and_name(output);
        Env env = container_env(docs["Deployment/events-kafka-user-operator"]);
        std::regex ignored(env.values["STRIMZI_IGNORED_USERS_PATTERN"]);
        CHECK(std::regex_match("ops.admin", ignored));
        CHECK(std::regex_match("legacy-x", ignored));
        CHECK_FALSE(std::regex_match("opsXadmin", ignored));
    }

    TEST_CASE("with existingSecret the chart generates no password and the operators read it") {
        auto output = compile_text(bitnami("  bitnami: {release: events, existingSecret: pw}\n",
                                           "namespaces: [{name: shop}]\n"));
        YAML::Node values = YAML::Load(km::emit::write_yaml(*output.helm_values));
        CHECK(values["sasl"]["existingSecret"].as<std::string>() == "pw");
        auto docs = by_kind_and_name(output);
        YAML::Node pod = docs["Deployment/events-kafka-user-operator"]["spec"]["template"]["spec"];
        CHECK(pod["volumes"][1]["secret"]["secretName"].as<std::string>() == "pw");
        CHECK(pod["volumes"][1]["secret"]["items"][0]["key"].as<std::string>() ==
              "client-passwords");
        Env to = container_env(docs["Deployment/events-kafka-topic-operator"]);
        CHECK(to.values["STRIMZI_SASL_PASSWORD"] == "secret:pw/client-passwords");
    }

    TEST_CASE("the Topic Operator's configuration is what TopicOperatorConfig reads") {
        auto output = compile_text(shop({"checkout"}));
        auto docs = by_kind_and_name(output);
        REQUIRE(docs.count("Deployment/events-kafka-topic-operator"));
        Env env = container_env(docs["Deployment/events-kafka-topic-operator"]);
        for (const auto& entry : env.values) {
            const std::string& name = entry.first;
            CHECK_MESSAGE(k_topic_operator_keys.count(name), name);
        }
        CHECK(env.values["STRIMZI_NAMESPACE"] == "field:metadata.namespace");
        CHECK(env.values["STRIMZI_KAFKA_BOOTSTRAP_SERVERS"] == "events-kafka:9092");
        // setStandardSaslConfigs: lower-case mechanism names, both credentials non-empty.
        CHECK(env.values["STRIMZI_SASL_ENABLED"] == "true");
        CHECK(env.values["STRIMZI_SASL_MECHANISM"] == "plain");
        CHECK(env.values["STRIMZI_SASL_USERNAME"] == "kafkamesh-admin");
        CHECK(env.values["STRIMZI_SASL_PASSWORD"] ==
              "secret:events-kafka-user-passwords/system-user-password");
        CHECK(env.values["STRIMZI_SECURITY_PROTOCOL"] == "SASL_PLAINTEXT");
        auto labels = selector(env.values["STRIMZI_RESOURCE_LABELS"]);
        const YAML::Node topic = docs["KafkaTopic/orders"];
        REQUIRE(topic);
        for (const auto& [k, v] : labels) {
            CHECK(topic["metadata"]["labels"][k].as<std::string>() == v);
        }
        // Without partitions the broker's num.partitions applies, as on Strimzi (not the chart's
        // provisioning default of 1).
        CHECK_FALSE(topic["spec"]["partitions"]);
    }

    TEST_CASE("each operator's Role grants what Strimzi's install files grant, nothing more") {
        auto docs = by_kind_and_name(compile_text(shop({"checkout"})));
        std::map<std::string, std::set<std::string>> expected = {
            {"events-kafka-user-operator",
             {"kafka.strimzi.io/kafkausers:create,get,list,patch,update,watch",
              "kafka.strimzi.io/kafkausers/status:get,patch,update",
              "kafka.strimzi.io/kafkausers/finalizers:update",
              "/secrets:create,delete,get,list,patch,update,watch"}},
            {"events-kafka-topic-operator",
             {"kafka.strimzi.io/kafkatopics:create,delete,get,list,patch,update,watch",
              "kafka.strimzi.io/kafkatopics/status:get,patch,update",
              "kafka.strimzi.io/kafkatopics/finalizers:update"}},
        };
        for (const auto& entry : expected) {
            const std::string& name = entry.first;
            const std::set<std::string>& rules = entry.second;
            CAPTURE(name);
            REQUIRE(docs.count("Role/" + name));
            std::set<std::string> actual;
            for (const YAML::Node& rule : docs["Role/" + name]["rules"]) {
                std::set<std::string> verbs;
                for (const YAML::Node& v : rule["verbs"]) {
                    verbs.insert(v.as<std::string>());
                }
                std::string text = rule["apiGroups"][0].as<std::string>() + "/" +
                                   rule["resources"][0].as<std::string>() + ":";
                bool first = true;
                for (const std::string& v : verbs) {
                    text += (first ? "" : ",") + v;
                    first = false;
                }
                actual.insert(text);
            }
            CHECK(actual == rules);
            const YAML::Node binding = docs["RoleBinding/" + name];
            CHECK(binding["roleRef"]["name"].as<std::string>() == name);
            CHECK(binding["subjects"][0]["name"].as<std::string>() == name);
            CHECK(docs.count("ServiceAccount/" + name));
            CHECK(docs["Deployment/" + name]["spec"]["template"]["spec"]["serviceAccountName"]
                      .as<std::string>() == name);
        }
    }

    TEST_CASE(
        "swap: removing one service and adding another gives each identity its own credential") {
        auto before = by_kind_and_name(compile_text(shop({"billing", "checkout"})));
        auto after = by_kind_and_name(compile_text(shop({"checkout", "fraud"})));
        auto values_of = [](const std::vector<std::string>& services) {
            auto output = compile_text(shop(services));
            return km::emit::write_yaml(*output.helm_values);
        };
        // No positional password list: the chart's values do not change with the services.
        CHECK(values_of({"billing", "checkout"}) == values_of({"checkout", "fraud"}));
        // checkout keeps exactly its KafkaUser (so the operator keeps its Secret and password),
        // billing's is gone (the operator deletes its Secret, SCRAM credential, ACLs and quotas),
        // fraud gets a KafkaUser of its own, so a new Secret and password.
        CHECK(before.count("KafkaUser/shop-billing"));
        CHECK_FALSE(after.count("KafkaUser/shop-billing"));
        CHECK_FALSE(before.count("KafkaUser/shop-fraud"));
        CHECK(after.count("KafkaUser/shop-fraud"));
        YAML::Emitter a;
        a << before["KafkaUser/shop-checkout"];
        YAML::Emitter b;
        b << after["KafkaUser/shop-checkout"];
        CHECK(std::string(a.c_str()) == std::string(b.c_str()));
        // Each credential Secret is readable by its own identity's service account only.
        for (auto* docs : {&before, &after}) {
            for (const auto& [key, doc] : *docs) {
                if (doc["kind"].as<std::string>() != "KafkaUser") {
                    continue;
                }
                std::string user = doc["metadata"]["name"].as<std::string>();
                std::string sa = user.substr(std::string("shop-").size());
                const YAML::Node role = (*docs)["Role/kafkamesh-credential-" + user];
                REQUIRE(role);
                REQUIRE(role["rules"].size() == 1);
                CHECK(role["rules"][0]["resources"][0].as<std::string>() == "secrets");
                REQUIRE(role["rules"][0]["resourceNames"].size() == 1);
                CHECK(role["rules"][0]["resourceNames"][0].as<std::string>() ==
                      "kafkamesh-user-" + user);
                const YAML::Node binding = (*docs)["RoleBinding/kafkamesh-credential-" + user];
                REQUIRE(binding["subjects"].size() == 1);
                CHECK(binding["subjects"][0]["name"].as<std::string>() == sa);
                CHECK(binding["subjects"][0]["namespace"].as<std::string>() == "shop");
            }
        }
        // The User Operator names each Secret after its KafkaUser with this prefix.
        Env env = container_env(after["Deployment/events-kafka-user-operator"]);
        CHECK(env.values["STRIMZI_SECRET_PREFIX"] == "kafkamesh-user-");
    }

    TEST_CASE("the brokers' image exists and the chart accepts it") {
        auto output = compile_text(shop({"checkout"}));
        YAML::Node values = YAML::Load(km::emit::write_yaml(*output.helm_values));
        CHECK(values["image"]["registry"].as<std::string>() == "docker.io");
        CHECK(values["image"]["repository"].as<std::string>() == "bitnamilegacy/kafka");
        CHECK(values["image"]["tag"].as<std::string>() == "4.0.0-debian-12-r10");
        CHECK(values["global"]["security"]["allowInsecureImages"].as<bool>());
        auto mirrored =
            compile_text(km::test::header(k_shop_kafka.substr(0, k_shop_kafka.size() - 2) +
                                          ", image: \"registry.example.com:5000/m/kafka@sha256:" +
                                          std::string(64, 'a') + "\"}\n") +
                         "namespaces: [{name: shop}]\ntopics: [{name: orders}]\n");
        YAML::Node m = YAML::Load(km::emit::write_yaml(*mirrored.helm_values));
        CHECK(m["image"]["registry"].as<std::string>() == "registry.example.com:5000");
        CHECK(m["image"]["repository"].as<std::string>() == "m/kafka");
        CHECK(m["image"]["tag"].as<std::string>().empty());
        CHECK(m["image"]["digest"].as<std::string>() == "sha256:" + std::string(64, 'a'));
    }
}
