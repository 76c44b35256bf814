// Review-time checks (KM451-KM459): each fires on its finding, at its position, and not on a
// clean topology.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include "review/review_checks.h"
#include "test_support.h"

namespace {

/// The findings, as "KMnnn@line:column". The small topologies below leave most topics unwritten
/// or unread: KM457 and KM458 are left out unless `unused` asks for them.
std::vector<std::string> review_of(const std::string& text, std::size_t max_writers = 5,
                                   bool unused = false) {
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
        if (!unused && (d.code == km::diag::Code::KM457 || d.code == km::diag::Code::KM458)) {
            continue;
        }
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
    TEST_CASE("KM457 and KM458: a topic nobody but a super user writes, or reads") {
        std::string text = km::test::header() +
                           "namespaces: [{name: shop}, {name: ops}]\n"
                           "topics: [{name: orders}, {name: audit}, {name: spare}]\n"
                           "services:\n"
                           "  - {name: a, namespace: shop, produces: [orders, audit]}\n"
                           "  - {name: b, namespace: shop, consumes: ['ord*']}\n"
                           "  - {name: admin, namespace: ops}\n";
        // audit: written, never read; spare: neither.
        CHECK(review_of(text, 5, true) ==
              std::vector<std::string>{"KM458@8:33", "KM457@8:48", "KM458@8:48"});
        // A super user changes nothing (the same findings, one line lower): it bypasses ACLs.
        std::string with_admin = text;
        with_admin.replace(0, km::test::header().size(),
                           km::test::header("  superUsers: [ops/admin]\n"));
        CHECK(review_of(with_admin, 5, true) ==
              std::vector<std::string>{"KM458@9:33", "KM457@9:48", "KM458@9:48"});
        // A deny takes a reader away again.
        CHECK(review_of(km::test::header() +
                            "namespaces: [{name: shop}]\n"
                            "topics: [{name: orders}]\n"
                            "roles: [{name: r, grants: [{topics: [orders], operations: [Read], "
                            "effect: deny}]}]\n"
                            "services:\n"
                            "  - {name: a, namespace: shop, produces: [orders]}\n"
                            "  - {name: b, namespace: shop, consumes: ['ord*'], roles: [r]}\n",
                        5, true) == std::vector<std::string>{"KM458@8:17"});
    }
    TEST_CASE("KM459: a prefix grant covers a topic another identity is denied") {
        std::string roles =
            "roles:\n"
            "  - {name: pii, grants: [{topics: [orders.eu], operations: [Read], effect: deny}]}\n";
        std::string denied =
            "  - {name: a, namespace: shop, consumes: ['orders*'], roles: [pii]}\n";
        CHECK(review_of(shop(denied + "  - {name: b, namespace: shop, consumes: ['orders.*']}\n",
                             roles)) == std::vector<std::string>{"KM459@13:43"});
        // By name, not a prefix: the grant is deliberate.
        CHECK(review_of(
                  shop(denied + "  - {name: b, namespace: shop, consumes: [orders.eu]}\n", roles))
                  .empty());
        // The holder is denied the topic as well: the prefix gives it nothing there.
        CHECK(review_of(shop(denied + "  - {name: b, namespace: shop, consumes: ['orders.*'], "
                                      "roles: [pii]}\n",
                             roles))
                  .empty());
        // A deny of Write does not make a Read grant a risk.
        std::string write_deny =
            "roles:\n"
            "  - {name: pii, grants: [{topics: [orders.eu], operations: [Write], effect: "
            "deny}]}\n";
        CHECK(review_of(shop(denied + "  - {name: b, namespace: shop, consumes: ['orders.*']}\n",
                             write_deny))
                  .empty());
        // The denied identity's own prefix is not reported against itself.
        CHECK(review_of(shop(denied, roles)).empty());
    }
}
