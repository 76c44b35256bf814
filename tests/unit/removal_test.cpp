// Removal, offline: for each golden sequence A -> B (golden/diff/removal-*), which objects the
// documented `kubectl apply --prune -l kafkamesh.io/topology=<name> <B's allowlist>` deletes
// (objects of A that B lacks, carrying the label, of a kind on the allowlist), and that what is
// left in the cluster (B plus A's objects the prune keeps) grants nothing that was removed. Also
// the size of every document at 10,000 identities.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "../bench/topology_generator.h"
#include "test_support.h"

namespace {

struct Document {
    std::string gvk;  ///< "group/version/kind", core kinds as "core/v1/Kind"
    std::string key;  ///< "Kind ns/name"
    std::string yaml;
};

std::string api_version_of(const std::string& yaml) {
    const std::string field = "apiVersion: ";
    REQUIRE(yaml.rfind(field, 0) == 0);
    return yaml.substr(field.size(), yaml.find('\n') - field.size());
}

struct Compiled {
    std::vector<Document> documents;
    std::vector<std::string> allowlist;
};

Compiled compile_file(const std::string& path) {
    km::Session session;
    std::optional<km::emit::Output> output = km::compile_output({path}, {}, session);
    REQUIRE(output.has_value());
    Compiled out;
    for (const km::emit::Manifest& m : output->manifests) {
        std::string api = api_version_of(m.yaml);
        std::string group = api.find('/') == std::string::npos ? "core/" + api : api;
        out.documents.push_back({group + "/" + m.kind, m.kind + " " + m.ns + "/" + m.name, m.yaml});
    }
    out.allowlist = output->prune_allowlist;
    return out;
}

/// What the documented apply of B leaves: the pruned keys of A, and the cluster's documents.
struct Applied {
    std::set<std::string> pruned;
    std::vector<Document> cluster;
};

Applied apply_with_prune(const std::string& sequence) {
    std::string dir = std::string(KAFKAMESH_SOURCE_DIR) + "/golden/diff/" + sequence;
    Compiled a = compile_file(dir + "/base.yaml");
    Compiled b = compile_file(dir + "/head.yaml");
    std::set<std::string> in_b;
    for (const Document& d : b.documents) {
        in_b.insert(d.gvk + " " + d.key);
    }
    std::set<std::string> allowed(b.allowlist.begin(), b.allowlist.end());
    Applied out;
    out.cluster = b.documents;
    for (const Document& d : a.documents) {
        if (in_b.count(d.gvk + " " + d.key)) {
            continue;
        }
        bool labelled = d.yaml.find("kafkamesh.io/topology: shop\n") != std::string::npos;
        if (labelled && allowed.count(d.gvk)) {
            out.pruned.insert(d.key);
        } else {
            out.cluster.push_back(d);
        }
    }
    return out;
}

std::vector<std::string> mentioning(const std::vector<Document>& cluster, const std::string& text) {
    std::vector<std::string> out;
    for (const Document& d : cluster) {
        if (d.yaml.find(text) != std::string::npos) {
            out.push_back(d.key);
        }
    }
    return out;
}

const Document* find(const std::vector<Document>& cluster, const std::string& key) {
    for (const Document& d : cluster) {
        if (d.key == key) {
            return &d;
        }
    }
    return nullptr;
}

}  // namespace

TEST_CASE("a removed service: its KafkaUser is pruned and no policy admits it") {
    Applied r = apply_with_prune("removal-service-removed");
    CHECK(r.pruned == std::set<std::string>{"KafkaUser kafka/shop-cart"});
    CHECK(mentioning(r.cluster, "/ns/shop/sa/cart").empty());
    CHECK(mentioning(r.cluster, "shop-cart").empty());
}

TEST_CASE("the last identity of a namespace: its client ALLOW stays, admitting nobody") {
    Applied r = apply_with_prune("removal-last-identity-of-namespace");
    CHECK(r.pruned == std::set<std::string>{"KafkaUser kafka/ops-audit"});
    CHECK(mentioning(r.cluster, "/ns/ops/sa/audit").empty());
    const Document* allow = find(r.cluster, "AuthorizationPolicy kafka/events-clients-ops");
    REQUIRE(allow);
    CHECK(allow->yaml.find("action: ALLOW") != std::string::npos);
    CHECK(allow->yaml.find("rules") == std::string::npos);  // matches nothing
}

