// plan and apply without a cluster: the change computed from a given cluster state, the
// --command-config translation, the service-account token, and the plan's output.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>

#include "admin/command_config.h"
#include "admin/desired_state.h"
#include "admin/oauth_token.h"
#include "admin/plan_report.h"
#include "admin/reconcile.h"
#include "diff/diff_render.h"
#include "test_support.h"

namespace {

using km::admin::AclBinding;
using km::admin::ClusterState;
using km::admin::TopicState;
using km::model::Effect;
using km::model::Operation;
using km::model::PatternType;
using km::model::ResourceType;

/// The front end on one in-memory topology file.
struct Loaded {
    km::Session session;
    std::optional<km::FrontEnd> front;
    km::admin::DesiredState want;

    explicit Loaded(const std::string& text) {
        std::uint32_t file = session.sources.add("topology.yaml", text);
        front = km::run_front_end_on({file}, session);
        REQUIRE(front);
        want = km::admin::desired_state(front->topology, front->graph);
    }
};

const std::string k_topology = km::test::header(
                                   "  ownership: {principals: [\"User:shop-*\"], topics: "
                                   "[\"shop.*\"]}\n") +
                               "namespaces: [{name: shop}, {name: ops}]\n"
                               "topics:\n"
                               "  - {name: shop.orders, partitions: 6, config: {retention.ms: "
                               "3600000}}\n"
                               "  - {name: shop.payments, partitions: 3}\n"
                               "  - {name: partner.feed, external: true}\n"
                               "services:\n"
                               "  - {name: checkout, namespace: shop, produces: [shop.orders], "
                               "consumes: [shop.payments, partner.feed]}\n"
                               "  - {name: admin, namespace: ops}\n";

AclBinding binding(const std::string& principal, ResourceType type, const std::string& name,
                   Operation op, Effect effect = Effect::allow,
                   PatternType pattern = PatternType::literal) {
    AclBinding b;
    b.principal = principal;
    b.acl.type = type;
    b.acl.pattern = pattern;
    b.acl.name = name;
    b.acl.effect = effect;
    b.acl.operation = op;
    return b;
}

std::vector<std::string> texts(const std::vector<AclBinding>& bindings) {
    std::vector<std::string> out;
    for (const AclBinding& b : bindings) {
        out.push_back(km::admin::binding_text(b));
    }
    return out;
}

/// What the reader would keep of `all`: the owned principals' ACLs, sorted.
ClusterState cluster(const km::admin::DesiredState& want, std::vector<AclBinding> all,
                     std::map<std::string, TopicState> topics) {
    ClusterState s;
    for (AclBinding& b : all) {
        if (want.ownership.owns_principal(b.principal)) {
            s.acls.push_back(std::move(b));
        } else {
            ++s.foreign_acls;
        }
    }
    std::sort(s.acls.begin(), s.acls.end());
    for (auto& [name, t] : topics) {
        if (want.ownership.owns_topic(name)) {
            s.topics.emplace(name, std::move(t));
        }
    }
    return s;
}

TopicState topic(int partitions, int replicas, std::map<std::string, std::string> config = {}) {
    TopicState t;
    t.partitions = partitions;
    t.replicas = replicas;
    t.dynamic_config = std::move(config);
    return t;
}

}  // namespace

