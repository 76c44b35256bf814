// The commands around the compiler, run as a user runs them: completion scripts cover every
// subcommand and option of --help, the man page too, init never overwrites without --force.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
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
        for (const auto& command : commands) {
            // doctest's CAPTURE takes its argument into a lambda: no structured binding (clang 14)
            const std::string& name = command.first;
            const auto& flags = command.second;
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
    for (const auto& command : commands_from_help()) {
        const std::string& name = command.first;
        const auto& flags = command.second;
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

TEST_CASE("import -o refuses to overwrite unless --force, and writes the modeline's schema") {
    const std::string live =
        "apiVersion: kafka.strimzi.io/v1\nkind: KafkaUser\n"
        "metadata: {name: shop-checkout, namespace: kafka}\n"
        "spec: {authentication: {type: scram-sha-512}}\n";
    km::test::ScratchDir dir(std::map<std::string, std::string>{
        {"live.yaml", live}, {"out/replace-me.yaml", "# mine\n"}});
    Run refused = run(kafkamesh() + " import live.yaml -o out", dir.path());
    CHECK(refused.exit == 3);
    CHECK(read_file(dir.path("out/replace-me.yaml")) == "# mine\n");
    CHECK(!std::filesystem::exists(dir.path("out/platform.yaml")));
    CHECK(!std::filesystem::exists(dir.path("out/topology.schema.json")));

    Run forced = run(kafkamesh() + " import live.yaml -o out --force", dir.path());
    CHECK(forced.exit == 0);
    for (const char* file : {"out/platform.yaml", "out/replace-me.yaml"}) {
        CAPTURE(file);
        CHECK(read_file(dir.path(file))
                  .rfind("# yaml-language-server: $schema=topology.schema.json\n", 0) == 0);
    }
    CHECK(read_file(dir.path("out/topology.schema.json")) ==
          std::string(km::cli::builtin_schema()));
    CHECK(run(kafkamesh() + " validate out", dir.path()).exit == 0);

    Run stdout_import = run(kafkamesh() + " import live.yaml", dir.path());
    CHECK(stdout_import.out.rfind("# yaml-language-server: $schema=topology.schema.json\n", 0) ==
          0);
    // Nothing to import: an error, nothing printed.
    dir.write("empty.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
    Run empty = run(kafkamesh() + " import empty.yaml", dir.path());
    CHECK(empty.exit == 1);
    CHECK(empty.out.empty());
}

TEST_CASE("init --team writes a lists-only file that validates next to a platform file") {
    km::test::ScratchDir dir(
        std::map<std::string, std::string>{{"topology/topology.schema.json", "{}\n"}});
    REQUIRE(run(kafkamesh() + " init topology/platform.yaml --force", dir.path()).exit == 0);
    // The schema now exists: a team file keeps it rather than refusing (KM020) or replacing it.
    std::string schema = read_file(dir.path("topology/topology.schema.json"));
    Run team = run(kafkamesh() + " init topology/team-billing.yaml --team billing", dir.path());
    CHECK(team.exit == 0);
    CHECK(team.out.find("kept topology/topology.schema.json") != std::string::npos);
    CHECK(read_file(dir.path("topology/topology.schema.json")) == schema);
    std::string text = read_file(dir.path("topology/team-billing.yaml"));
    CHECK(text.rfind("# yaml-language-server: $schema=topology.schema.json\n", 0) == 0);
    for (const char* platform_only : {"\nmetadata:", "\nmesh:", "\nkafka:"}) {
        CHECK(text.find(platform_only) == std::string::npos);
    }
    // Clean: not a warning, and no KM312 for a second metadata, mesh or kafka.
    Run checked = run("{ { " + kafkamesh() + " validate topology; } 2>&1; }", dir.path());
    CHECK(checked.exit == 0);
    CHECK(checked.out == "ok: 2 files, 4 services, 3 topics, 0 warnings\n");
    // The default path, and a name that is no namespace.
    CHECK(run(kafkamesh() + " init --team ops", dir.path()).exit == 0);
    CHECK(std::filesystem::exists(dir.path("team-ops.yaml")));
    CHECK(run(kafkamesh() + " init x.yaml --team Ops", dir.path()).exit == 2);
    CHECK(!std::filesystem::exists(dir.path("x.yaml")));
}

TEST_CASE("the Bitnami starter says how to apply the chart's values, not kubectl alone") {
    std::string text =
        km::cli::starter_topology(km::cli::Distribution::bitnami, "topology.schema.json");
    CHECK(text.find("| kubectl apply -f -") == std::string::npos);
    CHECK(text.find("-f manifests/helm/values.yaml") != std::string::npos);
}

TEST_CASE("--version, - for standard input, --only as a comma list") {
    Run version = run(kafkamesh() + " --version");
    CHECK(version.exit == 0);
    CHECK(version.out.rfind("kafkamesh ", 0) == 0);
    CHECK(std::count(version.out.begin(), version.out.end(), '\n') == 1);

    std::string example =
        std::string(KAFKAMESH_SOURCE_DIR) + "/examples/consol-istio-tutorial/topology.yaml";
    Run from_file = run(kafkamesh() + " compile '" + example + "'");
    Run from_stdin = run(kafkamesh() + " compile - < '" + example + "'");
    CHECK(from_file.exit == 0);
    CHECK(from_stdin.exit == 0);
    CHECK(from_stdin.out == from_file.out);
    CHECK(run(kafkamesh() + " validate - < '" + example + "'").exit == 0);
    Run bad = run("{ { printf 'kind: Topology\\n' | " + kafkamesh() + " validate -; } 2>&1; }");
    CHECK(bad.exit == 1);
    CHECK(bad.out.rfind("<stdin>:", 0) == 0);

    Run repeated = run(kafkamesh() + " compile '" + example + "' --only mesh --only kafka");
    Run listed = run(kafkamesh() + " compile '" + example + "' --only mesh,kafka");
    CHECK(listed.exit == 0);
    CHECK(listed.out == repeated.out);
    CHECK(run(kafkamesh() + " compile '" + example + "' --only mesh,nope").exit == 2);
}

TEST_CASE("help answers like --help, and a usage error names its command and gives one hint") {
    Run top = run(kafkamesh() + " --help");
    Run help = run(kafkamesh() + " help");
    CHECK(help.exit == 0);
    CHECK(help.out == top.out);
    Run compile_help = run(kafkamesh() + " help compile");
    CHECK(compile_help.exit == 0);
    CHECK(compile_help.out == run(kafkamesh() + " compile --help").out);

    // stderr into stdout: one message line and one hint line, naming the command.
    Run missing = run("{ " + kafkamesh() + " validate 2>&1; }");
    CHECK(missing.exit == 2);
    CHECK(missing.out ==
          "kafkamesh validate: inputs is required\nrun 'kafkamesh validate --help' for usage\n");
    Run none = run("{ " + kafkamesh() + " 2>&1; }");
    CHECK(none.exit == 2);
    CHECK(std::count(none.out.begin(), none.out.end(), '\n') == 2);
    Run unknown = run("{ " + kafkamesh() + " complie x.yaml 2>&1; }");
    CHECK(unknown.exit == 2);
    CHECK(unknown.out.find("unknown command 'complie'") != std::string::npos);
}

TEST_CASE("validate says ok on stderr after a success, in every format, unless --quiet") {
    std::string example = std::string(KAFKAMESH_SOURCE_DIR) + "/examples/multi-team";
    // Not a terminal: the line is printed all the same, so a CI log shows the success.
    Run text = run("{ { " + kafkamesh() + " validate '" + example + "' < /dev/null; } 2>&1; }");
    CHECK(text.exit == 0);
    CHECK(text.out.rfind("ok: 5 files, ", 0) == 0);
    CHECK(std::count(text.out.begin(), text.out.end(), '\n') == 1);
    for (const char* quiet : {"-q", "--quiet"}) {
        CAPTURE(quiet);
        Run silent =
            run("{ { " + kafkamesh() + " validate '" + example + "' " + quiet + "; } 2>&1; }");
        CHECK(silent.exit == 0);
        CHECK(silent.out.empty());
    }
    // The flag that once asked for the line is still accepted.
    CHECK(run(kafkamesh() + " validate '" + example + "' --summary").exit == 0);
    for (const char* format : {"json", "github", "sarif"}) {
        CAPTURE(format);
        // Standard output stays the machine format's alone; the line goes to stderr.
        Run out = run(kafkamesh() + " validate '" + example + "' --format " + format);
        CHECK(out.out.find("ok: ") == std::string::npos);
        Run err = run("{ " + kafkamesh() + " validate '" + example + "' --format " + format +
                      " 2>&1 >/dev/null; }");
        CHECK(err.out.rfind("ok: 5 files, ", 0) == 0);
    }
    // Not after a failure.
    Run bad = run("{ { printf 'kind: Topology\\n' | " + kafkamesh() + " validate -; } 2>&1; }");
    CHECK(bad.exit == 1);
    CHECK(bad.out.find("ok: ") == std::string::npos);
}

TEST_CASE("diff --format markdown links the risk flags' positions inside a GitHub Actions job") {
    km::test::ScratchDir dir;
    std::string golden = std::string(KAFKAMESH_SOURCE_DIR) +
                         "/golden/diff/warning.KM459-prefix-covers-denied-topic/";
    dir.write("topology/base.yaml", read_file(golden + "base.yaml"));
    dir.write("topology/head.yaml", read_file(golden + "head.yaml"));
    std::string diff =
        kafkamesh() + " diff topology/base.yaml topology/head.yaml --format markdown";
    std::string job =
        "GITHUB_SERVER_URL=https://github.com GITHUB_REPOSITORY=acme/platform "
        "GITHUB_SHA=0123abcd GITHUB_WORKSPACE='" +
        dir.path() + "' ";
    Run linked = run(job + diff, dir.path());
    CHECK(linked.out.find("| KM459 | [topology/head.yaml:12:54](https://github.com/acme/platform/"
                          "blob/0123abcd/topology/head.yaml#L12) |") != std::string::npos);
    // Outside a job: plain positions.
    Run plain =
        run("env -u GITHUB_SERVER_URL -u GITHUB_REPOSITORY -u GITHUB_SHA " + diff, dir.path());
    CHECK(plain.out.find("| KM459 | topology/head.yaml:12:54 |") != std::string::npos);
    CHECK(plain.out.find("](") == std::string::npos);
    // A file outside the checkout stays plain text.
    Run outside =
        run("GITHUB_SERVER_URL=https://github.com GITHUB_REPOSITORY=acme/platform "
            "GITHUB_SHA=0123abcd GITHUB_WORKSPACE='" +
                dir.path("topology/base.yaml") + "' " + diff,
            dir.path());
    CHECK(outside.out.find("](") == std::string::npos);
}

TEST_CASE("explain-code accepts a code in any case and rejects an unknown one") {
    CHECK(run(kafkamesh() + " explain-code km301").out.rfind("# KM301: ", 0) == 0);
    CHECK(run(kafkamesh() + " explain-code KM999").exit == 2);
}

TEST_CASE(
    "plan and apply load librdkafka, and say which library failed when it cannot be (KM811)") {
    km::test::ScratchDir dir(
        {{"topology.yaml", km::test::header() + "namespaces: [{name: shop}]\n"
                                                "topics: [{name: orders}]\n"}});
    for (const char* command : {"plan", "apply"}) {
        CAPTURE(command);
        for (const char* library : {"./no-such-librdkafka.so", "libm.so.6"}) {
            CAPTURE(library);
            std::string line = fmt::format(
                "KAFKAMESH_LIBRDKAFKA='{}' {} {} topology.yaml --bootstrap-server 127.0.0.1:1 "
                "--timeout 1",
                library, kafkamesh(), command);
            Run quiet = run(line, dir.path());
            CHECK(quiet.exit == 3);
            CHECK(quiet.out.empty());  // nothing read, nothing changed, nothing printed
            std::string said = run("{ " + line + " 2>&1 >/dev/null; }", dir.path()).out;
            CHECK(said.find("[KM811]") != std::string::npos);
            // The dynamic loader's reason, or the function the library lacks.
            CHECK(said.find(std::string(library) == "libm.so.6"
                                ? "libm.so.6 has no rd_kafka_"
                                : "no-such-librdkafka.so") != std::string::npos);
        }
    }
}
