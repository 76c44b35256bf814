// The live-state readers on samples written exactly as the upstream tools print them.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <string>

#include "cli/live_inputs.h"
#include "live/drift.h"
#include "live/live_reader.h"
#include "pipeline.h"
#include "test_support.h"

namespace {

std::optional<km::live::LiveState> read(const std::string& text, km::Session& session) {
    std::uint32_t file = session.sources.add("live.txt", text);
    return km::live::read_live({file}, session.sources, session.sink);
}

std::vector<std::string> acls_of(const km::live::LiveState& state, const std::string& principal) {
    std::vector<std::string> out;
    auto it = state.principals.find(principal);
    if (it != state.principals.end()) {
        for (const km::live::LiveAcl& acl : it->second.acls) {
            out.push_back(km::live::acl_text(acl));
        }
    }
    return out;
}

std::vector<std::string> codes(const km::Session& session) {
    std::vector<std::string> out;
    for (const km::diag::Diagnostic& d : session.sink.sorted()) {
        out.push_back(fmt::format("{}@{}:{}", km::diag::code_string(d.code), d.location.line,
                                  d.location.column));
    }
    return out;
}

}  // namespace

TEST_CASE("kafka-acls.sh --list of Kafka 3.7 (Scala AclCommand.printResourceAcls)") {
    // s"Current ACLs for resource `$resource`: $Newline ${acls.map("\t" + _).mkString(Newline)}
    // $Newline"
    std::string text =
        "Current ACLs for resource `ResourcePattern(resourceType=TOPIC, name=orders, "
        "patternType=LITERAL)`: \n"
        " \t(principal=User:shop-checkout, host=*, operation=WRITE, permissionType=ALLOW)\n"
        "\t(principal=User:shop-checkout, host=*, operation=DESCRIBE, permissionType=ALLOW) \n"
        "\n"
        "Current ACLs for resource `ResourcePattern(resourceType=GROUP, name=a, b, "
        "patternType=PREFIXED)`: \n"
        " \t(principal=User:CN=x,O=y, host=10.0.0.1, operation=READ, permissionType=DENY) \n"
        "\n";
    km::Session session;
    auto state = read(text, session);
    REQUIRE(state);
    CHECK(codes(session).empty());
    CHECK(acls_of(*state, "User:shop-checkout") ==
          std::vector<std::string>{"topic literal orders Describe allow",
                                   "topic literal orders Write allow"});
    // A principal and a group name may hold ", ": the fields are split from the right.
    CHECK(acls_of(*state, "User:CN=x,O=y") ==
          std::vector<std::string>{"group prefix a, b Read deny host 10.0.0.1"});
    CHECK(state->parts.contains(km::live::Part::acls));
}

TEST_CASE("kafka-acls.sh --list of Kafka 4.0 (tools AclCommand.printResourceAcls)") {
    // "Current ACLs for resource `" + resource + "`:" + NL + "\t" + acl ... + NL, then println.
    std::string text =
        "ACLs for principal `User:ops-auditor`\n"
        "Current ACLs for resource `ResourcePattern(resourceType=CLUSTER, name=kafka-cluster, "
        "patternType=LITERAL)`:\n"
        "\t(principal=User:ops-auditor, host=*, operation=DESCRIBE_CONFIGS, "
        "permissionType=ALLOW)\n"
        "\n"
        "Current ACLs for resource `ResourcePattern(resourceType=TRANSACTIONAL_ID, name=tx-, "
        "patternType=PREFIXED)`:\n"
        "\t(principal=User:ops-auditor, host=*, operation=IDEMPOTENT_WRITE, "
        "permissionType=ALLOW)\n"
        "\n";
    km::Session session;
    auto state = read(text, session);
    REQUIRE(state);
    CHECK(acls_of(*state, "User:ops-auditor") ==
          std::vector<std::string>{"cluster literal kafka-cluster DescribeConfigs allow",
                                   "transactionalId prefix tx- IdempotentWrite allow"});
}

TEST_CASE("kafka-acls.sh output: token ACLs are errors, malformed lines are located") {
    // Strimzi's User Operator cannot read token ACLs and stops reconciling every user: KM704.
    std::string text =
        "Current ACLs for resource `ResourcePattern(resourceType=DELEGATION_TOKEN, name=t, "
        "patternType=LITERAL)`:\n"
        "\t(principal=User:a, host=*, operation=DESCRIBE, permissionType=ALLOW)\n"
        "\n"
        "Current ACLs for resource `ResourcePattern(resourceType=TOPIC, name=t, "
        "patternType=LITERAL)`:\n"
        "\t(principal=User:a, host=*, operation=DESCRIBE_TOKENS, permissionType=ALLOW)\n"
        "\t(principal=User:a, host=*)\n"
        "\n"
        "Current ACLs for resource `ResourcePattern(resourceType=USER, name=b, "
        "patternType=LITERAL)`:\n"
        "\t(principal=User:a, host=*, operation=CREATE_TOKENS, permissionType=ALLOW)\n";
    km::Session session;
    CHECK(!read(text, session));
    CHECK(codes(session) ==
          std::vector<std::string>{"KM704@1:1", "KM704@5:2", "KM701@6:2", "KM704@8:1"});
}

