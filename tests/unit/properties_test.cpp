// Properties that hold for every input: determinism, independence from list order, and that no
// value can inject a document or a field into the output.
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <sstream>
#include <tuple>

#include <fmt/format.h>

#include "../bench/topology_generator.h"
#include "diag/render.h"
#include "emit/manifest_writer.h"
#include "test_support.h"

namespace fs = std::filesystem;

namespace {

std::string compile_paths(const std::vector<std::string>& inputs) {
    km::Session session;
    auto manifests = km::compile(inputs, km::CompileOptions{}, session);
    INFO(km::diag::render_text(session.sink.sorted(), session.sources, {}));
    REQUIRE(manifests.has_value());
    return km::emit::write_stream(*manifests);
}

// yaml-cpp's Node assignment rebinds shared storage, so Nodes are never swapped: only the
// order in which they are copied into a fresh node is shuffled.
YAML::Node shuffled(const YAML::Node& node, std::mt19937& rng) {
    auto order = [&](std::size_t n) {
        std::vector<std::size_t> o(n);
        for (std::size_t i = 0; i < n; ++i) {
            o[i] = i;
        }
        std::shuffle(o.begin(), o.end(), rng);
        return o;
    };
    if (node.IsSequence()) {
        YAML::Node out(YAML::NodeType::Sequence);
        for (std::size_t i : order(node.size())) {
            out.push_back(shuffled(node[i], rng));
        }
        return out;
    }
    if (node.IsMap()) {
        std::vector<std::string> keys;
        for (const auto& kv : node) {
            keys.push_back(kv.first.as<std::string>());
        }
        YAML::Node out(YAML::NodeType::Map);
        for (std::size_t i : order(keys.size())) {
            out[keys[i]] = shuffled(node[keys[i]], rng);
        }
        return out;
    }
    return node;
}

/// Writes a copy of `input` (file or directory) with every list and mapping shuffled.
std::vector<std::string> shuffled_copy(const std::string& input, const km::test::ScratchDir& dir,
                                       unsigned seed) {
    std::mt19937 rng(seed);
    std::vector<fs::path> files;
    if (fs::is_directory(input)) {
        for (const auto& e : fs::directory_iterator(input)) {
            if (e.path().extension() == ".yaml") {
                files.push_back(e.path());
            }
        }
    } else {
        files.push_back(input);
    }
    std::sort(files.begin(), files.end());
    std::vector<std::string> out;
    for (const fs::path& f : files) {
        YAML::Emitter emitter;
        emitter << shuffled(YAML::LoadFile(f.string()), rng);
        std::string name = std::to_string(seed) + "-" + f.filename().string();
        dir.write(name, emitter.c_str());
        out.push_back(dir.path(name));
    }
    return out;
}

/// The topology files of an example or golden input: the file itself, or a directory's *.yaml.
std::vector<fs::path> topology_files(const std::string& input) {
    std::vector<fs::path> files;
    if (fs::is_directory(input)) {
        for (const auto& e : fs::directory_iterator(input)) {
            if (e.path().extension() == ".yaml") {
                files.push_back(e.path());
            }
        }
    } else {
        files.push_back(input);
    }
    std::sort(files.begin(), files.end());
    return files;
}

/// Writes a copy of `input` into `dir` with `edit` applied to each file's root node.
std::vector<std::string> edited_copy(const std::string& input, const km::test::ScratchDir& dir,
                                     const std::string& tag,
                                     const std::function<void(YAML::Node&)>& edit) {
    std::vector<std::string> out;
    for (const fs::path& f : topology_files(input)) {
        YAML::Node root = YAML::LoadFile(f.string());
        edit(root);
        YAML::Emitter emitter;
        emitter << root;
        std::string name = tag + "-" + f.filename().string();
        dir.write(name, emitter.c_str());
        out.push_back(dir.path(name));
    }
    return out;
}

/// The examples, and the golden compile cases whose input is one topology.yaml.
std::vector<std::string> example_and_golden_inputs() {
    std::vector<std::string> out = km::test::example_inputs();
    for (const auto& entry :
         fs::directory_iterator(std::string(KAFKAMESH_SOURCE_DIR) + "/golden/compile")) {
        fs::path topology = entry.path() / "topology.yaml";
        std::ifstream cmd(entry.path() / "cmd");
        std::string line;
        std::getline(cmd, line);
        if (fs::exists(topology) && line.rfind("compile topology.yaml", 0) == 0 &&
            entry.path().filename().string().rfind("error", 0) != 0 &&
            entry.path().filename().string().rfind("usage", 0) != 0) {
            out.push_back(topology.string());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

struct Compiled {
    std::map<std::string, std::string> documents;  ///< "Kind ns/name" -> YAML
    std::map<std::string, std::string> acls;       ///< identity key -> principal and ACL entries
    bool helm_values = false;
    std::map<std::string, std::string> apply_job;  ///< kind -> name and YAML (kafka.apply)
};

Compiled compile_documents(const std::vector<std::string>& inputs) {
    Compiled out;
    {
        km::Session session;
        auto output = km::compile_output(inputs, km::CompileOptions{}, session);
        INFO(km::diag::render_text(session.sink.sorted(), session.sources, {}));
        REQUIRE(output.has_value());
        for (const km::emit::Manifest& m : output->manifests) {
            // kafka.apply's ConfigMap and Job carry the topology's own text, which the properties
            // below edit; "the apply Job follows what it applies" checks them.
            if ((m.kind == "ConfigMap" || m.kind == "Job") &&
                m.name.rfind("kafkamesh-apply-", 0) == 0) {
                out.apply_job[m.kind] = m.name + "\n" + m.yaml;
                continue;
            }
            out.documents[m.kind + " " + m.ns + "/" + m.name] = m.yaml;
        }
        out.helm_values = output->helm_values.has_value();
    }
    km::Session session;
    auto front = km::run_front_end(inputs, session);
    REQUIRE(front.has_value());
    for (const km::graph::Identity& id : front->graph.identities) {
        std::string text = id.principal_name + " " + id.mesh_principal;
        for (const km::graph::AclEntry& e : id.acls) {
            text += fmt::format("|{}:{}:{}:{}:{}", static_cast<int>(e.type),
                                static_cast<int>(e.pattern), e.name, static_cast<int>(e.effect),
                                static_cast<int>(e.operation));
        }
        out.acls[id.key] = text;
    }
    return out;
}

}  // namespace

TEST_SUITE("properties") {
    // A cluster owned elsewhere also loses the Kafka namespace's namespace-wide documents unless
    // they are asked for: its PeerAuthentication "default" by the namespace's own mtls, its
    // allow-nothing by mesh.defaultDeny written out.
    TEST_CASE("kafka.managed: false emits the managed output minus the cluster's own documents") {
        for (const std::string& input : example_and_golden_inputs()) {
            CAPTURE(input);
            km::test::ScratchDir dir;
            Compiled managed = compile_documents({input});
            std::string kafka_ns;
            bool mtls_asked = false;
            bool deny_asked = false;
            for (const fs::path& f : topology_files(input)) {
                YAML::Node root = YAML::LoadFile(f.string());
                if (root["kafka"] && root["kafka"]["namespace"]) {
                    kafka_ns = root["kafka"]["namespace"].as<std::string>();
                }
                if (root["mesh"] && root["mesh"]["defaultDeny"]) {
                    deny_asked = true;
                }
            }
            for (const fs::path& f : topology_files(input)) {
                YAML::Node root = YAML::LoadFile(f.string());
                for (const auto& ns : root["namespaces"]) {
                    if (ns["name"].as<std::string>() == kafka_ns && ns["mtls"]) {
                        mtls_asked = true;
                    }
                }
            }
            Compiled unmanaged =
                compile_documents(edited_copy(input, dir, "unmanaged", [](YAML::Node& root) {
                    if (root["kafka"]) {
                        root["kafka"]["managed"] = false;
                    }
                }));
            // What describes the cluster itself: its resources, the chart's values, and the
            // Kafka namespace when the topology only brought it along with the cluster.
            std::map<std::string, std::string> expected;
            for (const auto& [key, yaml] : managed.documents) {
                bool cluster = key.rfind("Kafka ", 0) == 0 || key.rfind("KafkaNodePool ", 0) == 0;
                if (!cluster && !unmanaged.documents.count(key) &&
                    key.rfind("Namespace /", 0) == 0) {
                    cluster = true;  // checked below: only the undeclared Kafka namespace
                }
                if ((key == "PeerAuthentication " + kafka_ns + "/default" && !mtls_asked) ||
                    (key == "AuthorizationPolicy " + kafka_ns + "/allow-nothing" && !deny_asked)) {
                    cluster = true;
                }
                if (!cluster) {
                    expected[key] = yaml;
                }
            }
            CHECK(unmanaged.documents == expected);
            CHECK(managed.documents.size() - expected.size() <= 5);
            CHECK_FALSE(unmanaged.helm_values);
            CHECK(unmanaged.acls == managed.acls);
        }
    }

    // A Job's pod template is immutable: a changed topology must make a new Job (a new name),
    // and an unchanged one the same Job, or kubectl apply would fail or rerun nothing.
    TEST_CASE("the apply Job follows what it applies") {
        std::string input =
            KAFKAMESH_SOURCE_DIR "/golden/compile/strimzi-service-account-token/topology.yaml";
        km::test::ScratchDir dir;
        Compiled first = compile_documents({input});
        Compiled again = compile_documents({input});
        REQUIRE(first.apply_job.size() == 2);
        CHECK(first.apply_job == again.apply_job);
        Compiled edited = compile_documents(edited_copy(input, dir, "edited", [](YAML::Node& root) {
            if (root["topics"]) {
                root["topics"][0]["partitions"] = 12;
            }
        }));
        REQUIRE(edited.apply_job.size() == 2);
        std::string job = first.apply_job["Job"].substr(0, first.apply_job["Job"].find('\n'));
        std::string edited_job =
            edited.apply_job["Job"].substr(0, edited.apply_job["Job"].find('\n'));
        CHECK(job != edited_job);
        CHECK(edited.apply_job["ConfigMap"].find("partitions: 12") != std::string::npos);
        CHECK(first.apply_job["ConfigMap"].find("partitions: 12") == std::string::npos);
    }

    TEST_CASE("namespaces[].managed: false removes exactly that namespace's Namespace document") {
        for (const std::string& input : example_and_golden_inputs()) {
            CAPTURE(input);
            Compiled all = compile_documents({input});
            std::vector<std::string> names;
            for (const fs::path& f : topology_files(input)) {
                YAML::Node root = YAML::LoadFile(f.string());
                for (const auto& ns : root["namespaces"]) {
                    if (!ns["managed"] || ns["managed"].as<bool>()) {
                        names.push_back(ns["name"].as<std::string>());
                    }
                }
            }
            for (const std::string& name : names) {
                CAPTURE(name);
                km::test::ScratchDir dir;
                Compiled without =
                    compile_documents(edited_copy(input, dir, name, [&](YAML::Node& root) {
                        if (!root["namespaces"]) {
                            return;
                        }
                        for (auto ns : root["namespaces"]) {
                            if (ns["name"].as<std::string>() == name) {
                                ns["managed"] = false;
                                ns.remove("labels");  // they would only draw a warning
                            }
                        }
                    }));
                std::map<std::string, std::string> expected = all.documents;
                CHECK(expected.erase("Namespace /" + name) == 1);
                CHECK(without.documents == expected);
                CHECK(without.acls == all.acls);
            }
        }
    }

    // Only AuthorizationPolicy honours istio.io/dry-run: a PeerAuthentication would change the
    // namespaces' mTLS on apply, so a dry run emits none.
    TEST_CASE(
        "mesh.enforcement: dry-run marks every AuthorizationPolicy and emits no allow-nothing and "
        "no PeerAuthentication") {
        for (const std::string& input : km::test::example_inputs()) {
            CAPTURE(input);
            km::test::ScratchDir dir;
            Compiled enforced = compile_documents({input});
            Compiled dry = compile_documents(edited_copy(input, dir, "dry", [](YAML::Node& root) {
                if (root["kafka"]) {
                    root["mesh"]["enforcement"] = "dry-run";
                }
            }));
            for (const auto& document : enforced.documents) {
                // doctest's CAPTURE takes its argument into a lambda: no structured binding
                const std::string& key = document.first;
                const std::string& yaml = document.second;
                CAPTURE(key);
                if (key.rfind("PeerAuthentication ", 0) == 0) {
                    CHECK(dry.documents.count(key) == 0);
                } else if (key.rfind("AuthorizationPolicy ", 0) != 0) {
                    CHECK(dry.documents.at(key) == yaml);
                } else if (key.size() > 14 && key.substr(key.size() - 14) == "/allow-nothing") {
                    CHECK(dry.documents.count(key) == 0);
                } else {
                    CHECK(dry.documents.at(key).find("istio.io/dry-run: \"true\"") !=
                          std::string::npos);
                }
            }
        }
    }

    TEST_CASE("every example validates clean and compiles to the same bytes twice") {
        auto examples = km::test::example_inputs();
        REQUIRE(examples.size() >= 2);
        for (const std::string& input : examples) {
            CAPTURE(input);
            km::Session session;
            REQUIRE(km::run_front_end({input}, session).has_value());
            CHECK(session.sink.raw().empty());
            CHECK(compile_paths({input}) == compile_paths({input}));
        }
    }

    TEST_CASE("documents emitted on several threads come out in apply order, the same each run") {
        // 3,000 services make 3 slices of KafkaUsers and 6 of KafkaTopics: more jobs than threads,
        // so the documents reach the result in whatever order the threads finish them.
        km::bench::GeneratorOptions options = km::bench::GeneratorOptions::realistic(3000);
        std::string topology = km::bench::generate_topology(options);
        km::Session session;
        std::uint32_t file = session.sources.add("large.yaml", topology);
        auto output = km::compile_output_on({file}, km::CompileOptions{}, session);
        REQUIRE(output.has_value());
        const std::vector<km::emit::Manifest>& manifests = output->manifests;
        REQUIRE(manifests.size() > 9000);
        for (std::size_t i = 1; i < manifests.size(); ++i) {
            const auto& a = manifests[i - 1];
            const auto& b = manifests[i];
            INFO(a.kind, " ", a.ns, "/", a.name, " before ", b.kind, " ", b.ns, "/", b.name);
            REQUIRE(std::tie(a.rank, a.ns, a.name) < std::tie(b.rank, b.ns, b.name));
        }
        std::string expected = km::emit::write_stream(manifests);
        for (int run = 0; run < 3; ++run) {
            CHECK(km::test::compile_text(topology) == expected);
        }
    }

    TEST_CASE("shuffling every list and mapping of the input gives the same bytes") {
        for (const std::string& input : km::test::example_inputs()) {
            CAPTURE(input);
            std::string expected = compile_paths({input});
            km::test::ScratchDir dir;
            for (unsigned seed = 1; seed <= 5; ++seed) {
                CAPTURE(seed);
                CHECK(compile_paths(shuffled_copy(input, dir, seed)) == expected);
            }
        }
    }

    TEST_CASE("hostile values cannot inject documents or fields") {
        auto topology_with = [](const std::string& value) {
            YAML::Emitter quoted;
            quoted << YAML::DoubleQuoted << value;
            return km::test::header(std::string("  config: {metric.reporters: ") + quoted.c_str() +
                                    "}\n") +
                   "topics:\n  - name: t\n    config: {follower.replication.throttled.replicas: " +
                   quoted.c_str() + "}\n";
        };
        const std::size_t baseline =
            YAML::LoadAll(km::test::compile_text(topology_with("benign"))).size();
        const std::string payloads[] = {"x\n---\napiVersion: v1\nkind: Secret",
                                        "a: b",
                                        "# comment",
                                        "$(id)",
                                        "`id`",
                                        "'; rm -rf / #",
                                        "\\\"",
                                        "- item",
                                        "{a: b}",
                                        "*alias",
                                        "...\n---"};
        for (const std::string& p : payloads) {
            CAPTURE(p);
            if (p.find('\n') != std::string::npos) {
                // A line break would start a new entry in Kafka's properties file: refused
                // before emission (the writer's quoting is tested in manifest_writer_test).
                CHECK(km::test::diagnostics_of(topology_with(p)) ==
                      std::vector<std::string>{"KM533@7:30", "KM533@10:55"});
                continue;
            }
            std::string out = km::test::compile_text(topology_with(p));
            std::vector<YAML::Node> docs = YAML::LoadAll(out);
            CHECK(docs.size() == baseline);
            bool found_kafka = false;
            for (const YAML::Node& doc : docs) {
                CHECK(doc["kind"].as<std::string>() != "Secret");
                if (doc["kind"].as<std::string>() == "Kafka") {
                    found_kafka = true;
                    CHECK(doc["spec"]["kafka"]["config"]["metric.reporters"].as<std::string>() ==
                          p);
                }
                if (doc["kind"].as<std::string>() == "KafkaTopic") {
                    CHECK(doc["spec"]["config"]["follower.replication.throttled.replicas"]
                              .as<std::string>() == p);
                    CHECK(doc["spec"]["config"].size() == 1);
                }
            }
            CHECK(found_kafka);
        }
    }
}
