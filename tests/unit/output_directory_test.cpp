// compile -o DIR: stale files go, foreign files stay untouched, and a failure at any point
// (a foreign file in the way, a failed compile, a failure just before the swap) leaves DIR as
// it was, byte for byte. The by-namespace layout holds the same documents in the same order.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "cli/output_directory.h"
#include "cli/output_layout.h"
#include "test_support.h"

namespace fs = std::filesystem;
using km::cli::OutputFile;

namespace {

/// Every entry under `dir`: path -> contents ("<dir>" for directories).
std::map<std::string, std::string> snapshot(const fs::path& dir) {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        std::string rel = fs::relative(e.path(), dir).string();
        if (e.is_directory()) {
            out[rel] = "<dir>";
        } else {
            std::ifstream in(e.path(), std::ios::binary);
            std::ostringstream s;
            s << in.rdbuf();
            out[rel] = s.str();
        }
    }
    return out;
}

ino_t inode(const fs::path& p) {
    struct stat st {};
    REQUIRE(stat(p.c_str(), &st) == 0);
    return st.st_ino;
}

bool write(const std::string& dir, const std::vector<OutputFile>& files,
           std::vector<std::string>* codes = nullptr, const km::cli::WriteHooks& hooks = {},
           km::cli::Foreign foreign = km::cli::Foreign::refuse) {
    km::Session session;
    bool ok = km::cli::write_output_directory(dir, files, session, hooks, foreign);
    for (const auto& d : session.sink.sorted()) {
        if (codes) {
            codes->push_back(std::string(km::diag::code_string(d.code)));
        }
    }
    return ok;
}

/// No staging directory is left beside `dir`.
bool no_leftovers(const fs::path& dir) {
    for (const auto& e : fs::directory_iterator(dir.parent_path())) {
        if (e.path().filename().string().find(".kafkamesh-new-") != std::string::npos) {
            return false;
        }
    }
    return true;
}

}  // namespace

