// Properties that hold for every input: determinism, independence from list order, and that no
// value can inject a document or a field into the output.
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <tuple>

#include "../bench/topology_generator.h"
#include "diag/render.h"
#include "emit/manifest_writer.h"
#include "test_support.h"

namespace fs = std::filesystem;

namespace {

std::vector<std::string> example_inputs() {
    std::vector<std::string> out;
    for (const auto& entry :
         fs::directory_iterator(std::string(KAFKAMESH_SOURCE_DIR) + "/examples")) {
        // examples/ci holds CI and GitOps files, not a topology.
        if (!entry.is_directory() || entry.path().filename() == "ci") {
            continue;
        }
        if (fs::exists(entry.path() / "topology.yaml")) {
            out.push_back((entry.path() / "topology.yaml").string());
        } else {
            out.push_back(entry.path().string());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

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

}  // namespace

TEST_SUITE("properties") {
    TEST_CASE("every example validates clean and compiles to the same bytes twice") {
        auto examples = example_inputs();
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
        for (const std::string& input : example_inputs()) {
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