TEST_CASE("admin::compute_plan") {
    Loaded l(k_topology);
    const std::string checkout = "User:shop-checkout";
    SUBCASE(
        "the desired state is the identities' bindings, external topics neither created nor "
        "owned") {
        CHECK(l.want.principals.at(checkout).acls.size() == 7);
        CHECK(l.want.topics.count("partner.feed") == 0);
        CHECK_FALSE(l.want.ownership.owns_topic("partner.feed"));
        CHECK(l.want.ownership.owns_principal("User:shop-legacy"));
        CHECK_FALSE(l.want.ownership.owns_principal("User:other-team"));
    }
    ClusterState have =
        cluster(l.want,
                {binding(checkout, ResourceType::topic, "shop.orders", Operation::Write),
                 binding(checkout, ResourceType::topic, "shop.legacy", Operation::Read),
                 binding("User:shop-legacy", ResourceType::topic, "shop.", Operation::Write,
                         Effect::deny, PatternType::prefix),
                 binding("User:other-team", ResourceType::topic, "shop.orders", Operation::Read)},
                {{"shop.orders",
                  topic(3, 1, {{"retention.ms", "86400000"}, {"max.message.bytes", "2000"}})},
                 {"shop.legacy", topic(1, 1)},
                 {"other.events", topic(2, 1)},
                 {"__consumer_offsets", topic(50, 1)}});
    SUBCASE(
        "missing ACLs are created, stale ones of owned principals deleted, foreign ones "
        "untouched") {
        km::admin::Plan plan = km::admin::compute_plan(l.want, have, {});
        std::vector<std::string> created = texts(plan.create_acls);
        CHECK(created.size() == 6);
        CHECK(std::find(created.begin(), created.end(),
                        "User:shop-checkout topic literal shop.orders Write allow") ==
              created.end());
        CHECK(std::find(created.begin(), created.end(),
                        "User:shop-checkout topic literal partner.feed Read allow") !=
              created.end());
        CHECK(texts(plan.delete_acls) ==
              std::vector<std::string>{"User:shop-checkout topic literal shop.legacy Read allow",
                                       "User:shop-legacy topic prefix shop. Write deny"});
        CHECK(have.foreign_acls == 1);
    }
    SUBCASE("a missing topic is created, partitions increased, configs merged over the held ones") {
        km::admin::Plan plan = km::admin::compute_plan(l.want, have, {});
        REQUIRE(plan.create_topics.size() == 1);
        CHECK(plan.create_topics[0].name == "shop.payments");
        CHECK(plan.create_topics[0].partitions == 3);
        CHECK(plan.create_topics[0].replicas == -1);
        REQUIRE(plan.add_partitions.size() == 1);
        CHECK(plan.add_partitions[0].from == 3);
        CHECK(plan.add_partitions[0].to == 6);
        REQUIRE(plan.set_configs.size() == 1);
        CHECK(plan.set_configs[0].send ==
              std::map<std::string, std::string>{{"max.message.bytes", "2000"},
                                                 {"retention.ms", "3600000"}});
        CHECK(plan.set_configs[0].changed.at("retention.ms").first == "86400000");
    }
    SUBCASE("a decrease of partitions and a replica difference are flagged, never planned") {
        have.topics.at("shop.orders") = topic(8, 2, {{"retention.ms", "3600000"}});
        km::admin::Plan plan = km::admin::compute_plan(l.want, have, {});
        CHECK(plan.add_partitions.empty());
        REQUIRE(plan.unapplied.size() == 1);
        CHECK(plan.unapplied[0].kind == km::admin::Unapplied::Kind::partitions_decrease);
        CHECK(plan.set_configs.empty());
    }
    SUBCASE("a sensitive setting stops the config update of its topic") {
        have.topics.at("shop.orders").hidden_config.insert("secret.key");
        km::admin::Plan plan = km::admin::compute_plan(l.want, have, {});
        CHECK(plan.set_configs.empty());
        REQUIRE(plan.unapplied.size() == 1);
        CHECK(plan.unapplied[0].kind == km::admin::Unapplied::Kind::hidden_config);
    }
    SUBCASE("topics are deleted only with the flag, only inside the scope, never internal ones") {
        km::admin::Plan kept = km::admin::compute_plan(l.want, have, {});
        CHECK(kept.delete_topics.empty());
        CHECK(kept.deletable_topics == std::vector<std::string>{"shop.legacy"});
        km::admin::PlanOptions options;
        options.delete_topics = true;
        km::admin::Plan deleting = km::admin::compute_plan(l.want, have, options);
        CHECK(deleting.delete_topics == std::vector<std::string>{"shop.legacy"});
        CHECK_FALSE(l.want.ownership.may_delete_topic("other.events"));
        CHECK_FALSE(l.want.ownership.may_delete_topic("shop.orders"));
    }
    SUBCASE("a converged cluster gives an empty plan") {
        km::admin::Plan first = km::admin::compute_plan(l.want, have, {});
        ClusterState after;
        for (const auto& [principal, p] : l.want.principals) {
            for (const km::live::LiveAcl& acl : p.acls) {
                after.acls.push_back({principal, acl});
            }
        }
        std::sort(after.acls.begin(), after.acls.end());
        after.topics["shop.orders"] = topic(6, 1, {{"retention.ms", "3600000"}});
        after.topics["shop.payments"] = topic(3, 1);
        CHECK(first.changes());
        CHECK_FALSE(km::admin::compute_plan(l.want, after, {}).changes());
    }
    SUBCASE("without transactional-id support their bindings are set aside, not created") {
        Loaded tx(k_topology +
                  "  - {name: payer, namespace: shop, produces: [shop.payments], "
                  "transactionalId: payer}\n");
        km::admin::PlanOptions options;
        options.transactional_ids = false;
        km::admin::Plan plan = km::admin::compute_plan(tx.want, {}, options);
        CHECK(plan.unapplied_acls.size() == 2);
        CHECK(std::none_of(
            plan.create_acls.begin(), plan.create_acls.end(),
            [](const AclBinding& b) { return b.acl.type == ResourceType::transactional_id; }));
    }
}

