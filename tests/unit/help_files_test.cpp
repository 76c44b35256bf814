// The long help of every code (src/diag/help/KMnnn.md): present, well formed, and its example
// really produces its code when run through the front end, or through the command that
// reports it.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
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

/// The input files of an example, from its yaml blocks in order: a block whose first line is a
/// comment naming a file ("# head.yaml") is written under that name, any other as 1.yaml,
/// 2.yaml, ...
std::map<std::string, std::string> example_files(const std::vector<std::string>& blocks) {
    static const std::regex named(R"(# ([A-Za-z0-9._-]+\.yaml)\n)");
    std::map<std::string, std::string> files;
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        std::smatch m;
        std::string name =
            std::regex_search(blocks[i], m, named, std::regex_constants::match_continuous)
                ? m[1].str()
                : fmt::format("{}.yaml", i + 1);
        CAPTURE(name);
        REQUIRE(files.count(name) == 0);
        files[name] = blocks[i];
    }
    return files;
}

/// Runs a shell example as a user would, in a scratch directory holding `files`, with the
/// kafkamesh under test first on PATH. Returns what it printed, stdout and stderr together.
std::string run_example(const std::string& script,
                        const std::map<std::string, std::string>& files) {
    km::test::ScratchDir dir(files);
    dir.write(".example.sh", script);
    std::string bin = std::filesystem::path(KAFKAMESH_BINARY).parent_path().string();
    std::string line = fmt::format(
        "cd '{}' && PATH='{}':\"$PATH\" NO_COLOR=1 sh .example.sh > .output 2>&1", dir.path(), bin);
    int status = std::system(line.c_str());
    CHECK(status != -1);
    std::ifstream in(dir.path(".output"), std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
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
        std::string name = help.code;
        CAPTURE(name);
        CHECK(km::diag::parse_code(help.code, code));
    }
}

TEST_CASE("the example of each help file produces its code") {
    for (const km::diag::BuiltinHelp& help : km::diag::builtin_help()) {
        std::string code = help.code;
        CAPTURE(code);
        km::diag::Code parsed;
        REQUIRE(km::diag::parse_code(code, parsed));
        std::string name(km::diag::code_name(parsed));
        if (name.rfind("internal", 0) == 0 || name.rfind("retired", 0) == 0) {
            continue;  // internal errors (KM001, KM530) and retired codes: no input reaches them
        }
        if (code.rfind("KM8", 0) == 0 && name.rfind("cluster_", 0) == 0) {
            // Only a running cluster makes these: tests/broker's ApplyCheck does, by name.
            std::ifstream in(std::string(KAFKAMESH_SOURCE_DIR) +
                             "/tests/broker/src/main/java/dev/kafkamesh/broker/ApplyCheck.java");
            std::stringstream check;
            check << in.rdbuf();
            CHECK(check.str().find(code) != std::string::npos);
            continue;
        }
        std::vector<std::string> files = fenced_blocks(help.text, "yaml");
        std::vector<std::string> scripts = fenced_blocks(help.text, "sh");
        if (files.empty()) {
            // Input and output codes are about files, not topologies: a shell example shows them.
            CHECK(code.rfind("KM0", 0) == 0);
            CHECK(!scripts.empty());
            continue;
        }
        std::map<std::string, std::string> inputs = example_files(files);
        bool found = false;
        if (scripts.empty()) {
            for (const std::string& d : km::test::diagnostics_of_files(inputs)) {
                found = found || d.rfind(code + "@", 0) == 0;
            }
        } else {
            // Codes that a command reports rather than the front end (the review checks of
            // access and diff, the risk flags of diff, command-line options): the sh block is
            // that command line, run on the files.
            std::string script;
            for (const std::string& s : scripts) {
                script += s;
            }
            std::string output = run_example(script, inputs);
            CAPTURE(output);
            found = output.find("[" + code + "]") != std::string::npos;
        }
        CHECK(found);
    }
}
