#include <doctest/doctest.h>

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

}  // namespace

TEST_SUITE("source") {
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