TEST_CASE("a filter turned off: its EnvoyFilter is pruned, and a stale copy selects no pod") {
    Applied r = apply_with_prune("removal-filter-off");
    CHECK(r.pruned == std::set<std::string>{"EnvoyFilter kafka/events-kafka-metrics"});
    const Document* pool = find(r.cluster, "KafkaNodePool kafka/events-dual-role");
    REQUIRE(pool);
    CHECK(pool->yaml.find("kafkamesh.io/kafka-metrics") == std::string::npos);
    CHECK(pool->yaml.find("kafkamesh.io/access-logs: \"true\"") != std::string::npos);
    CHECK(mentioning(r.cluster, "kafka_broker").empty());
    CHECK(mentioning(r.cluster, "proxyv2-contrib").empty());
}

TEST_CASE("a topic removed: its grants go, the KafkaTopic and its data stay") {
    Applied r = apply_with_prune("removal-topic-removed");
    CHECK(r.pruned == std::set<std::string>{"KafkaUser kafka/shop-billing"});
    const Document* topic = find(r.cluster, "KafkaTopic kafka/payments");
    REQUIRE(topic);  // protected: not on the allowlist, and annotated against GitOps pruning
    CHECK(topic->yaml.find("argocd.argoproj.io/sync-options: Prune=false,Delete=false") !=
          std::string::npos);
    CHECK(topic->yaml.find("kustomize.toolkit.fluxcd.io/prune: disabled") != std::string::npos);
    for (const Document& d : r.cluster) {
        if (d.key.rfind("KafkaUser ", 0) == 0) {
            CHECK_MESSAGE(d.yaml.find("payments") == std::string::npos, d.key);
        }
    }
}

TEST_CASE("the prune allowlist never holds a kind that carries data or workloads") {
    Compiled c = compile_file(std::string(KAFKAMESH_SOURCE_DIR) +
                              "/golden/diff/removal-filter-off/head.yaml");
    for (const std::string& entry : c.allowlist) {
        for (const char* kind : {"/Namespace", "/KafkaTopic", "/Kafka", "/KafkaNodePool"}) {
            CHECK_MESSAGE(!entry.ends_with(kind), entry);
        }
    }
    // The filter kinds stay on the list while no filter is emitted, so stale ones are pruned.
    CHECK(std::count(c.allowlist.begin(), c.allowlist.end(),
                     "networking.istio.io/v1alpha3/EnvoyFilter") == 1);
    CHECK(std::count(c.allowlist.begin(), c.allowlist.end(),
                     "extensions.istio.io/v1alpha1/WasmPlugin") == 1);
}

TEST_CASE("every kind kafkamesh emits and may remove is on the prune allowlist") {
    // A kind left off the list is never pruned: its stale copies would outlive the topology.
    for (const char* input :
         {"examples/consol-istio-tutorial/topology.yaml", "examples/multi-team",
          "examples/university-messaging/topology.yaml", "examples/existing-platform",
          "golden/compile/strimzi-ambient-connect/topology.yaml",
          "golden/compile/bitnami-ambient/topology.yaml",
          "golden/compile/bitnami-unmanaged/topology.yaml",
          "golden/compile/filter-kafka-metrics-and-access-logs/topology.yaml"}) {
        Compiled c = compile_file(std::string(KAFKAMESH_SOURCE_DIR) + "/" + input);
        std::set<std::string> allowed(c.allowlist.begin(), c.allowlist.end());
        for (const Document& d : c.documents) {
            if (!km::emit::protected_kind(d.gvk.substr(d.gvk.rfind('/') + 1))) {
                CHECK_MESSAGE(allowed.count(d.gvk) == 1, input, ": ", d.gvk);
            }
        }
    }
}

