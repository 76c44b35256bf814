// The semantic diff: X against X is empty, each risk flag fires on its change, a widening planted
// in a 1,000-service topology is the one thing reported, and --git reads the base from git.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>
#include <memory>

#include "../bench/topology_generator.h"
#include "diff/diff_render.h"
#include "diff/semantic_diff.h"
#include "source/git_reader.h"
#include "test_support.h"
#include "util/process.h"

namespace {

struct Loaded {
    km::Session session;
    std::optional<km::FrontEnd> front;
};

std::unique_ptr<Loaded> load(const std::string& text, const std::string& name) {
    km::test::ScratchDir dir(std::map<std::string, std::string>{{name, text}});
    auto out = std::make_unique<Loaded>();
    out->front = km::run_front_end({dir.path(name)}, out->session);
    REQUIRE(out->front.has_value());
    return out;
}

km::diff::DiffReport diff_texts(const std::string& base, const std::string& head) {
    auto b = load(base, "base.yaml");
    auto h = load(head, "head.yaml");
    km::diff::DiffSide bs{"base", b->front->topology, b->front->graph, b->session.sources, {}};
    km::diff::DiffSide hs{"head", h->front->topology, h->front->graph, h->session.sources, {}};
    return km::diff::diff_topologies(bs, hs);
}

/// Flags as "KM601@line:col" strings, in report order.
std::vector<std::string> flags_of(const km::diff::DiffReport& r) {
    std::vector<std::string> out;
    for (const auto& f : r.flags) {
        out.push_back(
            fmt::format("{}@{}:{}", km::diag::code_string(f.code), f.place.line, f.place.column));
    }
    return out;
}

std::string shop(const std::string& services, const std::string& extra = "",
                 const std::string& kafka = "") {
    return km::test::header(kafka) +
           "namespaces: [{name: shop}, {name: ops, defaultDeny: true}]\n"
           "topics: [{name: orders, partitions: 6, replicas: 3}, {name: payments}, "
           "{name: audit.log}]\n" +
           extra + "services:\n" + services;
}

const std::string k_checkout =
    "  - {name: checkout, namespace: shop, produces: [orders], consumes: [payments]}\n";

}  // namespace