TEST_CASE("admin::plan_report is deterministic and flags like diff") {
    Loaded l(k_topology);
    ClusterState have = cluster(l.want,
                                {binding("User:shop-legacy", ResourceType::topic, "shop.",
                                         Operation::Write, Effect::deny, PatternType::prefix)},
                                {{"shop.orders", topic(8, 1)}});
    km::admin::Plan plan = km::admin::compute_plan(l.want, have, {});
    km::admin::PlanInputs in{plan,
                             l.want,
                             l.front->topology,
                             l.front->graph,
                             l.session.sources,
                             "cluster kafka:9093",
                             "topology.yaml"};
    km::diff::DiffReport report = km::admin::plan_report(in);
    std::vector<std::string> codes;
    for (const km::diff::Flag& f : report.flags) {
        codes.push_back(std::string(km::diag::code_string(f.code)));
    }
    CHECK(codes == std::vector<std::string>{"KM601", "KM604", "KM606"});
    CHECK(report.flags[0].place.file == "topology.yaml");
    std::string text = km::diff::render_text(report, false);
    CHECK(text.rfind("kafkamesh plan cluster kafka:9093 topology.yaml\nprincipals: ", 0) == 0);
    CHECK(text.find("manifests") == std::string::npos);
    CHECK(text.find("- User:shop-legacy (user shop-legacy), removed identity") !=
          std::string::npos);
    CHECK(km::diff::render_json(report).find("\"command\": \"plan\"") != std::string::npos);
    // The same inputs, the same bytes.
    CHECK(km::diff::render_json(km::admin::plan_report(in)) == km::diff::render_json(report));
    CHECK(km::diff::render_markdown(km::admin::plan_report(in)) ==
          km::diff::render_markdown(report));
}

TEST_CASE("admin::read_properties") {
    km::diag::DiagnosticSink sink;
    std::string text =
        "# a comment\n"
        "! another\n"
        "security.protocol = SSL\n"
        "  sasl.jaas.config: org.Module required \\\n"
        "      username=\"a\";\n"
        "key\\ with\\ space value\\tx\n"
        "unicode=caf\\u00e9\n"
        "security.protocol=SASL_SSL\n";
    std::vector<km::admin::Setting> s = km::admin::read_properties(text, 0, sink);
    CHECK_FALSE(sink.has_errors());
    REQUIRE(s.size() == 4);
    CHECK(s[0].key == "security.protocol");
    CHECK(s[0].value == "SASL_SSL");  // the later entry wins, at its own line
    CHECK(s[0].location.line == 8);
    CHECK(s[1].value == "org.Module required username=\"a\";");
    CHECK(s[1].location.line == 4);
    CHECK(s[1].location.column == 3);
    CHECK(s[2].key == "key with space");
    CHECK(s[2].value == "value\tx");
    CHECK(s[3].value == "caf\xc3\xa9");
    SUBCASE("a malformed escape is KM803 at its key") {
        km::diag::DiagnosticSink bad;
        km::admin::read_properties("a=1\nssl.key.password=x\\u12\n", 0, bad);
        REQUIRE(bad.raw().size() == 1);
        CHECK(bad.raw()[0].code == km::diag::Code::KM803);
        CHECK(bad.raw()[0].location.line == 2);
    }
    SUBCASE("the masked copy hides every value and keeps positions") {
        std::string masked = km::admin::masked_properties("pw = secret\n# keep me\nx=a \\\n  b\n");
        CHECK(masked == "pw = ******\n# keep me\nx=* *\n  *\n");
    }
}

