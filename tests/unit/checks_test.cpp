#include <doctest/doctest.h>

#include "test_support.h"

using km::test::diagnostics_of;
using km::test::header;
using Codes = std::vector<std::string>;

namespace {

std::string shop(const std::string& services, const std::string& rest = "") {
    return header() +
           "namespaces: [{name: shop}]\n"
           "topics: [{name: orders}, {name: payments}, {name: audit.log}]\n"
           "services:\n" +
           services + rest;
}

}  // namespace

TEST_SUITE("check") {
    TEST_CASE("check_references") {
        SUBCASE("unknown topic is KM301 at the reference") {
            CHECK(diagnostics_of(shop("  - {name: c, namespace: shop, produces: [ordrs]}\n")) ==
                  Codes{"KM301@10:43"});
        }
        SUBCASE("a prefix covering nothing is a KM309 warning; one covering a topic is clean") {
            CHECK(diagnostics_of(shop("  - {name: c, namespace: shop, consumes: [billing.*]}\n")) ==
                  Codes{"KM309@10:43"});
            CHECK(diagnostics_of(shop("  - {name: c, namespace: shop, consumes: [audit.*]}\n")) ==
                  Codes{});
        }
        SUBCASE("a bare star is a KM310 warning") {
            CHECK(diagnostics_of(shop("  - {name: c, namespace: shop, consumes: ['*']}\n")) ==
                  Codes{"KM310@10:43"});
        }
        SUBCASE("a star in the middle is KM308") {
            CHECK(diagnostics_of(shop("  - {name: c, namespace: shop, produces: ['or*ers']}\n")) ==
                  Codes{"KM308@10:43"});
            CHECK(diagnostics_of(shop("  - {name: c, namespace: shop, consumes: [{topic: orders, "
                                      "group: 'a*b'}]}\n")) == Codes{"KM308@10:66"});
        }
        SUBCASE("unknown role is KM304; unknown super user is KM305") {
            CHECK(diagnostics_of(shop("  - {name: c, namespace: shop, roles: [auditor]}\n")) ==
                  Codes{"KM304@10:40"});
            std::string text = shop("  - {name: c, namespace: shop, produces: [orders]}\n");
            text.insert(text.find("namespaces:"), "  superUsers: [shop/admin]\n");
            CHECK(diagnostics_of(text) == Codes{"KM305@7:16"});
        }
    }

    TEST_CASE("check_names") {
        SUBCASE("a topic declared twice is KM302 at the second") {
            CHECK(diagnostics_of(header() + "topics: [{name: a}, {name: a}]\n") ==
                  Codes{"KM302@7:28"});
        }
        SUBCASE("a service in an undeclared namespace is KM303") {
            CHECK(diagnostics_of(shop("  - {name: c, namespace: shp, produces: [orders]}\n")) ==
                  Codes{"KM303@10:26"});
        }
        SUBCASE("the Kafka namespace need not be declared") {
            CHECK(diagnostics_of(header() + "services: [{name: c, namespace: kafka}]\n") ==
                  Codes{});
        }
        SUBCASE("a label kafkamesh owns is KM322") {
            CHECK(
                diagnostics_of(header() +
                               "namespaces: [{name: a, labels: {istio-injection: disabled}}]\n") ==
                Codes{"KM322@7:33"});
        }
    }

    TEST_CASE("check_topology runs its checks on two cores and reports as one thread would") {
        // The name checks run beside the others; their findings come first, as they did when
        // every check ran in turn, whatever thread finishes first. KM302 (a name check) is
        // reported before KM301 (a reference check) although it is further down the file.
        km::test::ScratchDir dir(
            {{"input.yaml", header() + "namespaces: [{name: shop}]\n"
                                       "services: [{name: c, namespace: shop, produces: [ordrs]}]\n"
                                       "topics: [{name: orders}, {name: orders}]\n"}});
        km::Session session;
        CHECK_FALSE(km::run_front_end({dir.path("input.yaml")}, session).has_value());
        Codes raw;
        for (const km::diag::Diagnostic& d : session.sink.raw()) {
            raw.push_back(std::string(km::diag::code_string(d.code)) + "@" +
                          std::to_string(d.location.line));
        }
        CHECK(raw == Codes{"KM302@9", "KM301@8"});
    }

    TEST_CASE("check_operations") {
        SUBCASE("an operation invalid for the resource is KM307") {
            CHECK(diagnostics_of(
                      header() +
                      "roles: [{name: r, grants: [{groups: [g], operations: [Write]}]}]\n") ==
                  Codes{"KM307@7:55"});
            CHECK(diagnostics_of(header() + "roles: [{name: r, grants: [{transactionalIds: [t], "
                                            "operations: [Read]}]}]\n") == Codes{"KM307@7:65"});
            CHECK(diagnostics_of(header() + "roles: [{name: r, grants: [{cluster: true, "
                                            "operations: [IdempotentWrite]}]}]\n") == Codes{});
        }
        SUBCASE("an unknown operation is KM204") {
            CHECK(diagnostics_of(
                      header() +
                      "roles: [{name: r, grants: [{cluster: true, operations: [Raed]}]}]\n") ==
                  Codes{"KM204@7:57"});
        }
    }

    TEST_CASE("check_identities") {
        SUBCASE("two identities with one user is KM306") {
            CHECK(diagnostics_of(
                      shop("  - {name: a, namespace: shop, user: u, produces: [orders]}\n"
                           "  - {name: b, namespace: shop, user: u, produces: [orders]}\n")) ==
                  Codes{"KM306@11:38"});
        }
        SUBCASE("default users can collide too: shop-a-b from shop/a-b and shop-a/b") {
            std::string text = header() +
                               "namespaces: [{name: shop}, {name: shop-a}]\n"
                               "topics: [{name: t}]\n"
                               "services:\n"
                               "  - {name: a-b, namespace: shop, produces: [t]}\n"
                               "  - {name: b, namespace: shop-a, produces: [t]}\n";
            CHECK(diagnostics_of(text) == Codes{"KM306@11:12"});
        }
        SUBCASE("a user over 64 characters is KM315") {
            CHECK(diagnostics_of(shop("  - {name: a, namespace: shop, user: " +
                                      std::string(65, 'u') + "}\n")) == Codes{"KM315@10:38"});
        }
        SUBCASE("services sharing an account but naming other users is KM321") {
            CHECK(diagnostics_of(
                      shop("  - {name: a, namespace: shop, serviceAccount: s, user: u1}\n"
                           "  - {name: b, namespace: shop, serviceAccount: s, user: u2}\n")) ==
                  Codes{"KM321@11:57"});
        }
    }

    TEST_CASE("check_service_kinds") {
        SUBCASE("a field of another kind is KM318") {
            CHECK(diagnostics_of(shop("  - {name: a, namespace: shop, applicationId: x}\n")) ==
                  Codes{"KM318@10:47"});
            CHECK(diagnostics_of(shop(
                      "  - {name: a, namespace: shop, kind: streams, transactionalId: x}\n")) ==
                  Codes{"KM318@10:64"});
        }
    }

    TEST_CASE("check_cluster") {
        SUBCASE("replicas above the node count is KM311") {
            CHECK(diagnostics_of(header("  nodes: 1\n") + "topics: [{name: t, replicas: 2}]\n") ==
                  Codes{"KM311@8:30"});
        }
        SUBCASE("reserved broker config is KM314") {
            CHECK(diagnostics_of(header("  config: {allow.everyone.if.no.acl.found: true}\n")) ==
                  Codes{"KM314@7:12"});
            CHECK(diagnostics_of(header("  config: {listener.name.plain.x: y}\n")) ==
                  Codes{"KM314@7:12"});
            CHECK(diagnostics_of(header(
                      "  config: {ssl.cipher.suites: x, log.retention.hours: 1}\n")) == Codes{});
        }
        SUBCASE("a Kafka version Strimzi 1.2 does not run is KM317") {
            CHECK(diagnostics_of(header("  version: \"3.9.0\"\n")) == Codes{"KM317@7:12"});
        }
        SUBCASE("a section for the other distribution is KM319") {
            CHECK(diagnostics_of(header("  bitnami: {release: k}\n")) == Codes{"KM319@7:3"});
        }
        SUBCASE("a port Strimzi reserves is KM320") {
            CHECK(diagnostics_of(header("  listenerPort: 9091\n")) == Codes{"KM320@7:17"});
        }
        SUBCASE("mesh authentication without an identity filter is KM323") {
            CHECK(diagnostics_of(header("  authentication: mesh\n"
                                        "  config: {principal.builder.class: x.MeshBuilder}\n")) ==
                  Codes{"KM323@7:19"});
        }
        SUBCASE("mesh authentication without a principal builder is KM350") {
            CHECK(diagnostics_of(header("  authentication: mesh\n")) ==
                  Codes{"KM323@7:19", "KM350@7:19"});
        }
    }

    TEST_CASE("adoption") {
        SUBCASE("a namespace Kubernetes owns is KM334, once, where it is first written") {
            CHECK(
                diagnostics_of(
                    shop("  - {name: c, namespace: kube-system, produces: [orders]}\n"
                         "  - {name: d, namespace: kube-system, produces: [orders]}\n"
                         "  - {name: e, namespace: kube-public, produces: [orders]}\n")) ==
                (Codes{"KM303@10:26", "KM334@10:26", "KM303@11:26", "KM303@12:26", "KM334@12:26"}));
            std::string kafka_ns = shop("  - {name: c, namespace: shop, produces: [orders]}\n");
            kafka_ns.replace(kafka_ns.find("namespace: kafka"), 16, "namespace: kube-node-lease");
            CHECK(diagnostics_of(kafka_ns) == Codes{"KM334@6:14"});
        }
        SUBCASE("import's placeholder namespace is a KM335 warning") {
            CHECK(diagnostics_of(
                      shop("  - {name: c, namespace: replace-me, produces: [orders]}\n")) ==
                  (Codes{"KM303@10:26", "KM335@10:26"}));
        }
        SUBCASE("an ignoredUsers pattern Java cannot compile is KM508; a sound one is clean") {
            auto with = [](const std::string& pattern) {
                return diagnostics_of(header(
                    "  distribution: bitnami\n  bitnami:\n    ignoredUsers: '" + pattern + "'\n"));
            };
            for (const char* bad :
                 {"legacy-(a|b", "a)", "*x", "a{x}", "[ab", "(?y)a", "a\\", "\\i", "a|+b", "{2}"}) {
                CAPTURE(bad);
                CHECK(with(bad) == Codes{"KM508@9:19"});
            }
            for (const char* good : {"legacy-(a|b)", "(?i)ops\\..*", "a{2,}b?+", "[]a-z]+",
                                     "\\Q(\\E.*", "(?<name>x)|y*?", "svc-[0-9]{1,3}"}) {
                CAPTURE(good);
                CHECK(with(good) == Codes{});
            }
        }
        SUBCASE("an adopted Bitnami release without admin or ignoredUsers is a KM507 warning") {
            CHECK(diagnostics_of(header("  distribution: bitnami\n  managed: false\n"
                                        "  bitnami: {release: events}\n")) == Codes{"KM507@9:3"});
            CHECK(diagnostics_of(header("  distribution: bitnami\n  managed: false\n"
                                        "  bitnami: {release: events, ignoredUsers: 'x-.*',\n"
                                        "    admin: {user: ops}}\n")) == Codes{});
        }
        SUBCASE("a service's own tls authentication is KM503 on Bitnami") {
            CHECK(diagnostics_of(header("  distribution: bitnami\n") +
                                 "namespaces: [{name: shop}]\ntopics: [{name: orders}]\n"
                                 "services:\n  - {name: c, namespace: shop, authentication: tls, "
                                 "produces: [orders]}\n") == Codes{"KM503@11:48"});
        }
    }
}
