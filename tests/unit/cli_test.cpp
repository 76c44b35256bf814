// The commands around the compiler, run as a user runs them: completion scripts cover every
// subcommand and option of --help, the man page too, init never overwrites without --force.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "cli/builtin_schema.h"
#include "cli/starter_topology.h"
#include "test_support.h"

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct Run {
    int exit = -1;
    std::string out;
};

/// Runs a shell command line (in `dir`); stdout captured, stderr discarded.
Run run(const std::string& command, const std::string& dir = ".") {
    km::test::ScratchDir scratch;
    std::string out_file = scratch.path("stdout");
    std::string line = fmt::format("cd '{}' && {} > '{}' 2>/dev/null", dir, command, out_file);
    int status = std::system(line.c_str());
    return {WEXITSTATUS(status), read_file(out_file)};
}

std::string kafkamesh() {
    return fmt::format("'{}'", KAFKAMESH_BINARY);
}

/// Subcommand -> its option flags, read from --help as a user sees them.
std::map<std::string, std::set<std::string>> commands_from_help() {
    std::map<std::string, std::set<std::string>> out;
    std::string top = run(kafkamesh() + " --help").out;
    std::string section = top.substr(top.find("Subcommands:"));
    std::regex command_line(R"(\n  ([a-z-]+) )");
    for (std::sregex_iterator it(section.begin(), section.end(), command_line), end; it != end;
         ++it) {
        out[(*it)[1]];
    }
    std::regex flag(R"((^|[ ,])(--?[a-z][a-z-]*))");
    for (auto& [name, flags] : out) {
        std::istringstream help(run(kafkamesh() + " " + name + " --help").out);
        for (std::string line; std::getline(help, line);) {
            if (line.rfind("  -", 0) != 0) {
                continue;
            }
            std::string names = line.substr(2, line.find(' ', 2) - 2);
            for (std::sregex_iterator it(names.begin(), names.end(), flag), end; it != end; ++it) {
                flags.insert((*it)[2]);
            }
        }
    }
    return out;
}

}  // namespace

TEST_CASE("the help lists every command this test expects to find") {
    auto commands = commands_from_help();
    for (const char* name :
         {"compile", "validate", "init", "schema", "explain-code", "version", "completion"}) {
        CAPTURE(name);
        CHECK(commands.count(name) == 1);
    }
    CHECK(commands["compile"].count("--output") == 1);
    CHECK(commands["init"].count("-f") == 1);
}

TEST_CASE("every subcommand and option appears in every completion script") {
    auto commands = commands_from_help();
    REQUIRE(commands.size() >= 7);
    for (const char* shell : {"bash", "zsh", "fish"}) {
        CAPTURE(shell);
        Run script = run(kafkamesh() + " completion " + shell);
        REQUIRE(script.exit == 0);
        for (const auto& [name, flags] : commands) {
            CAPTURE(name);
            CHECK(script.out.find(name) != std::string::npos);
            for (const std::string& f : flags) {
                CAPTURE(f);
                std::string form = f;
                if (std::string(shell) == "fish") {
                    form = f.rfind("--", 0) == 0 ? "-l " + f.substr(2) : "-s " + f.substr(1);
                }
                CHECK(script.out.find(form) != std::string::npos);
            }
        }
    }
}

TEST_CASE("the bash completion completes commands, options and option values") {
    km::test::ScratchDir dir;
    Run script = run(kafkamesh() + " completion bash");
    REQUIRE(script.exit == 0);
    dir.write("completion.bash", script.out);
    auto complete = [&](const std::string& words, int cword) {
        dir.write("complete.sh", fmt::format("source ./completion.bash\nCOMP_WORDS=({})\n"
                                             "COMP_CWORD={}\n_kafkamesh\n"
                                             "echo \"${{COMPREPLY[*]}}\"\n",
                                             words, cword));
        return run("bash complete.sh", dir.path()).out;
    };
    CHECK(complete("kafkamesh val", 1) == "validate\n");
    CHECK(complete("kafkamesh validate --format ''", 3) == "text json github sarif\n");
    CHECK(complete("kafkamesh init --dist", 2) == "--distribution\n");
    CHECK(complete("kafkamesh compile --only m", 3) == "mesh\n");
}

TEST_CASE("the completion scripts are valid shell") {
    CHECK(run(kafkamesh() + " completion bash | bash -n").exit == 0);
    for (const char* shell : {"zsh", "fish"}) {
        if (run(fmt::format("command -v {}", shell)).exit == 0) {
            CHECK(run(fmt::format("{} completion {} | {} -n", kafkamesh(), shell, shell)).exit ==
                  0);
        }
    }
}

TEST_CASE("the man page documents every subcommand and option") {
    std::string page = read_file(std::string(KAFKAMESH_SOURCE_DIR) + "/src/doc/kafkamesh.1.in");
    REQUIRE(!page.empty());
    for (const auto& [name, flags] : commands_from_help()) {
        CAPTURE(name);
        std::string roff_name = std::regex_replace(name, std::regex("-"), "\\-");
        CHECK(page.find(fmt::format(".SS \"kafkamesh {}", roff_name)) != std::string::npos);
        for (const std::string& f : flags) {
            CAPTURE(f);
            // roff writes a literal hyphen as \-
            CHECK(page.find(std::regex_replace(f, std::regex("-"), "\\-")) != std::string::npos);
        }
    }
}

TEST_CASE("schema prints the committed schema byte for byte") {
    std::string committed =
        read_file(std::string(KAFKAMESH_SOURCE_DIR) + "/schema/topology.schema.json");
    CHECK(run(kafkamesh() + " schema").out == committed);
    CHECK(std::string(km::cli::builtin_schema()) == committed);
}

TEST_CASE("both starter topologies validate without a diagnostic") {
    for (auto distribution : {km::cli::Distribution::strimzi, km::cli::Distribution::bitnami}) {
        std::string text = km::cli::starter_topology(distribution, "topology.schema.json");
        CHECK(text.rfind("# yaml-language-server: $schema=topology.schema.json\n", 0) == 0);
        CHECK(km::test::diagnostics_of(text).empty());
    }
}

TEST_CASE("init refuses to overwrite an existing file unless --force is given") {
    km::test::ScratchDir dir(std::map<std::string, std::string>{{"topology.yaml", "# mine\n"}});
    Run refused = run(kafkamesh() + " init", dir.path());
    CHECK(refused.exit == 3);
    CHECK(read_file(dir.path("topology.yaml")) == "# mine\n");
    CHECK(!std::filesystem::exists(dir.path("topology.schema.json")));

    Run forced = run(kafkamesh() + " init --force", dir.path());
    CHECK(forced.exit == 0);
    CHECK(read_file(dir.path("topology.yaml")).rfind("# yaml-language-server:", 0) == 0);
    CHECK(read_file(dir.path("topology.schema.json")) == std::string(km::cli::builtin_schema()));
}

TEST_CASE("explain-code accepts a code in any case and rejects an unknown one") {
    CHECK(run(kafkamesh() + " explain-code km301").out.rfind("# KM301: ", 0) == 0);
    CHECK(run(kafkamesh() + " explain-code KM999").exit == 2);
}
