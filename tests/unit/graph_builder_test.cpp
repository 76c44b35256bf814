#include <doctest/doctest.h>

#include "graph/access_graph.h"
#include "test_support.h"

namespace {

/// The graph dump of a topology that must be valid (errors fail the test).
std::string graph_of(const std::string& text) {
    km::test::ScratchDir dir({{"input.yaml", text}});
    km::Session session;
    auto front = km::run_front_end({dir.path("input.yaml")}, session);
    REQUIRE(front.has_value());
    return km::graph::dump(front->graph);
}

std::string shop(const std::string& services, const std::string& extra = "") {
    return km::test::header() +
           "namespaces: [{name: shop}]\n"
           "topics: [{name: orders}, {name: payments}, {name: audit.log}, {name: audit.trail}]\n" +
           extra + "services:\n" + services;
}

}  // namespace

TEST_SUITE("graph") {
    TEST_CASE("graph_builder") {
        SUBCASE("the worked example of acl-recipes.md") {
            CHECK(graph_of(shop("  - {name: checkout, namespace: shop, produces: [orders], "
                                "consumes: [payments]}\n")) ==
                  "shop/checkout user=shop-checkout principal=User:shop-checkout "
                  "mesh=cluster.local/ns/shop/sa/checkout\n"
                  "  group literal checkout allow Read\n"
                  "  topic literal orders allow Describe\n"
                  "  topic literal orders allow Write\n"
                  "  topic literal payments allow Describe\n"
                  "  topic literal payments allow Read\n");
        }
        SUBCASE("app: prefixed topics, groups and transactional ids") {
            CHECK(graph_of(shop("  - {name: a, namespace: shop, produces: ['audit.*'], "
                                "transactionalId: 'a-*',\n"
                                "     consumes: [{topic: orders, group: 'a-*'}]}\n")) ==
                  "shop/a user=shop-a principal=User:shop-a mesh=cluster.local/ns/shop/sa/a\n"
                  "  group prefix a- allow Read\n"
                  "  topic literal orders allow Describe\n"
                  "  topic literal orders allow Read\n"
                  "  topic prefix audit. allow Describe\n"
                  "  topic prefix audit. allow Write\n"
                  "  transactionalId prefix a- allow Describe\n"
                  "  transactionalId prefix a- allow Write\n");
        }
        SUBCASE("streams: internal topics under A- with the dash, group A, EOS transactional ids") {
            CHECK(graph_of(shop("  - {name: s, namespace: shop, kind: streams, applicationId: "
                                "totals, exactlyOnce: true,\n"
                                "     consumes: [orders]}\n")) ==
                  "shop/s user=shop-s principal=User:shop-s mesh=cluster.local/ns/shop/sa/s\n"
                  "  group literal totals allow Read\n"
                  "  topic literal orders allow Describe\n"
                  "  topic literal orders allow Read\n"
                  "  topic prefix totals- allow Create\n"
                  "  topic prefix totals- allow Delete\n"
                  "  topic prefix totals- allow Describe\n"
                  "  topic prefix totals- allow DescribeConfigs\n"
                  "  topic prefix totals- allow Read\n"
                  "  topic prefix totals- allow Write\n"
                  "  transactionalId prefix totals- allow Describe\n"
                  "  transactionalId prefix totals- allow Write\n");
        }
        SUBCASE("connect: worker group, storage topics and connector groups") {
            std::string g =
                graph_of(shop("  - name: c\n    namespace: shop\n    kind: connect\n"
                              "    connect: {groupId: lake, connectors: [{name: sink, consumes: "
                              "[orders]}, {name: src, produces: "
                              "[payments]}]}\n"));
            CHECK(g.find("  group literal lake allow Read\n") != std::string::npos);
            CHECK(g.find("  group literal connect-sink allow Read\n") != std::string::npos);
            CHECK(g.find("connect-src") == std::string::npos);
            for (const char* topic : {"lake-configs", "lake-offsets", "lake-status"}) {
                for (const char* op : {"Create", "Describe", "DescribeConfigs", "Read", "Write"}) {
                    CHECK(g.find(std::string("  topic literal ") + topic + " allow " + op + "\n") !=
                          std::string::npos);
                }
            }
            CHECK(g.find("  topic literal payments allow Write\n") != std::string::npos);
            CHECK(g.find("  topic literal orders allow Read\n") != std::string::npos);
        }
        SUBCASE("services sharing an account are one identity with the union of grants") {
            std::string g = graph_of(
                shop("  - {name: a, namespace: shop, serviceAccount: s, produces: [orders]}\n"
                     "  - {name: b, namespace: shop, serviceAccount: s, produces: [orders, "
                     "payments]}\n"));
            CHECK(g ==
                  "shop/s user=shop-s principal=User:shop-s mesh=cluster.local/ns/shop/sa/s\n"
                  "  topic literal orders allow Describe\n"
                  "  topic literal orders allow Write\n"
                  "  topic literal payments allow Describe\n"
                  "  topic literal payments allow Write\n");
        }
        SUBCASE("roles add grants as written, deny included") {
            std::string roles =
                "roles:\n  - name: r\n    grants:\n"
                "      - {cluster: true, operations: [DescribeConfigs]}\n"
                "      - {topics: [payments], operations: [Write], effect: deny}\n";
            CHECK(graph_of(shop("  - {name: a, namespace: shop, roles: [r]}\n", roles)) ==
                  "shop/a user=shop-a principal=User:shop-a mesh=cluster.local/ns/shop/sa/a\n"
                  "  cluster literal kafka-cluster allow DescribeConfigs\n"
                  "  topic literal payments deny Write\n");
        }
        SUBCASE("tls principals carry CN=, mesh principals are namespace-serviceAccount") {
            std::string tls =
                shop("  - {name: a, namespace: shop, user: alice, produces: [orders]}\n");
            tls.insert(tls.find("namespaces:"), "  authentication: tls\n");
            CHECK(graph_of(tls).find("principal=User:CN=alice") != std::string::npos);
        }
        SUBCASE("identities built on two cores report in identity order") {
            // Half the identities are built on a second thread: their KM316 warnings (each at
            // its own role's grant, the roles declared in reverse) still come in identity
            // order, a's first, as one thread reports them.
            std::string roles = "roles:\n";
            std::string services;
            for (const char* name : {"e", "d", "c", "b", "a"}) {
                roles += std::string("  - {name: r") + name +
                         ", grants: [{topics: [orders], operations: [Write], effect: deny}]}\n";
                services = std::string("  - {name: ") + name +
                           ", namespace: shop, produces: [orders], roles: [r" + name + "]}\n" +
                           services;
            }
            km::test::ScratchDir dir({{"input.yaml", shop(services, roles)}});
            km::Session session;
            REQUIRE(km::run_front_end({dir.path("input.yaml")}, session).has_value());
            std::vector<std::string> raw;
            for (const km::diag::Diagnostic& d : session.sink.raw()) {
                raw.push_back(std::string(km::diag::code_string(d.code)) + "@" +
                              std::to_string(d.location.line));
            }
            CHECK(raw == std::vector<std::string>{"KM316@14", "KM316@13", "KM316@12", "KM316@11",
                                                  "KM316@10"});
        }
        SUBCASE("a deny that cancels an allow is a KM316 warning") {
            std::string roles =
                "roles: [{name: r, grants: [{topics: [orders], operations: [Write], effect: "
                "deny}]}]\n";
            auto codes = km::test::diagnostics_of(
                shop("  - {name: a, namespace: shop, produces: [orders], roles: [r]}\n", roles));
            CHECK(codes == std::vector<std::string>{"KM316@9:60"});
        }
        SUBCASE("sources dropped: the same entries, none with a source, KM316 still quoted") {
            std::string roles =
                "roles: [{name: r, grants: [{topics: [orders], operations: [Write], effect: "
                "deny}]}]\n";
            km::test::ScratchDir dir(
                {{"input.yaml", shop("  - {name: a, namespace: shop, produces: [orders], "
                                     "consumes: [payments], roles: [r]}\n",
                                     roles)}});
            std::vector<km::graph::AccessGraph> graphs;
            std::vector<std::string> notes;
            for (km::graph::Sources sources :
                 {km::graph::Sources::kept, km::graph::Sources::dropped}) {
                km::Session session;
                session.entry_sources = sources;
                auto front = km::run_front_end({dir.path("input.yaml")}, session);
                REQUIRE(front.has_value());
                REQUIRE(session.sink.raw().size() == 1);
                const km::diag::Diagnostic& warning = session.sink.raw().front();
                REQUIRE(warning.notes.size() == 1);
                notes.push_back(warning.notes.front().message);
                graphs.push_back(std::move(front->graph));
            }
            CHECK(km::graph::dump(graphs[0]) == km::graph::dump(graphs[1]));
            CHECK(notes[0] == "the allow comes from produces of 'a'");
            CHECK(notes[1] == notes[0]);
            std::size_t kept = 0;
            std::size_t dropped = 0;
            for (const km::graph::AclEntry& e : graphs[0].identities.front().acls) {
                kept += e.sources.size();
            }
            for (const km::graph::AclEntry& e : graphs[1].identities.front().acls) {
                dropped += e.sources.size();
            }
            CHECK(kept == graphs[0].identities.front().acls.size());
            CHECK(dropped == 0);
        }
    }
}