TEST_SUITE("output directory") {
    TEST_CASE("a new directory holds the files and the ownership record") {
        km::test::ScratchDir scratch;
        std::string dir = scratch.path("out/manifests");
        REQUIRE(write(dir, {{"a.yaml", "a\n"}, {"helm/values.yaml", "v\n"}}));
        auto tree = snapshot(dir);
        CHECK(tree["a.yaml"] == "a\n");
        CHECK(tree["helm/values.yaml"] == "v\n");
        CHECK(tree[".kafkamesh"].find("\na.yaml\nhelm/\nhelm/values.yaml\n") != std::string::npos);
        CHECK(no_leftovers(dir));
    }

    TEST_CASE("files written before and no longer produced are removed") {
        km::test::ScratchDir scratch;
        std::string dir = scratch.path("out");
        REQUIRE(write(dir, {{"01-namespace.yaml", "n\n"},
                            {"09-kafkaaccess-shop.yaml", "k\n"},
                            {"helm/values.yaml", "v\n"}}));
        REQUIRE(write(dir, {{"01-namespace.yaml", "n2\n"}}));
        auto tree = snapshot(dir);
        CHECK(tree["01-namespace.yaml"] == "n2\n");
        CHECK_FALSE(tree.count("09-kafkaaccess-shop.yaml"));
        CHECK_FALSE(tree.count("helm/values.yaml"));
        CHECK_FALSE(tree.count("helm"));  // a directory kafkamesh made, now empty
    }

    TEST_CASE("files kafkamesh does not own stay exactly as they were") {
        km::test::ScratchDir scratch;
        std::string dir = scratch.path("out");
        scratch.write("out/README.md", "ours\n");
        scratch.write("out/helm/notes.txt", "keep\n");
        scratch.write("out/extra/app.yaml", "kind: ConfigMap\n");
        ino_t readme = inode(scratch.path("out/README.md"));
        ino_t notes = inode(scratch.path("out/helm/notes.txt"));
        REQUIRE(write(dir, {{"a.yaml", "a\n"}, {"helm/values.yaml", "v\n"}}));
        REQUIRE(write(dir, {{"b.yaml", "b\n"}}));
        auto tree = snapshot(dir);
        CHECK(tree["README.md"] == "ours\n");
        CHECK(tree["helm/notes.txt"] == "keep\n");
        CHECK(tree["extra/app.yaml"] == "kind: ConfigMap\n");
        CHECK_FALSE(tree.count("a.yaml"));
        CHECK_FALSE(tree.count("helm/values.yaml"));
        // The same files, not copies of them.
        CHECK(inode(scratch.path("out/README.md")) == readme);
        CHECK(inode(scratch.path("out/helm/notes.txt")) == notes);
    }

    TEST_CASE("a foreign file where kafkamesh would write stops everything (KM505)") {
        km::test::ScratchDir scratch;
        std::string dir = scratch.path("out");
        REQUIRE(write(dir, {{"a.yaml", "a\n"}}));
        scratch.write("out/kustomization.yaml", "resources: [mine.yaml]\n");
        auto before = snapshot(dir);
        std::vector<std::string> codes;
        CHECK_FALSE(write(dir, {{"a.yaml", "a2\n"}, {"kustomization.yaml", "k\n"}}, &codes));
        CHECK(codes == std::vector<std::string>{"KM505"});
        CHECK(snapshot(dir) == before);
        CHECK(no_leftovers(dir));
    }

    TEST_CASE("a failure just before the swap leaves the directory as it was") {
        km::test::ScratchDir scratch;
        std::string dir = scratch.path("out");
        scratch.write("out/README.md", "ours\n");
        REQUIRE(write(dir, {{"a.yaml", "a\n"}, {"b.yaml", "b\n"}}));
        auto before = snapshot(dir);
        ino_t dir_inode = inode(dir);
        bool complete = false;
        km::cli::WriteHooks hooks;
        hooks.before_swap = [&] {
            // The new tree is whole at this point, yet nothing of it shows in DIR.
            complete = true;
            CHECK(snapshot(dir) == before);
            return false;
        };
        std::vector<std::string> codes;
        CHECK_FALSE(write(dir, {{"a.yaml", "changed\n"}}, &codes, hooks));
        CHECK(complete);
        CHECK(codes == std::vector<std::string>{"KM004"});
        CHECK(snapshot(dir) == before);
        CHECK(inode(dir) == dir_inode);
        CHECK(no_leftovers(dir));
    }

    TEST_CASE("the new tree replaces the directory in one rename") {
        km::test::ScratchDir scratch;
        std::string dir = scratch.path("out");
        REQUIRE(write(dir, {{"a.yaml", "a\n"}}));
        ino_t before = inode(dir);
        REQUIRE(write(dir, {{"a.yaml", "a2\n"}, {"b.yaml", "b\n"}}));
        CHECK(inode(dir) != before);  // swapped in, not edited in place
        CHECK(snapshot(dir)["b.yaml"] == "b\n");
        CHECK(no_leftovers(dir));
    }

    TEST_CASE("a failed compile leaves the directory byte-identical") {
        km::test::ScratchDir scratch;
        scratch.write("good.yaml", km::test::header("  distribution: bitnami\n") +
                                       "namespaces: [{name: shop}]\n"
                                       "topics: [{name: orders}]\n"
                                       "services: [{name: checkout, namespace: shop, "
                                       "produces: [orders]}]\n");
        scratch.write("bad.yaml", km::test::header() + "topics: [{name: orders, replicas: 9}]\n");
        std::string kafkamesh = KAFKAMESH_BINARY;
        std::string out = scratch.path("out");
        REQUIRE(std::system((kafkamesh + " compile " + scratch.path("good.yaml") + " -o " + out +
                             " 2>/dev/null")
                                .c_str()) == 0);
        scratch.write("out/README.md", "ours\n");
        auto before = snapshot(out);
        CHECK(before.count("helm/values.yaml"));
        int rc = std::system(
            (kafkamesh + " compile " + scratch.path("bad.yaml") + " -o " + out + " 2>/dev/null")
                .c_str());
        CHECK(rc != 0);
        CHECK(snapshot(out) == before);
    }

    TEST_CASE("--adopt takes over kafkamesh's own files when the record was lost, nothing else") {
        const std::string labelled =
            "---\nkind: KafkaUser\nmetadata:\n  labels:\n    app.kubernetes.io/managed-by: "
            "kafkamesh\n";
        const std::string kustomization =
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nsortOptions:\n"
            "  order: fifo\nresources:\n  - 08-kafkauser-kafka.yaml\n";
        std::vector<OutputFile> files = {
            {"08-kafkauser-kafka.yaml", labelled + "spec: {new: true}\n"},
            {"kustomization.yaml", kustomization + "  - 09-kafkaaccess-shop.yaml\n"},
            {"09-kafkaaccess-shop.yaml", "same\n"},
        };
        km::test::ScratchDir scratch;
        std::string dir = scratch.path("out");
        REQUIRE(write(dir, files));
        fs::remove(fs::path(dir) / ".kafkamesh");  // lost, as an artifact upload drops it
        // Earlier content of kafkamesh's files: labelled, in its kustomization form, the same.
        std::ofstream(fs::path(dir) / "08-kafkauser-kafka.yaml") << labelled + "spec: {}\n";
        std::ofstream(fs::path(dir) / "kustomization.yaml") << kustomization;

        std::vector<std::string> codes;
        CHECK_FALSE(write(dir, files, &codes));  // without --adopt: every one is foreign
        CHECK(codes.size() == 3);
        CHECK(write(dir, files, nullptr, {}, km::cli::Foreign::adopt));
        auto tree = snapshot(dir);
        for (const OutputFile& f : files) {
            CHECK(tree[f.path] == f.content);
        }
        CHECK(tree[".kafkamesh"].find("\n08-kafkauser-kafka.yaml\n") != std::string::npos);

        // A file with a document kafkamesh did not label stays someone else's, adopt or not.
        fs::remove(fs::path(dir) / ".kafkamesh");
        std::ofstream(fs::path(dir) / "08-kafkauser-kafka.yaml")
            << labelled + "---\nkind: ConfigMap\nmetadata: {name: mine}\n";
        auto before = snapshot(dir);
        codes.clear();
        CHECK_FALSE(write(dir, files, &codes, {}, km::cli::Foreign::adopt));
        CHECK(codes == std::vector<std::string>{"KM505"});
        CHECK(snapshot(dir) == before);
    }

    TEST_CASE("--layout by-namespace holds the default layout's documents in the same order") {
        // Each file's documents, in kustomization.yaml's order: what `kubectl apply -k` applies.
        auto applied = [](const std::vector<OutputFile>& files) {
            std::map<std::string, std::string> by_path;
            for (const OutputFile& f : files) {
                by_path[f.path] = f.content;
            }
            REQUIRE(by_path.count(km::cli::k_kustomization));
            std::istringstream k(by_path[km::cli::k_kustomization]);
            std::string stream;
            std::size_t resources = 0;
            for (std::string line; std::getline(k, line);) {
                if (line.rfind("  - ", 0) == 0) {
                    std::string path = line.substr(4);
                    REQUIRE(by_path.count(path));
                    stream += by_path[path];
                    ++resources;
                }
            }
            // Every file but kustomization.yaml and the chart's values is listed.
            CHECK(resources + 1 + by_path.count(km::cli::k_helm_values) == by_path.size());
            return stream;
        };
        auto compiled = [](const std::string& example, km::cli::Layout layout) {
            km::Session session;
            std::optional<km::emit::Output> output = km::compile_output(
                {std::string(KAFKAMESH_SOURCE_DIR) + "/examples/" + example}, {}, session);
            REQUIRE(output.has_value());
            return km::cli::layout_output(std::move(*output), layout);
        };
        for (const char* example :
             {"multi-team", "consol-istio-tutorial/topology.yaml",
              "university-messaging/topology.yaml", "existing-platform/topology.yaml"}) {
            CAPTURE(example);
            std::vector<OutputFile> by_kind = compiled(example, km::cli::Layout::by_kind);
            std::vector<OutputFile> by_namespace = compiled(example, km::cli::Layout::by_namespace);
            CHECK(applied(by_namespace) == applied(by_kind));
            // Deterministic: a second compile gives the same bytes.
            std::vector<OutputFile> again = compiled(example, km::cli::Layout::by_namespace);
            REQUIRE(again.size() == by_namespace.size());
            for (std::size_t i = 0; i < again.size(); ++i) {
                CHECK(again[i].path == by_namespace[i].path);
                CHECK(again[i].content == by_namespace[i].content);
            }
            // A team file keeps the default file's name, under teams/<namespace>/, and never
            // holds what the platform owns.
            std::set<std::string> default_names;
            for (const OutputFile& f : by_kind) {
                default_names.insert(f.path);
            }
            for (const OutputFile& f : by_namespace) {
                CAPTURE(f.path);
                if (f.path.rfind("teams/", 0) != 0) {
                    CHECK(default_names.count(f.path));
                    continue;
                }
                std::string rest = f.path.substr(6);
                std::string team = rest.substr(0, rest.find('/'));
                CHECK(default_names.count(rest.substr(team.size() + 1)));
                CHECK(team != "kafka");
                for (const char* platform : {"kind: Namespace\n", "kind: Kafka\n",
                                             "kind: KafkaNodePool\n", "kind: HelmRelease\n"}) {
                    CHECK(f.content.find(platform) == std::string::npos);
                }
            }
        }
        // multi-team: each team's users are in its directory, and a topic its services alone
        // produce by name goes with them.
        std::vector<OutputFile> teams = compiled("multi-team", km::cli::Layout::by_namespace);
        std::map<std::string, std::string> tree;
        for (const OutputFile& f : teams) {
            tree[f.path] = f.content;
        }
        CHECK(tree.count("teams/orders/08-kafkauser-kafka.yaml"));
        CHECK(tree.count("teams/orders/07-kafkatopic-kafka.yaml"));
        CHECK(tree["teams/orders/08-kafkauser-kafka.yaml"].find("namespace: kafka\n") !=
              std::string::npos);
    }
}
