// Kafka's authorizer decision, case by case from StandardAuthorizerData's rules
// (strimzi-bitnami-kafka-acls.md §4.2): super users, literal, '*', prefixes, DENY wins, and the
// operations an ALLOW implies (never a DENY).
#include <doctest/doctest.h>

#include "graph/authorizer.h"

namespace {

using km::graph::AclEntry;
using km::graph::Decision;
using km::graph::Identity;
using km::model::Effect;
using km::model::Operation;
using km::model::PatternType;
using km::model::ResourceType;

struct Acl {
    ResourceType type;
    PatternType pattern;
    const char* name;
    Effect effect;
    Operation op;
};

struct Case {
    const char* rule;
    std::vector<Acl> acls;
    bool super_user;
    Operation op;
    ResourceType type;
    const char* name;
    Decision::Reason expected;
};

constexpr auto T = ResourceType::topic;
constexpr auto G = ResourceType::group;
constexpr auto C = ResourceType::cluster;
constexpr auto X = ResourceType::transactional_id;
constexpr auto L = PatternType::literal;
constexpr auto P = PatternType::prefix;
constexpr auto A = Effect::allow;
constexpr auto D = Effect::deny;
using R = Decision::Reason;

const std::vector<Case> k_cases = {
    // 1. super users are allowed without any ACL lookup, even against a DENY.
    {"super user, no ACL", {}, true, Operation::Write, T, "orders", R::super_user},
    {"super user beats DENY",
     {{T, L, "orders", D, Operation::All}},
     true,
     Operation::Read,
     T,
     "orders",
     R::super_user},
    // 6. nothing matches: denied by default.
    {"no ACL at all", {}, false, Operation::Read, T, "orders", R::no_match},
    {"ACL on another topic",
     {{T, L, "payments", A, Operation::Read}},
     false,
     Operation::Read,
     T,
     "orders",
     R::no_match},
    {"ACL on another resource type",
     {{G, L, "orders", A, Operation::Read}},
     false,
     Operation::Read,
     T,
     "orders",
     R::no_match},
    // 2. literal name, literal '*', prefixes that are a prefix of the name.
    {"literal match",
     {{T, L, "orders", A, Operation::Read}},
     false,
     Operation::Read,
     T,
     "orders",
     R::allowed},
    {"literal is not a prefix",
     {{T, L, "orders", A, Operation::Read}},
     false,
     Operation::Read,
     T,
     "orders.eu",
     R::no_match},
    {"literal '*' matches every topic",
     {{T, L, "*", A, Operation::Read}},
     false,
     Operation::Read,
     T,
     "anything",
     R::allowed},
    {"prefix matches",
     {{T, P, "ord", A, Operation::Read}},
     false,
     Operation::Read,
     T,
     "orders",
     R::allowed},
    {"prefix equal to the name matches",
     {{T, P, "orders", A, Operation::Read}},
     false,
     Operation::Read,
     T,
     "orders",
     R::allowed},
    {"prefix longer than the name",
     {{T, P, "orders.eu", A, Operation::Read}},
     false,
     Operation::Read,
     T,
     "orders",
     R::no_match},
    {"prefix is case-sensitive",
     {{T, P, "Ord", A, Operation::Read}},
     false,
     Operation::Read,
     T,
     "orders",
     R::no_match},
    {"prefix '*' is a literal character in a prefix",
     {{T, P, "o*", A, Operation::Read}},
     false,
     Operation::Read,
     T,
     "orders",
     R::no_match},
    // 4. any matching DENY wins over any number of ALLOWs.
    {"DENY wins over ALLOW",
     {{T, L, "orders", A, Operation::Read}, {T, L, "orders", D, Operation::Read}},
     false,
     Operation::Read,
     T,
     "orders",
     R::denied},
    {"prefix DENY wins over literal ALLOW",
     {{T, L, "orders", A, Operation::Write}, {T, P, "ord", D, Operation::Write}},
     false,
     Operation::Write,
     T,
     "orders",
     R::denied},
    {"'*' DENY wins",
     {{T, L, "orders", A, Operation::Read}, {T, L, "*", D, Operation::Read}},
     false,
     Operation::Read,
     T,
     "orders",
     R::denied},
    {"DENY All denies Read",
     {{T, L, "orders", A, Operation::Read}, {T, L, "orders", D, Operation::All}},
     false,
     Operation::Read,
     T,
     "orders",
     R::denied},
    {"DENY of another operation does not deny",
     {{T, L, "orders", A, Operation::Read}, {T, L, "orders", D, Operation::Write}},
     false,
     Operation::Read,
     T,
     "orders",
     R::allowed},
    {"DENY alone denies",
     {{T, L, "orders", D, Operation::Read}},
     false,
     Operation::Read,
     T,
     "orders",
     R::denied},
    // 5. implied operations, for ALLOW only.
    {"Read implies Describe",
     {{T, L, "orders", A, Operation::Read}},
     false,
     Operation::Describe,
     T,
     "orders",
     R::allowed},
    {"Write implies Describe",
     {{T, L, "orders", A, Operation::Write}},
     false,
     Operation::Describe,
     T,
     "orders",
     R::allowed},
    {"Delete implies Describe",
     {{T, L, "orders", A, Operation::Delete}},
     false,
     Operation::Describe,
     T,
     "orders",
     R::allowed},
    {"Alter implies Describe",
     {{T, L, "orders", A, Operation::Alter}},
     false,
     Operation::Describe,
     T,
     "orders",
     R::allowed},
    {"Create does not imply Describe",
     {{T, L, "orders", A, Operation::Create}},
     false,
     Operation::Describe,
     T,
     "orders",
     R::no_match},
    {"AlterConfigs implies DescribeConfigs",
     {{T, L, "orders", A, Operation::AlterConfigs}},
     false,
     Operation::DescribeConfigs,
     T,
     "orders",
     R::allowed},
    {"AlterConfigs does not imply Describe",
     {{T, L, "orders", A, Operation::AlterConfigs}},
     false,
     Operation::Describe,
     T,
     "orders",
     R::no_match},
    {"DescribeConfigs does not imply Describe",
     {{T, L, "orders", A, Operation::DescribeConfigs}},
     false,
     Operation::Describe,
     T,
     "orders",
     R::no_match},
    {"Describe does not imply Read",
     {{T, L, "orders", A, Operation::Describe}},
     false,
     Operation::Read,
     T,
     "orders",
     R::no_match},
    {"Write does not imply Read",
     {{T, L, "orders", A, Operation::Write}},
     false,
     Operation::Read,
     T,
     "orders",
     R::no_match},
    {"DENY Read does not deny Describe",
     {{T, L, "orders", A, Operation::Read}, {T, L, "orders", D, Operation::Read}},
     false,
     Operation::Describe,
     T,
     "orders",
     R::allowed},
    {"DENY Write does not deny the Describe a Read implies",
     {{T, L, "orders", A, Operation::Read}, {T, L, "orders", D, Operation::Write}},
     false,
     Operation::Describe,
     T,
     "orders",
     R::allowed},
    {"DENY Describe denies the implied Describe",
     {{T, L, "orders", A, Operation::Read}, {T, L, "orders", D, Operation::Describe}},
     false,
     Operation::Describe,
     T,
     "orders",
     R::denied},
    {"DENY AlterConfigs does not deny DescribeConfigs",
     {{T, L, "orders", A, Operation::AlterConfigs}, {T, L, "orders", D, Operation::AlterConfigs}},
     false,
     Operation::DescribeConfigs,
     T,
     "orders",
     R::allowed},
    // ALL matches every operation.
    {"All allows Write",
     {{T, P, "ord", A, Operation::All}},
     false,
     Operation::Write,
     T,
     "orders",
     R::allowed},
    {"All allows DescribeConfigs",
     {{T, L, "orders", A, Operation::All}},
     false,
     Operation::DescribeConfigs,
     T,
     "orders",
     R::allowed},
    // Other resource types follow the same rules.
    {"group Read implies Describe",
     {{G, L, "checkout", A, Operation::Read}},
     false,
     Operation::Describe,
     G,
     "checkout",
     R::allowed},
    {"group prefix",
     {{G, P, "connect-", A, Operation::Read}},
     false,
     Operation::Read,
     G,
     "connect-sink",
     R::allowed},
    {"cluster Alter implies Describe",
     {{C, L, "kafka-cluster", A, Operation::Alter}},
     false,
     Operation::Describe,
     C,
     "kafka-cluster",
     R::allowed},
    {"transactional id prefix Write",
     {{X, P, "app-", A, Operation::Write}},
     false,
     Operation::Write,
     X,
     "app-1-0",
     R::allowed},
    {"transactional id DENY",
     {{X, P, "app-", A, Operation::Write}, {X, L, "app-1-0", D, Operation::Write}},
     false,
     Operation::Write,
     X,
     "app-1-0",
     R::denied},
};

Identity identity_with(const Case& c) {
    Identity id;
    id.key = "shop/test";
    id.super_user = c.super_user;
    for (const Acl& a : c.acls) {
        AclEntry e;
        e.type = a.type;
        e.pattern = a.pattern;
        e.name = a.name;
        e.effect = a.effect;
        e.operation = a.op;
        id.acls.push_back(std::move(e));
    }
    return id;
}

}  // namespace

TEST_SUITE("graph") {
    TEST_CASE("authorizer: Kafka's decision table") {
        for (const Case& c : k_cases) {
            std::string rule = c.rule;
            CAPTURE(rule);
            Identity id = identity_with(c);
            Decision d = km::graph::authorize(id, c.op, c.type, c.name);
            CHECK(static_cast<int>(d.reason) == static_cast<int>(c.expected));
            CHECK(d.allowed() == (c.expected == R::allowed || c.expected == R::super_user));
            if (c.expected == R::allowed || c.expected == R::denied) {
                CHECK_FALSE(d.entries.empty());
            }
        }
    }

    TEST_CASE("authorizer: a DENY reports every matching deny, an ALLOW every matching allow") {
        Case c{"",        {{T, L, "orders", A, Operation::Read}, {T, P, "o", A, Operation::All}},
               false,     Operation::Read,
               T,         "orders",
               R::allowed};
        Identity id = identity_with(c);
        CHECK(km::graph::authorize(id, Operation::Read, T, "orders").entries.size() == 2);
    }
}