TEST_SUITE("diff") {
    TEST_CASE("diff of a topology with itself is empty") {
        for (const std::string example : {"consol-istio-tutorial/topology.yaml", "multi-team"}) {
            CAPTURE(example);
            std::string path = KAFKAMESH_SOURCE_DIR "/examples/" + example;
            km::Session a;
            km::Session b;
            auto fa = km::run_front_end({path}, a);
            auto fb = km::run_front_end({path}, b);
            REQUIRE(fa.has_value());
            REQUIRE(fb.has_value());
            km::diff::DiffReport r =
                km::diff::diff_topologies({"a", fa->topology, fa->graph, a.sources, {}},
                                          {"b", fb->topology, fb->graph, b.sources, {}});
            CHECK_FALSE(r.changed());
            CHECK(km::diff::render_text(r, false).empty());
            CHECK(km::diff::render_markdown(r).empty());
        }
    }

    TEST_CASE("each risk flag fires on its change") {
        std::string base = shop(k_checkout);
        SUBCASE("KM601: a new consume widens access") {
            auto r = diff_texts(base, shop("  - {name: checkout, namespace: shop, produces: "
                                           "[orders], consumes: [payments, audit.log]}\n"));
            CHECK(flags_of(r) == std::vector<std::string>{"KM601@10:80"});
            REQUIRE(r.identities.size() == 1);
            CHECK(r.identities[0].gained.size() == 2);
            CHECK(r.widening());
        }
        SUBCASE("narrowing is not a widening") {
            auto r = diff_texts(base, shop("  - {name: checkout, namespace: shop, produces: "
                                           "[orders]}\n"));
            CHECK(flags_of(r).empty());
            CHECK(r.changed());
            CHECK_FALSE(r.widening());
        }
        SUBCASE("KM602: a new prefix grant lists the topics it covers") {
            auto r = diff_texts(base, shop("  - {name: checkout, namespace: shop, produces: "
                                           "[orders], consumes: [payments, 'audit.*']}\n"));
            CHECK(flags_of(r) == std::vector<std::string>{"KM601@10:80", "KM602@10:80"});
            REQUIRE(r.identities.size() == 1);
            bool listed = false;
            for (const auto& g : r.identities[0].gained) {
                listed = listed || g.covers == std::vector<std::string>{"audit.log"};
            }
            CHECK(listed);
        }
        SUBCASE("KM603: Write on a topic another namespace produces") {
            auto r = diff_texts(base + "  - {name: audit, namespace: ops}\n",
                                base + "  - {name: audit, namespace: ops, produces: [orders]}\n");
            CHECK(flags_of(r) == std::vector<std::string>{"KM601@11:46", "KM603@11:46"});
        }
        SUBCASE("KM604: a removed deny") {
            std::string roles =
                "roles:\n  - name: r\n    grants:\n      - {topics: ['audit.*'], operations: "
                "[Read]}\n      - {topics: [audit.log], operations: [Read], effect: deny}\n";
            std::string roles_after =
                "roles:\n  - name: r\n    grants:\n      - {topics: ['audit.*'], operations: "
                "[Read]}\n";
            std::string svc = "  - {name: checkout, namespace: shop, roles: [r]}\n";
            auto r = diff_texts(shop(svc, roles), shop(svc, roles_after));
            CHECK(flags_of(r) == std::vector<std::string>{"KM601@14:12", "KM604@13:44"});
        }
        SUBCASE("KM605: super users change") {
            auto r = diff_texts(base, shop(k_checkout, "", "  superUsers: [shop/checkout]\n"));
            std::vector<std::string> f = flags_of(r);
            CHECK(f == std::vector<std::string>{"KM601@11:12", "KM605@7:16"});
        }
        SUBCASE("KM606: fewer partitions") {
            std::string head = base;
            head.replace(head.find("partitions: 6"), 13, "partitions: 3");
            CHECK(flags_of(diff_texts(base, head)) == std::vector<std::string>{"KM606@8:37"});
        }
        SUBCASE("KM607: fewer nodes than a topic's replicas") {
            std::string head = shop(k_checkout, "", "  nodes: 2\n");
            head.replace(head.find("replicas: 3"), 11, "replicas: 2");
            CHECK(flags_of(diff_texts(base, head)) == std::vector<std::string>{"KM607@7:10"});
        }
        SUBCASE("KM608: mTLS relaxed") {
            auto r = diff_texts(base, shop(k_checkout, "mesh: {mtls: permissive}\n"));
            CHECK(flags_of(r) == std::vector<std::string>{"KM608@9:7"});
        }
        SUBCASE("KM609: default deny removed, mesh-wide and per namespace") {
            std::string head = shop(k_checkout, "mesh: {defaultDeny: false}\n");
            head.replace(head.find("defaultDeny: true"), 17, "defaultDeny: false");
            CHECK(flags_of(diff_texts(base, head)) ==
                  std::vector<std::string>{"KM609@9:7", "KM609@7:28"});
        }
    }

    TEST_CASE("a widening planted in 1,000 services is the one thing flagged") {
        km::bench::GeneratorOptions options;
        options.services = 1000;
        std::string base = km::bench::generate_topology(options);
        options.plant_widening = true;
        std::string head = km::bench::generate_topology(options);
        auto r = diff_texts(base, head);
        REQUIRE(r.flags.size() == 1);
        CHECK(r.flags[0].code == km::diag::Code::KM601);
        CHECK(r.flags[0].subject == km::bench::service_key(options, 0));
        REQUIRE(r.identities.size() == 1);
        CHECK(r.identities[0].key == km::bench::service_key(options, 0));
        REQUIRE(r.identities[0].gained.size() == 2);
        for (const auto& g : r.identities[0].gained) {
            CHECK(g.name == km::bench::topic_name(500));
        }
        CHECK(r.identities[0].lost.empty());
        CHECK(r.topics.empty());
        CHECK(r.settings.empty());
        options.plant_widening = false;
        CHECK_FALSE(diff_texts(base, km::bench::generate_topology(options)).changed());
    }

    TEST_CASE("--git takes the base from a revision of the same paths") {
        km::test::ScratchDir dir({{"topology/shop.yaml", shop(k_checkout)}});
        auto git = [&](std::vector<std::string> args) {
            std::vector<std::string> argv{"git",
                                          "-C",
                                          dir.path(),
                                          "-c",
                                          "user.name=test",
                                          "-c",
                                          "user.email=test@example.com"};
            argv.insert(argv.end(), args.begin(), args.end());
            return km::util::run_process(argv).exit_code;
        };
        REQUIRE(git({"init", "-q"}) == 0);
        REQUIRE(git({"add", "."}) == 0);
        REQUIRE(git({"commit", "-q", "-m", "base"}) == 0);
        dir.write("topology/shop.yaml",
                  shop("  - {name: checkout, namespace: shop, produces: [orders], consumes: "
                       "[payments, audit.log]}\n"));
        for (const std::string& path : {dir.path("topology"), dir.path("topology/shop.yaml")}) {
            CAPTURE(path);
            km::util::ProcessResult r =
                km::util::run_process({KAFKAMESH_BINARY, "diff", "--git", "HEAD", path, "--format",
                                       "json", "--fail-on", "widening"});
            CHECK(r.exit_code == 1);
            CHECK(r.output.find("\"code\": \"KM601\"") != std::string::npos);
            CHECK(r.output.find("\"HEAD:" + path) != std::string::npos);
        }
        km::util::ProcessResult same = km::util::run_process(
            {KAFKAMESH_BINARY, "diff", "--git", "HEAD~0", dir.path("topology"), "--exit-code"});
        CHECK(same.exit_code == 1);
        REQUIRE(git({"commit", "-q", "-a", "-m", "head"}) == 0);
        km::util::ProcessResult clean = km::util::run_process(
            {KAFKAMESH_BINARY, "diff", "--git", "HEAD", dir.path("topology"), "--exit-code"});
        CHECK(clean.exit_code == 0);
        CHECK(clean.output.empty());
        km::util::ProcessResult missing = km::util::run_process(
            {KAFKAMESH_BINARY, "diff", "--git", "no-such-revision", dir.path("topology")});
        CHECK(missing.exit_code == 3);
        // The revision that does not exist is named as such, with git's own words.
        km::source::SourceManager sources;
        km::diag::DiagnosticSink sink;
        km::source::read_git_inputs("no-such-revision", {dir.path("topology")}, sources, sink);
        std::vector<km::diag::Diagnostic> found = sink.sorted();
        REQUIRE(found.size() == 1);
        CHECK(found[0].message.find(": fatal: ") != std::string::npos);
        REQUIRE(found[0].notes.size() == 1);
        CHECK(found[0].notes[0].message.find("'no-such-revision' does not exist") !=
              std::string::npos);
    }
}
