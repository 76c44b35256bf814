#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include "emit/manifest_writer.h"

using km::emit::Value;

namespace {

std::string one(const std::string& key, Value v) {
    Value doc = Value::mapping();
    doc.set(key, std::move(v));
    return km::emit::write_yaml(doc);
}

}  // namespace

TEST_SUITE("emit") {
    TEST_CASE("manifest_writer") {
        SUBCASE("strings a YAML 1.1 reader would retype are quoted") {
            CHECK(one("port", Value::string("9092")) == "port: \"9092\"\n");
            CHECK(one("v", Value::string("on")) == "v: \"on\"\n");
            CHECK(one("v", Value::string("true")) == "v: \"true\"\n");
            CHECK(one("v", Value::string("1.29")) == "v: \"1.29\"\n");
            CHECK(one("v", Value::string("2026-01-01")) == "v: \"2026-01-01\"\n");
            CHECK(one("v", Value::string("")) == "v: \"\"\n");
        }
        SUBCASE("numbers and booleans are plain; ordinary strings stay plain") {
            CHECK(one("count", Value::integer(3)) == "count: 3\n");
            CHECK(one("b", Value::boolean(false)) == "b: false\n");
            CHECK(one("s", Value::string("orders")) == "s: orders\n");
        }
        SUBCASE("keys keep insertion order; empty collections are flow") {
            Value doc = Value::mapping();
            doc.set("z", Value::mapping());
            doc.set("a", Value::sequence());
            CHECK(km::emit::write_yaml(doc) == "z: {}\na: []\n");
        }
        SUBCASE("no string can open a document or a field") {
            const std::string hostile[] = {"a\n---\nkind: Secret",
                                           "x: y",
                                           "# c",
                                           "'q'",
                                           "\"dq\"",
                                           "- item",
                                           "a\nb: c",
                                           "--- ",
                                           "...",
                                           "&anchor",
                                           "*alias",
                                           "!tag",
                                           "{a: b}",
                                           "$(rm -rf /)",
                                           "`id`",
                                           "trailing ",
                                           " leading"};
            for (const std::string& s : hostile) {
                Value doc = Value::mapping();
                doc.set("name", Value::string(s));
                doc.set(s, Value::string("as key"));
                std::string text = "---\n" + km::emit::write_yaml(doc);
                std::vector<YAML::Node> docs = YAML::LoadAll(text);
                REQUIRE(docs.size() == 1);
                CHECK(docs[0].size() == 2);
                CHECK(docs[0]["name"].as<std::string>() == s);
                CHECK(docs[0][s].as<std::string>() == "as key");
            }
        }
        SUBCASE("block strings are literal blocks") {
            CHECK(one("script", Value::block("a\nb\n")) == "script: |\n  a\n  b\n");
        }
    }
}
