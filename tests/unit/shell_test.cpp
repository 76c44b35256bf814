// util/shell: the quoting must hand every string to the shell unchanged, and the guards must
// refuse what a shell line cannot carry.
#include <doctest/doctest.h>

#include <cstdio>
#include <string>

#include "util/shell.h"

namespace {

/// What /bin/sh passes to printf for `printf %s <quoted>`: the word after quote removal.
std::string through_shell(const std::string& s) {
    std::string command = "printf %s " + km::util::shell_quote(s);
    FILE* pipe = popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string out;
    char buffer[256];
    std::size_t n = 0;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) {
        out.append(buffer, n);
    }
    pclose(pipe);
    return out;
}

}  // namespace

TEST_SUITE("shell") {
    TEST_CASE("quoting hands hostile strings through unchanged") {
        for (const std::string s :
             {"orders", "*", "it's", "''", "$(touch /x)", "`id`", "a b\tc", "${HOME}", "\\n",
              "semi;colon", "glob?[a]", "\"double\"", "'; rm -rf / #"}) {
            CHECK(through_shell(s) == s);
        }
    }

    TEST_CASE("quoting uses single quotes and the '\\'' escape") {
        CHECK(km::util::shell_quote("a'b") == "'a'\\''b'");
        CHECK(km::util::shell_quote("") == "''");
    }

    TEST_CASE("arguments: printable, not an option") {
        CHECK(km::util::is_safe_shell_argument("my-consumer-group"));
        CHECK(km::util::is_safe_shell_argument("*"));
        CHECK(km::util::is_safe_shell_argument("it's $(odd)"));
        CHECK_FALSE(km::util::is_safe_shell_argument(""));
        CHECK_FALSE(km::util::is_safe_shell_argument("--all-groups"));
        CHECK_FALSE(km::util::is_safe_shell_argument("line\nbreak"));
        CHECK_FALSE(km::util::is_safe_shell_argument("tab\there"));
        CHECK_FALSE(km::util::is_safe_shell_argument("caf\xc3\xa9"));
    }

    TEST_CASE("plain words: one word that means itself unquoted") {
        CHECK(km::util::is_plain_shell_word("retention.ms"));
        CHECK(km::util::is_plain_shell_word("compact,delete"));
        CHECK(km::util::is_plain_shell_word("604800000"));
        CHECK_FALSE(km::util::is_plain_shell_word(""));
        CHECK_FALSE(km::util::is_plain_shell_word("Create Time"));
        CHECK_FALSE(km::util::is_plain_shell_word("*"));
        CHECK_FALSE(km::util::is_plain_shell_word("$HOME"));
        CHECK_FALSE(km::util::is_plain_shell_word("a'b"));
    }
}
