// The long help of every code (src/diag/help/KMnnn.md): present, well formed, and its example
// really produces its code when run through the front end.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <map>
#include <string>

#include "diag/builtin_help.h"
#include "diag/diagnostic.h"
#include "test_support.h"

namespace {

/// The bodies of the fenced blocks of one language, in order.
std::vector<std::string> fenced_blocks(const std::string& text, const std::string& language) {
    std::vector<std::string> blocks;
    std::string open = "```" + language + "\n";
    for (std::size_t at = text.find(open); at != std::string::npos; at = text.find(open, at)) {
        std::size_t start = at + open.size();
        std::size_t end = text.find("```\n", start);
        REQUIRE(end != std::string::npos);
        blocks.push_back(text.substr(start, end - start));
        at = end + 4;
    }
    return blocks;
}

const char* help_text(km::diag::Code code) {
    for (const km::diag::BuiltinHelp& help : km::diag::builtin_help()) {
        if (km::diag::code_string(code) == help.code) {
            return help.text;
        }
    }
    return nullptr;
}

}  // namespace

TEST_CASE("every catalogue code has a long help starting with its code") {
    for (km::diag::Code code : km::diag::all_codes()) {
        CAPTURE(km::diag::code_string(code));
        const char* text = help_text(code);
        REQUIRE(text != nullptr);
        CHECK(std::string(text).rfind(fmt::format("# {}: ", km::diag::code_string(code)), 0) == 0);
    }
}

TEST_CASE("every help file is named after a catalogue code") {
    for (const km::diag::BuiltinHelp& help : km::diag::builtin_help()) {
        km::diag::Code code;
        CAPTURE(help.code);
        CHECK(km::diag::parse_code(help.code, code));
    }
}

TEST_CASE("the example of each help file produces its code") {
    for (const km::diag::BuiltinHelp& help : km::diag::builtin_help()) {
        CAPTURE(help.code);
        std::vector<std::string> files = fenced_blocks(help.text, "yaml");
        if (files.empty()) {
            // Input and output codes are about files, not topologies: a shell example shows them.
            CHECK(std::string(help.code).rfind("KM0", 0) == 0);
            CHECK(!fenced_blocks(help.text, "sh").empty());
            continue;
        }
        std::map<std::string, std::string> inputs;
        for (std::size_t i = 0; i < files.size(); ++i) {
            inputs[fmt::format("{}.yaml", i + 1)] = files[i];
        }
        bool found = false;
        for (const std::string& d : km::test::diagnostics_of_files(inputs)) {
            found = found || d.rfind(std::string(help.code) + "@", 0) == 0;
        }
        CHECK(found);
    }
}