TEST_CASE("every document stays far below the 256 KiB apply limit at 10,000 identities") {
    km::test::ScratchDir dir(std::map<std::string, std::string>{
        {"big.yaml", km::bench::generate_topology(km::bench::GeneratorOptions::realistic(10000))}});
    km::Session session;
    std::optional<km::emit::Output> output =
        km::compile_output({dir.path("big.yaml")}, {}, session);
    REQUIRE(output.has_value());
    std::size_t largest = 0;
    std::string which;
    std::size_t client_allows = 0;
    for (const km::emit::Manifest& m : output->manifests) {
        if (m.yaml.size() > largest) {
            largest = m.yaml.size();
            which = m.kind + " " + m.ns + "/" + m.name;
        }
        if (m.kind == "AuthorizationPolicy" && m.name.rfind("events-clients-", 0) == 0) {
            ++client_allows;
        }
    }
    MESSAGE(fmt::format("largest document: {} bytes ({}); {} client ALLOW policies", largest, which,
                        client_allows));
    // kubectl's client-side apply copies a document into an annotation; all annotations of an
    // object may hold 256 KiB together (apimachinery TotalAnnotationSizeLimitB).
    CHECK(largest < 256 * 1024 / 8);
    CHECK(client_allows >= 500);
}

namespace {

/// One namespace holding `services` producers; `extra` adds one more service in front.
std::string one_namespace_topology(std::size_t services, bool extra) {
    std::string text =
        "apiVersion: kafkamesh.io/v1alpha1\nkind: Topology\nmetadata: {name: big}\n"
        "kafka: {name: events, namespace: kafka}\nnamespaces: [{name: shop}]\n"
        "topics: [{name: orders}]\nservices:\n";
    if (extra) {
        text += "  - {name: aaa-new, namespace: shop, produces: [orders]}\n";
    }
    for (std::size_t i = 0; i < services; ++i) {
        text += fmt::format("  - {{name: svc-{:05}, namespace: shop, produces: [orders]}}\n", i);
    }
    return text;
}

/// principal -> the client ALLOW policy that admits it; every document's size checked.
std::map<std::string, std::string> client_allow_of(const std::string& topology) {
    km::test::ScratchDir dir(std::map<std::string, std::string>{{"big.yaml", topology}});
    km::Session session;
    std::optional<km::emit::Output> output =
        km::compile_output({dir.path("big.yaml")}, {}, session);
    REQUIRE(output.has_value());
    std::map<std::string, std::string> policy_of;
    for (const km::emit::Manifest& m : output->manifests) {
        CHECK_MESSAGE(m.yaml.size() < 256 * 1024, m.kind, " ", m.name, ": ", m.yaml.size());
        if (m.kind != "AuthorizationPolicy" || m.name.rfind("events-clients-shop", 0) != 0) {
            continue;
        }
        std::istringstream lines(m.yaml);
        for (std::string line; std::getline(lines, line);) {
            std::size_t at = line.find("- cluster.local/ns/shop/sa/");
            if (at != std::string::npos) {
                std::string principal = line.substr(at + 2);
                CHECK_MESSAGE(policy_of.count(principal) == 0, principal, " in two policies");
                policy_of[principal] = m.name;
            }
        }
    }
    return policy_of;
}

}  // namespace

TEST_CASE(
    "a namespace past the apply limit splits its client ALLOW, and nobody moves when one joins") {
    // 6,000 principals of 35 bytes pass the 192 KiB a client ALLOW may hold.
    std::map<std::string, std::string> before =
        client_allow_of(one_namespace_topology(6000, false));
    REQUIRE(before.size() == 6000);
    std::set<std::string> policies;
    for (const auto& entry : before) {
        policies.insert(entry.second);
    }
    CHECK(policies.size() >= 2);
    CHECK((policies.size() & (policies.size() - 1)) == 0);  // a power of two
    CHECK(policies.count("events-clients-shop") == 1);      // the unsplit name stays
    CHECK(policies.count(fmt::format("events-clients-shop-{}", policies.size() - 1)) == 1);

    std::map<std::string, std::string> after = client_allow_of(one_namespace_topology(6000, true));
    CHECK(after.size() == 6001);
    std::size_t moved = 0;
    for (const auto& entry : before) {
        moved += after.at(entry.first) != entry.second ? 1 : 0;
    }
    CHECK(moved == 0);
}