TEST_CASE("admin::translate_settings") {
    auto translate = [](std::vector<km::admin::Setting> java, km::diag::DiagnosticSink& sink,
                        int version = 0x020002ff) {
        return km::admin::translate_settings(java, version, sink);
    };
    auto value = [](const km::admin::ClientSettings& c, const std::string& key) {
        for (const km::admin::Setting& s : c.settings) {
            if (s.key == key) {
                return s.value;
            }
        }
        return std::string("<unset>");
    };
    SUBCASE("a PEM truststore and a PKCS#12 keystore become librdkafka's settings") {
        km::diag::DiagnosticSink sink;
        auto c = translate({{"security.protocol", "SSL", {}},
                            {"ssl.truststore.type", "PEM", {}},
                            {"ssl.truststore.location", "/ca.pem", {}},
                            {"ssl.keystore.type", "PKCS12", {}},
                            {"ssl.keystore.location", "/admin.p12", {}},
                            {"ssl.keystore.password", "pw", {}},
                            {"ssl.endpoint.identification.algorithm", "", {}}},
                           sink);
        REQUIRE(c);
        CHECK(value(*c, "ssl.ca.location") == "/ca.pem");
        CHECK(value(*c, "ssl.keystore.location") == "/admin.p12");
        CHECK(value(*c, "ssl.keystore.password") == "pw");
        CHECK(value(*c, "ssl.endpoint.identification.algorithm") == "none");
        CHECK(value(*c, "ssl.truststore.location") == "<unset>");
    }
    SUBCASE("a PEM keystore names the file as certificate and key") {
        km::diag::DiagnosticSink sink;
        auto c = translate({{"ssl.keystore.type", "PEM", {}},
                            {"ssl.keystore.location", "/admin.pem", {}},
                            {"ssl.key.password", "k", {}}},
                           sink);
        REQUIRE(c);
        CHECK(value(*c, "ssl.certificate.location") == "/admin.pem");
        CHECK(value(*c, "ssl.key.location") == "/admin.pem");
        CHECK(value(*c, "ssl.key.password") == "k");
    }
    SUBCASE("PLAIN and SCRAM JAAS logins become user and password; SCRAM warns on old librdkafka") {
        km::diag::DiagnosticSink sink;
        auto c = translate({{"sasl.mechanism", "SCRAM-SHA-512", {0, 2, 1, 14}},
                            {"sasl.jaas.config",
                             "org.apache.kafka.common.security.scram.ScramLoginModule required "
                             "username=\"admin\" password=\"p w\";",
                             {}}},
                           sink);
        REQUIRE(c);
        CHECK(value(*c, "sasl.username") == "admin");
        CHECK(value(*c, "sasl.password") == "p w");
        REQUIRE(sink.raw().size() == 1);
        CHECK(sink.raw()[0].code == km::diag::Code::KM805);
        CHECK(sink.raw()[0].location.line == 2);
        km::diag::DiagnosticSink fixed;
        CHECK(translate({{"sasl.mechanism", "SCRAM-SHA-512", {}}}, fixed, 0x020601ff));
        CHECK(fixed.raw().empty());
    }
    SUBCASE("a token file URL is taken; the Java OAUTHBEARER handler is dropped") {
        km::diag::DiagnosticSink sink;
        auto c = translate(
            {{"sasl.mechanism", "OAUTHBEARER", {}},
             {"sasl.oauthbearer.token.endpoint.url", "file:///var/run/secrets/kafka/token", {}},
             {"sasl.login.callback.handler.class",
              "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler",
              {}},
             {"sasl.jaas.config",
              "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required ;",
              {}}},
            sink);
        REQUIRE(c);
        CHECK(c->token_file == "/var/run/secrets/kafka/token");
        CHECK(value(*c, "sasl.login.callback.handler.class") == "<unset>");
        CHECK(value(*c, "sasl.mechanism") == "OAUTHBEARER");
    }
    SUBCASE("what cannot be translated is refused by name (KM804)") {
        for (std::vector<km::admin::Setting> java :
             {std::vector<km::admin::Setting>{{"ssl.truststore.location", "/t.jks", {0, 3, 1, 1}}},
              {{"ssl.keystore.type", "JKS", {}}, {"ssl.keystore.location", "/k.jks", {}}},
              {{"sasl.jaas.config", "com.example.Custom required;", {}}},
              {{"sasl.oauthbearer.token.endpoint.url", "https://idp/token", {}}},
              {{"sasl.login.callback.handler.class", "com.example.Handler", {}}}}) {
            km::diag::DiagnosticSink sink;
            CHECK_FALSE(translate(java, sink));
            REQUIRE(sink.raw().size() == 1);
            CHECK(sink.raw()[0].code == km::diag::Code::KM804);
            CHECK(sink.raw()[0].message.find("'" + java.back().key + "'") != std::string::npos);
        }
    }
}

