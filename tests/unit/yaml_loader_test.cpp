#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "source/yaml_loader.h"
#include "test_support.h"

using km::test::diagnostics_of;
using Codes = std::vector<std::string>;

namespace {

km::source::YamlDocument load(const std::string& text, km::diag::DiagnosticSink& sink,
                              km::source::LoadLimits limits = {}) {
    static km::source::SourceManager sources;
    auto file = sources.add("input.yaml", text);
    auto doc = km::source::load_yaml(sources, file, sink, limits);
    return doc ? *doc : km::source::YamlDocument{};
}

/// Every node of `doc` in document order, as kind, quoting, value and position.
std::vector<std::string> nodes_of(const km::source::YamlDocument& doc) {
    std::vector<std::string> out;
    std::vector<km::source::NodeId> todo{doc.root};
    while (!todo.empty()) {
        km::source::NodeId id = todo.back();
        todo.pop_back();
        const auto& n = doc.node(id);
        out.push_back(std::string(km::source::kind_name(n.kind)) + (n.quoted ? " quoted " : " ") +
                      n.value + " @" + std::to_string(n.location.line) + ":" +
                      std::to_string(n.location.column));
        auto children = doc.children(id);
        todo.insert(todo.end(), children.rbegin(), children.rend());
    }
    return out;
}

/// The text read as a stream of live documents (JSON goes to nlohmann's parser) and as a
/// topology file (always yaml-cpp).
struct BothReaders {
    explicit BothReaders(const std::string& text, km::source::LoadLimits limits = {}) {
        auto file = sources.add("live.json", text);
        auto docs = km::source::load_yaml_stream(sources, file, stream_sink, limits);
        if (docs && docs->size() == 1) {
            stream = nodes_of(docs->front());
        }
        auto doc = km::source::load_yaml(sources, file, yaml_sink, limits);
        if (doc) {
            yaml = nodes_of(*doc);
        }
    }
    km::source::SourceManager sources;
    km::diag::DiagnosticSink stream_sink;
    km::diag::DiagnosticSink yaml_sink;
    std::vector<std::string> stream;
    std::vector<std::string> yaml;
};

}  // namespace

