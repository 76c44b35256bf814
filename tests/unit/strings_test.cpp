#include <doctest/doctest.h>

#include "parse/value_formats.h"
#include "util/boxed.h"
#include "util/strings.h"

#include <string>

using km::util::PlainType;

TEST_SUITE("util") {
    TEST_CASE("strings") {
        SUBCASE("resolve_plain follows the YAML 1.2 core schema") {
            CHECK(km::util::resolve_plain("~") == PlainType::null);
            CHECK(km::util::resolve_plain("True") == PlainType::boolean);
            CHECK(km::util::resolve_plain("-12") == PlainType::integer);
            CHECK(km::util::resolve_plain("0x1F") == PlainType::integer);
            CHECK(km::util::resolve_plain("1.29") == PlainType::floating);
            CHECK(km::util::resolve_plain("1e3") == PlainType::floating);
            CHECK(km::util::resolve_plain(".inf") == PlainType::floating);
            CHECK(km::util::resolve_plain("1.2.3") == PlainType::string);
            CHECK(km::util::resolve_plain("yes") == PlainType::string);
        }
        SUBCASE("YAML 1.1 keywords need quotes in exactly their three spellings") {
            // Every casing of every keyword: only lower case, Capitalised and UPPER CASE read
            // as null or a boolean (YAML 1.1 and 1.2 list no other spelling).
            for (std::string word : {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}) {
                std::size_t spellings = 0;
                for (unsigned mask = 0; mask < (1u << word.size()); ++mask) {
                    std::string t = word;
                    for (std::size_t i = 0; i < t.size(); ++i) {
                        if (mask & (1u << i)) {
                            t[i] = static_cast<char>(t[i] - 'a' + 'A');
                        }
                    }
                    bool canonical = mask == 0 || mask == 1 || mask == (1u << t.size()) - 1;
                    CAPTURE(t);
                    CHECK(km::util::needs_quotes_for_yaml11(t) == canonical);
                    spellings += km::util::needs_quotes_for_yaml11(t) ? 1 : 0;
                }
                CHECK(spellings == (word.size() == 1 ? 2 : 3));
            }
            for (const char* text : {"type", "topic", "name", "yess", "nul", "offset", "Onion",
                                     "trUE", "nO", "kafka", "Read", "tru"}) {
                CAPTURE(text);
                CHECK_FALSE(km::util::needs_quotes_for_yaml11(text));
            }
            for (const char* text : {"~", "1", "1.5", "0x1F", "2001-12-14", "1:30", "<<", "="}) {
                CAPTURE(text);
                CHECK(km::util::needs_quotes_for_yaml11(text));
            }
        }
        SUBCASE("Boxed copies its value, as std::optional does") {
            km::util::Boxed<std::string> empty;
            CHECK_FALSE(empty);
            km::util::Boxed<std::string> a = std::string("orders");
            km::util::Boxed<std::string> b = a;
            REQUIRE(b);
            *b += "-v2";
            CHECK(*a == "orders");  // a deep copy, not a shared value
            CHECK(*b == "orders-v2");
            b = empty;
            CHECK_FALSE(b);
            km::util::Boxed<std::string> c = std::move(a);
            CHECK(*c == "orders");
            c.emplace();
            CHECK(c->empty());
        }
        SUBCASE("closest_match finds plausible typos only") {
            CHECK(km::util::closest_match("paymnts", {"payments", "orders"}) == "payments");
            CHECK_FALSE(km::util::closest_match("zzz", {"payments", "orders"}).has_value());
        }
        SUBCASE("closest_match ignores case and counts a swap of neighbours as one typo") {
            CHECK(km::util::closest_match("WRITE", {"Read", "Write"}) == "Write");
            CHECK(km::util::closest_match("Wirte", {"Read", "Write"}) == "Write");
            CHECK(km::util::edit_distance("Wirte", "Write", 5) == 1);
            CHECK(km::util::edit_distance("abc", "abc", 5) == 0);
            CHECK(km::util::edit_distance("kitten", "sitting", 5) == 3);
        }
        SUBCASE("DNS names") {
            CHECK(km::util::is_dns_label("shop-1"));
            CHECK_FALSE(km::util::is_dns_label("Shop"));
            CHECK_FALSE(km::util::is_dns_label("-shop"));
            CHECK_FALSE(km::util::is_dns_label(std::string(64, 'a')));
            CHECK(km::util::is_dns_subdomain("orders.v1"));
            CHECK_FALSE(km::util::is_dns_subdomain("orders..v1"));
        }
        SUBCASE("value formats") {
            CHECK(km::parse::is_topic_name("My.Topic_1-x"));
            CHECK_FALSE(km::parse::is_topic_name(".."));
            CHECK_FALSE(km::parse::is_topic_name(std::string(250, 'a')));
            CHECK(km::parse::duration_seconds("1h30m") == 5400.0);
            CHECK_FALSE(km::parse::is_duration("1d"));
            CHECK(km::parse::is_quantity("10Gi"));
            CHECK_FALSE(km::parse::is_quantity("10GB"));
            CHECK(km::parse::is_label_key("example.com/team"));
            CHECK_FALSE(km::parse::is_label_value("a b"));
        }
    }
}
