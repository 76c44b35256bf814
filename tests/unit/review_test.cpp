// Review-time checks (KM451-KM456): each fires on its finding, at its position, and not on a
// clean topology.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include "review/review_checks.h"
#include "test_support.h"

namespace {

std::vector<std::string> review_of(const std::string& text, std::size_t max_writers = 5) {
    km::test::ScratchDir dir({{"input.yaml", text}});
    km::Session session;
    auto front = km::run_front_end({dir.path("input.yaml")}, session);
    REQUIRE(front.has_value());
    km::diag::DiagnosticSink sink;
    km::review::ReviewOptions options;
    options.max_writers = max_writers;
    km::review::review_topology(front->topology, front->graph, options, sink);
    std::vector<std::string> out;
    for (const auto& d : sink.sorted()) {
        out.push_back(fmt::format("{}@{}:{}", km::diag::code_string(d.code), d.location.line,
                                  d.location.column));
    }
    return out;
}

std::string shop(const std::string& services, const std::string& roles = "") {
    return km::test::header() +
           "namespaces: [{name: shop}]\n"
           "topics: [{name: orders}, {name: orders.eu}, {name: payments}]\n" +
           roles + "services:\n" + services;
}

}  // namespace

TEST_SUITE("review") {
    TEST_CASE("a clean topology has no review finding") {
        CHECK(review_of(shop("  - {name: a, namespace: shop, produces: [orders], consumes: "
                             "[payments]}\n"))
                  .empty());
    }
    TEST_CASE("KM451: deny-only identity") {
        CHECK(review_of(shop("  - {name: a, namespace: shop, roles: [r]}\n",
                             "roles: [{name: r, grants: [{topics: [orders], operations: [Read], "
                             "effect: deny}]}]\n")) == std::vector<std::string>{"KM451@9:60"});
    }
    TEST_CASE("KM452 and KM453: a prefix deny leaves an admitted identity nothing") {
        CHECK(review_of(shop("  - {name: a, namespace: shop, roles: [r]}\n",
                             "roles: [{name: r, grants: [{topics: [orders], operations: [Read]}, "
                             "{topics: ['ord*'], operations: [All], effect: deny}]}]\n")) ==
              std::vector<std::string>{"KM452@9:60", "KM453@9:100"});
    }
    TEST_CASE("KM454: more writers than the limit") {
        std::string services;
        for (int i = 0; i < 3; ++i) {
            services += fmt::format("  - {{name: s{}, namespace: shop, produces: [orders]}}\n", i);
        }
        CHECK(review_of(shop(services), 2) == std::vector<std::string>{"KM454@8:17"});
        CHECK(review_of(shop(services), 3).empty());
    }
    TEST_CASE("KM455: a prefix inside another of the same identity") {
        CHECK(review_of(
                  shop("  - {name: a, namespace: shop, consumes: ['orders*', 'orders.*']}\n")) ==
              std::vector<std::string>{"KM455@10:54"});
        // Other identities' prefixes are separate grants, not overlaps.
        CHECK(review_of(shop("  - {name: a, namespace: shop, consumes: ['orders*']}\n"
                             "  - {name: b, namespace: shop, consumes: ['orders.*']}\n"))
                  .empty());
    }
    TEST_CASE("KM456: unused role") {
        CHECK(review_of(shop("  - {name: a, namespace: shop, produces: [orders]}\n",
                             "roles: [{name: r, grants: [{topics: [orders], operations: "
                             "[Read]}]}]\n")) == std::vector<std::string>{"KM456@9:16"});
    }
}