TEST_CASE("kafka-configs.sh --describe --entity-type users (ConfigCommand.describeQuotaConfigs)") {
    std::string text =
        "Quota configs for user-principal 'shop-checkout' are producer_byte_rate=1048576.0, "
        "request_percentage=50.0\n"
        "Quota configs for the default user-principal are consumer_byte_rate=1000.0\n"
        "SCRAM credential configs for user-principal 'ops' are SCRAM-SHA-512=iterations=4096\n";
    km::Session session;
    auto state = read(text, session);
    REQUIRE(state);
    CHECK(codes(session) == std::vector<std::string>{"KM703@2:1"});
    const auto& p = state->principals.at("User:shop-checkout");
    REQUIRE(p.quotas);
    CHECK(p.quotas->values.at("producer_byte_rate") == "1048576.0");
    CHECK(p.quotas->values.at("request_percentage") == "50.0");
    CHECK(state->principals.contains("User:ops"));
}

TEST_CASE("kubectl JSON and YAML streams: server fields ignored, unknown kinds noted") {
    std::string json = R"({"apiVersion": "v1", "kind": "List", "items": [
  {"apiVersion": "kafka.strimzi.io/v1", "kind": "KafkaTopic",
   "metadata": {"name": "orders", "namespace": "kafka", "uid": "u", "resourceVersion": "7",
                "managedFields": [{"manager": "m"}]},
   "spec": {"partitions": 6, "replicas": 3, "config": {"retention.ms": 1000}},
   "status": {"topicId": "x"}},
  {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "kafka"}}]})";
    km::Session session;
    auto state = read(json, session);
    REQUIRE(state);
    CHECK(codes(session) == std::vector<std::string>{"KM702@7:3"});
    const auto& t = state->topics.at("orders");
    CHECK(t.partitions == 6);
    CHECK(t.replicas == 3);
    CHECK(t.config.at("retention.ms") == "1000");

    std::string stream =
        "---\napiVersion: security.istio.io/v1\nkind: PeerAuthentication\n"
        "metadata: {name: default, namespace: kafka}\nspec: {mtls: {mode: PERMISSIVE}}\n"
        "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n";
    km::Session s2;
    auto state2 = read(stream, s2);
    REQUIRE(state2);
    REQUIRE(state2->peer_authentications.size() == 1);
    CHECK(state2->peer_authentications[0].mode == "PERMISSIVE");
    CHECK(state2->namespaces.contains("shop"));
}

TEST_CASE("client policies are read by what they do, not by name") {
    std::string text =
        "apiVersion: v1\nkind: List\nitems:\n"
        "- {kind: AuthorizationPolicy, metadata: {name: events-clients-shop, namespace: kafka},\n"
        "   spec: {selector: {matchLabels: {a: b}}, rules: [{from: [{source: {principals: "
        "[p1]}}],\n"
        "          to: [{operation: {ports: ['9092']}}]}]}}\n"
        "- {kind: AuthorizationPolicy, metadata: {name: anything, namespace: kafka},\n"
        "   spec: {selector: {matchLabels: {a: b}}, action: ALLOW, rules: [{from: [{source: "
        "{principals: [p2]}}],\n"
        "          to: [{operation: {ports: ['9092']}}]}]}}\n"
        "- {kind: AuthorizationPolicy, metadata: {name: internal, namespace: kafka},\n"
        "   spec: {selector: {matchLabels: {a: b}}, rules: [{from: [{source: {principals: "
        "[p3]}}],\n"
        "          to: [{operation: {ports: ['9091']}}]}]}}\n"
        "- {kind: AuthorizationPolicy, metadata: {name: deny, namespace: kafka},\n"
        "   spec: {selector: {matchLabels: {a: b}}, action: DENY, rules: [{from: [{source: "
        "{principals: [p4]}}],\n"
        "          to: [{operation: {ports: ['9092']}}]}]}}\n";
    km::Session session;
    auto state = read(text, session);
    REQUIRE(state);
    CHECK(km::live::client_policy_principals(*state, "kafka", "9092") ==
          std::set<std::string>{"p1", "p2"});
}

TEST_CASE("a live export may be larger than a topology file: 40 MB of kubectl JSON is read") {
    // 32 MiB is the most one topology file may hold (KM106); an export of a large platform as
    // `kubectl get -o json` writes it is larger (src/live/DECISIONS.md).
    std::string json = "{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n";
    std::size_t topics = 0;
    while (json.size() < 40u * 1024 * 1024) {
        json += fmt::format(
            "{}        {{\n            \"apiVersion\": \"kafka.strimzi.io/v1\",\n"
            "            \"kind\": \"KafkaTopic\",\n            \"metadata\": {{\n"
            "                \"labels\": {{\n                    \"strimzi.io/cluster\": "
            "\"events\"\n                }},\n                \"name\": \"topic-{:07}\",\n"
            "                \"namespace\": \"kafka\"\n            }},\n"
            "            \"spec\": {{\n                \"partitions\": {},\n"
            "                \"replicas\": 3\n            }}\n        }}",
            topics == 0 ? "" : ",\n", topics, 1 + topics % 12);
        ++topics;
    }
    json += "\n    ],\n    \"kind\": \"List\"\n}\n";
    km::test::ScratchDir dir({{"live.json", json}});
    km::Session session;
    auto state = km::cli::read_live_paths({dir.path("live.json")}, session);
    REQUIRE(state);
    CHECK_FALSE(session.sink.has_errors());
    CHECK(state->topics.size() == topics);
    CHECK(state->topics.at("topic-0000011").partitions == 12);

    km::Session topology;
    km::test::ScratchDir as_topology({{"big.yaml", json}});
    CHECK_FALSE(km::run_front_end({as_topology.path("big.yaml")}, topology));
    CHECK(topology.sink.has(km::diag::Code::KM106));
}
