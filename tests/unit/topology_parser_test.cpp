#include <doctest/doctest.h>

#include "test_support.h"

using km::test::diagnostics_of;
using km::test::diagnostics_of_files;
using km::test::header;
using Codes = std::vector<std::string>;

TEST_SUITE("parse") {
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