namespace {

std::string base64url(const std::string& in) {
    static const char* alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (unsigned char c : in) {
        buffer = (buffer << 8) | c;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += alphabet[(buffer >> bits) & 0x3f];
        }
    }
    if (bits > 0) {
        out += alphabet[(buffer << (6 - bits)) & 0x3f];
    }
    return out;
}

std::string jwt(const std::string& payload) {
    return base64url(R"({"alg":"RS256","kid":"k"})") + "." + base64url(payload) + ".c2lnbmF0dXJl";
}

}  // namespace

TEST_CASE("admin::decode_jwt and the token file") {
    std::string error;
    SUBCASE("exp and sub become lifetime and principal") {
        auto t = km::admin::decode_jwt(
            jwt(R"({"aud":["kafka"],"exp":1893456000,"sub":"system:serviceaccount:ops:kafkamesh"})") +
                "\n",
            error);
        REQUIRE(t);
        CHECK(t->expires_ms == 1893456000000LL);
        CHECK(t->subject == "system:serviceaccount:ops:kafkamesh");
        CHECK(t->value.back() != '\n');
    }
    SUBCASE("what is not a usable JWT is refused with a reason") {
        for (const std::string& bad :
             {std::string("not-a-jwt"), std::string("a.b"), jwt("[1,2]"), jwt(R"({"sub":"x"})"),
              jwt(R"({"exp":"soon","sub":"x"})"), jwt(R"({"exp":1893456000})"),
              base64url("{}") + ".!!!." + "sig"}) {
            CAPTURE(bad);
            error.clear();
            CHECK_FALSE(km::admin::decode_jwt(bad, error));
            CHECK_FALSE(error.empty());
        }
    }
    SUBCASE("the token file is read whole, and a missing one is named") {
        km::test::ScratchDir dir(
            {{"token", jwt(R"({"exp":1893456000.5,"sub":"system:serviceaccount:a:b"})")}});
        auto t = km::admin::read_token_file(dir.path("token"), error);
        REQUIRE(t);
        CHECK(t->expires_ms == 1893456000500LL);
        CHECK_FALSE(km::admin::read_token_file(dir.path("absent"), error));
        CHECK(error.find(dir.path("absent")) != std::string::npos);
    }
    SUBCASE("file: URLs as the Java client takes them") {
        CHECK(km::admin::token_file_path("file:/var/run/token") == "/var/run/token");
        CHECK(km::admin::token_file_path("file:///var/run/token") == "/var/run/token");
        CHECK(km::admin::token_file_path("file://host/var/run/token").empty());
        CHECK(km::admin::token_file_path("https://idp/token").empty());
    }
}

TEST_CASE("kafka.ownership is parsed and checked") {
    using km::test::diagnostics_of;
    using km::test::header;
    std::string rest = "namespaces: [{name: shop}]\n";
    CHECK(diagnostics_of(header("  ownership: {principals: [\"User:shop-*\", "
                                "\"User:CN=legacy\"], topics: [\"shop.*\", orders]}\n") +
                         rest)
              .empty());
    CHECK(diagnostics_of(header("  ownership: {principals: [\"User:*\"]}\n") + rest) ==
          std::vector<std::string>{"KM205@7:28"});
    CHECK(diagnostics_of(header("  ownership: {principals: [\"Group:ops\"]}\n") + rest) ==
          std::vector<std::string>{"KM205@7:28"});
    CHECK(diagnostics_of(header("  ownership: {topics: [\"*\"]}\n") + rest) ==
          std::vector<std::string>{"KM205@7:24"});
    CHECK(diagnostics_of(header("  ownership: {topics: [\"a*b\"]}\n") + rest) ==
          std::vector<std::string>{"KM205@7:24"});
    CHECK(diagnostics_of(header("  ownership: {owners: []}\n") + rest) ==
          std::vector<std::string>{"KM201@7:15"});
}
