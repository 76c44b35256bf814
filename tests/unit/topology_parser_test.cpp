#include <doctest/doctest.h>

#include <filesystem>

#include "test_support.h"

using km::test::diagnostics_of;
using km::test::diagnostics_of_files;
using km::test::header;
using Codes = std::vector<std::string>;

namespace {

/// "file:CODE@line:col" of every diagnostic, sorted as printed.
Codes located(const km::Session& session) {
    Codes out;
    for (const km::diag::Diagnostic& d : session.sink.sorted()) {
        std::string file;
        if (d.location.known()) {
            file = std::filesystem::path(session.sources.file(d.location.file).path)
                       .filename()
                       .string() +
                   ":";
        }
        out.push_back(file + std::string(km::diag::code_string(d.code)) + "@" +
                      std::to_string(d.location.line) + ":" + std::to_string(d.location.column));
    }
    return out;
}

/// The front end on the directory's files, parsed as it parses them (on two cores).
Codes front_end_codes(const std::string& dir, const km::source::LoadLimits& limits) {
    km::Session session;
    std::vector<std::uint32_t> files = km::read_inputs({dir}, session);
    km::run_front_end_on(files, session, limits);
    return located(session);
}

/// The same files read one after the other, the node limit counting the files before: what the
/// front end must report.
Codes in_turn_codes(const std::string& dir, km::source::LoadLimits limits) {
    km::Session session;
    for (std::uint32_t file : km::read_inputs({dir}, session)) {
        if (auto doc = km::source::load_yaml(session.sources, file, session.sink, limits)) {
            limits.used_nodes += doc->nodes.size();
        }
    }
    return located(session);
}

}  // namespace

TEST_SUITE("parse") {
    TEST_CASE("several files are parsed on two cores and report as when read in turn") {
        auto team = [](const std::string& prefix) {
            std::string text = "apiVersion: kafkamesh.io/v1alpha1\nkind: Topology\nservices:\n";
            for (int i = 0; i < 20; ++i) {
                text += "  - {name: " + prefix + std::to_string(i) + ", namespace: shop}\n";
            }
            return text;
        };
        km::test::ScratchDir dir({{"a.yaml", header() + "namespaces: [{name: shop}]\n"},
                                  {"b.yaml", team("b")},
                                  {"c.yaml", team("c")}});
        km::source::LoadLimits limits;
        SUBCASE("within the limits: the same, clean") {
            CHECK(front_end_codes(dir.path(), limits) == Codes{});
        }
        SUBCASE("each file within the node limit, all of them over it: the third file's node") {
            // Each team file is about 110 nodes and the header file fewer: 200 passes every
            // file alone, not the three together.
            limits.max_nodes = 200;
            Codes expected = in_turn_codes(dir.path(), limits);
            REQUIRE(expected.size() == 1);
            CHECK(expected.front().find("c.yaml:KM105@") == 0);
            CHECK(front_end_codes(dir.path(), limits) == expected);
        }
        SUBCASE("an error in two files: both, at their places") {
            km::test::ScratchDir broken({{"a.yaml", header() + "namespaces: [{name: shop}\n"},
                                         {"b.yaml", team("b") + "  - {name: x\n"}});
            Codes expected = in_turn_codes(broken.path(), limits);
            REQUIRE(expected.size() == 2);
            CHECK(front_end_codes(broken.path(), limits) == expected);
        }
    }

    TEST_CASE("topology_parser") {
        SUBCASE("a minimal topology is clean") {
            CHECK(diagnostics_of(header()) == Codes{});
        }
        SUBCASE("unknown field is KM201 at the key") {
            CHECK(diagnostics_of(header() + "topcs: []\n") == Codes{"KM201@7:1"});
            CHECK(diagnostics_of(header("  nodez: 3\n")) == Codes{"KM201@7:3"});
        }
        SUBCASE("wrong types are KM202 at the value") {
            CHECK(diagnostics_of(header("  nodes: three\n")) == Codes{"KM202@7:10"});
            CHECK(diagnostics_of(header("  nodes: \"3\"\n")) == Codes{"KM202@7:10"});
            CHECK(diagnostics_of(header() + "topics: {name: x}\n") == Codes{"KM202@7:9"});
        }
        SUBCASE("missing required fields are KM203 at the mapping") {
            CHECK(diagnostics_of(header() + "topics:\n  - partitions: 1\n") == Codes{"KM203@8:5"});
        }
        SUBCASE("enum values are KM204") {
            CHECK(diagnostics_of(header("  distribution: strimsi\n")) == Codes{"KM204@7:17"});
        }
        SUBCASE("formats and ranges are KM205") {
            CHECK(diagnostics_of(header() + "topics:\n  - {name: 'a b'}\n") == Codes{"KM205@8:12"});
            CHECK(diagnostics_of(header() + "topics:\n  - {name: t, partitions: 0}\n") ==
                  Codes{"KM205@8:27"});
            CHECK(diagnostics_of(header() + "namespaces:\n  - {name: Shop}\n") ==
                  Codes{"KM205@8:12"});
            CHECK(diagnostics_of(header() + "mesh: {idleTimeout: forever}\n") ==
                  Codes{"KM205@7:21"});
        }
        SUBCASE("a wrong apiVersion is KM206") {
            std::string text = header();
            text.replace(text.find("v1alpha1"), 8, "v2");
            CHECK(diagnostics_of(text) == Codes{"KM206@1:13"});
        }
        SUBCASE("a grant with two resource kinds is KM203") {
            CHECK(diagnostics_of(header() + "roles:\n  - name: r\n    grants:\n      - {topics: "
                                            "[a], groups: [b], operations: [Read]}\n") ==
                  Codes{"KM203@10:9"});
        }
        SUBCASE("plain version numbers are accepted as strings") {
            CHECK(diagnostics_of(header() + "mesh: {istioVersion: 1.29}\n") == Codes{});
        }
        SUBCASE("metadata in two files is KM312; none at all is KM313") {
            std::string team =
                "apiVersion: kafkamesh.io/v1alpha1\nkind: Topology\nmetadata: {name: other}\n";
            CHECK(diagnostics_of_files({{"a.yaml", header()}, {"b.yaml", team}}) ==
                  Codes{"KM312@3:1"});
            CHECK(diagnostics_of("apiVersion: kafkamesh.io/v1alpha1\nkind: Topology\n") ==
                  Codes{"KM313@0:0", "KM313@0:0"});
        }
        SUBCASE("lists from several files merge") {
            std::string team =
                "apiVersion: kafkamesh.io/v1alpha1\nkind: Topology\n"
                "namespaces: [{name: shop}]\n"
                "services: [{name: checkout, namespace: shop, produces: [orders]}]\n";
            std::string topics =
                "apiVersion: kafkamesh.io/v1alpha1\nkind: Topology\ntopics: [{name: orders}]\n";
            CHECK(diagnostics_of_files(
                      {{"a.yaml", header()}, {"b.yaml", team}, {"c.yaml", topics}}) == Codes{});
        }
    }
}