TEST_SUITE("source") {
    TEST_CASE("kubectl's JSON: the tree, positions and limits yaml-cpp gives the same text") {
        SUBCASE("pretty-printed, as kubectl get -o json writes it") {
            // Numbers before a line break (the lexer reads past them into the indentation),
            // escapes, a non-ASCII character before a token on its line, every scalar kind.
            std::string text =
                "{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n        {\n"
                "            \"kind\": \"KafkaTopic\",\n"
                "            \"spec\": {\n                \"partitions\": 6,\n"
                "                \"replicas\": -3\n            },\n"
                "            \"status\": {\"n\": 1.5e3, \"ok\": true, \"no\": false, "
                "\"none\": null},\n"
                "            \"note\": \"a \\\"quoted\\\" \\\\ word\\n\", "
                "\"\u00e9t\u00e9\": \"\\u00e9\", \"after\": 7\n"
                "        },\n        [],\n        {}\n    ],\n    \"kind\": \"List\"\n}\n";
            BothReaders r(text);
            CHECK_FALSE(r.stream_sink.has_errors());
            CHECK_FALSE(r.yaml_sink.has_errors());
            REQUIRE(r.stream.size() > 20);
            CHECK(r.stream == r.yaml);
        }
        SUBCASE("compact, on one line") {
            BothReaders r(R"({"a":[1,2,{"b":"c\\"}],"d":{"e":""},"f":0})");
            REQUIRE(r.stream.size() == 14);
            CHECK(r.stream == r.yaml);
        }
        SUBCASE("a duplicate key is KM102 at the second key, as in YAML") {
            BothReaders r("{\n  \"a\": 1,\n  \"b\": 2,\n  \"a\": 3\n}\n");
            CHECK(r.stream_sink.has(km::diag::Code::KM102));
            REQUIRE(r.stream_sink.raw().size() == 1);
            CHECK(r.stream_sink.raw()[0].location.line == 4);
            CHECK(r.stream_sink.raw()[0].location.column == 3);
        }
        SUBCASE("a string over the limit is KM108 at the string") {
            km::source::LoadLimits limits;
            limits.max_scalar_bytes = 8;
            BothReaders r("{\n  \"key\": \"123456789\"\n}\n", limits);
            REQUIRE(r.stream_sink.raw().size() == 1);
            CHECK(r.stream_sink.raw()[0].code == km::diag::Code::KM108);
            CHECK(r.stream_sink.raw()[0].location.line == 2);
            CHECK(r.stream_sink.raw()[0].location.column == 10);
        }
        SUBCASE("what is not JSON is read by yaml-cpp, its errors in YAML's terms") {
            BothReaders flow("{kind: Namespace, metadata: {name: shop}}\n");
            CHECK_FALSE(flow.stream_sink.has_errors());
            CHECK(flow.stream == flow.yaml);
            BothReaders broken("{\"kind\": \"Namespace\",\n  \"metadata\": [\n");
            CHECK(broken.stream_sink.has(km::diag::Code::KM101));
        }
        SUBCASE("a stream the parser cannot read on in stops with KM101, as a topology does") {
            // yaml-cpp 0.7 reports null documents without end after a stray ','; a stream
            // reader that kept them grew until memory ran out.
            BothReaders stuck(", grop: \"checkout\"}]}\n");
            CHECK(stuck.stream_sink.has(km::diag::Code::KM101));
            CHECK(stuck.stream.empty());
        }
        SUBCASE("a null document in a stream is skipped like an empty one") {
            km::source::SourceManager sources;
            km::diag::DiagnosticSink sink;
            auto docs = km::source::load_yaml_stream(
                sources, sources.add("live.yaml", "--- ~\n---\nkind: A\n--- null\n"), sink);
            REQUIRE(docs);
            CHECK(docs->size() == 1);
            CHECK_FALSE(sink.has_errors());
        }
    }

    TEST_CASE("the character scan finds a bad byte at any place in an eight-byte word") {
        // Printable ASCII is passed over eight bytes at a time: a control character, DEL or a
        // malformed UTF-8 byte must still be found, at its column, wherever it sits.
        for (std::size_t k = 0; k < 16; ++k) {
            std::string column = std::to_string(5 + k);
            std::string before = "a: '" + std::string(k, 'x');
            CHECK(diagnostics_of(before + "\x01yyyyyyyyy'\n") == Codes{"KM110@1:" + column});
            CHECK(diagnostics_of(before + "\x7Fyyyyyyyyy'\n") == Codes{"KM110@1:" + column});
            CHECK(diagnostics_of(before + "\xFFyyyyyyyyy'\n") == Codes{"KM109@1:" + column});
            for (const std::string& code : diagnostics_of(before + "\u00e9yyyyyyyyy'\n")) {
                CHECK(code.rfind("KM10", 0) != 0);  // only the schema's: the text is fine
                CHECK(code.rfind("KM11", 0) != 0);
            }
        }
    }

    TEST_CASE("yaml_loader") {
        SUBCASE("positions are 1-based line and column of each node") {
            km::diag::DiagnosticSink sink;
            auto doc = load("a:\n  b: [x, 'y']\n", sink);
            REQUIRE(doc.root != km::source::no_node);
            auto inner = doc.value(doc.root, 0);
            auto list = doc.value(inner, 0);
            const auto& y = doc.node(doc.children(list)[1]);
            CHECK(y.value == "y");
            CHECK(y.quoted);
            CHECK(y.location.line == 2);
            CHECK(y.location.column == 10);
        }
        SUBCASE("a duplicate key is KM102 at the second key") {
            CHECK(diagnostics_of("a: 1\nb: 2\na: 3\n") == Codes{"KM102@3:1"});
        }
        SUBCASE("a syntax error is KM101 at its mark") {
            auto codes = diagnostics_of("a: [1, 2\nb: 3\n");
            REQUIRE(codes.size() == 1);
            CHECK(codes[0].rfind("KM101@", 0) == 0);
        }
        SUBCASE("a second document is KM103") {
            CHECK(diagnostics_of("a: 1\n---\nb: 2\n") == Codes{"KM103@3:1"});
        }
        SUBCASE("an empty file is KM104") {
            CHECK(diagnostics_of("") == Codes{"KM104@0:0"});
            CHECK(diagnostics_of("# only a comment\n") == Codes{"KM104@0:0"});
        }
        SUBCASE("nesting beyond the limit stops the parser with KM105") {
            km::diag::DiagnosticSink sink;
            load(std::string(100, '[') + std::string(100, ']'), sink, {/*max_depth=*/10, 1000});
            CHECK(sink.has(km::diag::Code::KM105));
        }
        SUBCASE("alias expansion beyond the node budget is KM105") {
            std::string laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
            char prev = 'a';
            for (char c = 'b'; c <= 'h'; ++c) {
                laughs += std::string(1, c) + ": &" + c + " [*" + prev + ", *" + prev + ", *" +
                          prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" +
                          prev + ", *" + prev + ", *" + prev + "]\n";
                prev = c;
            }
            km::diag::DiagnosticSink sink;
            load(laughs, sink, {64, 100000});
            CHECK(sink.has(km::diag::Code::KM105));
        }
        SUBCASE("an alias within the budget is expanded") {
            km::diag::DiagnosticSink sink;
            auto doc = load("a: &x [1, 2]\nb: *x\n", sink);
            CHECK_FALSE(sink.has_errors());
            CHECK(doc.children(doc.value(doc.root, 1)).size() == 2);
        }
    }
}
