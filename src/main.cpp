// kafkamesh: dispatch only. Commands live in cli/, the compile pipeline in pipeline.cpp.
#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/product_version.h"

namespace {

// `kafkamesh help [COMMAND]` answers as `kafkamesh [COMMAND] --help`, as `helm help` and
// `kubectl help` do; everything else passes through unchanged.
std::vector<std::string> with_help_rewritten(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (!args.empty() && args.front() == "help") {
        args.erase(args.begin());
        args.push_back("--help");
    }
    return args;
}

// The deepest subcommand the parse reached, so a usage error names the command it belongs to.
std::string command_path(const CLI::App& app) {
    std::string path = "kafkamesh";
    const CLI::App* at = &app;
    while (true) {
        auto parsed = at->get_subcommands();
        if (parsed.empty()) {
            return path;
        }
        at = parsed.front();
        path += " " + at->get_name();
    }
}

// One usage error reads as one message and one hint: "kafkamesh CMD: what\nrun ... --help".
int report_usage_error(const CLI::App& app, const CLI::ParseError& e) {
    std::string path = command_path(app);
    std::string what = e.what();
    if (path == "kafkamesh" && e.get_name() == "RequiredError") {
        what = "a command is required";
    }
    std::cerr << path << ": " << what << "\nrun '" << path << " --help' for usage\n";
    return static_cast<int>(km::cli::ExitCode::usage);
}

// A first word that is neither an option nor a command is named as such (CLI11 would only say
// that a subcommand is required).
bool unknown_command(const CLI::App& app, const std::vector<std::string>& args) {
    if (args.empty() || args.front().empty() || args.front().front() == '-') {
        return false;
    }
    for (const CLI::App* sub : app.get_subcommands({})) {
        if (sub->check_name(args.front())) {
            return false;
        }
    }
    std::cerr << "kafkamesh: unknown command '" << args.front()
              << "'\nrun 'kafkamesh --help' for the list of commands\n";
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    // A closed pipe (kafkamesh compile ... | head) surfaces as a failed write, which ends the
    // command quietly with exit 141 (reporting.cpp stdout_failed), after its own clean-up.
    std::signal(SIGPIPE, SIG_IGN);
    using km::cli::ExitCode;
    CLI::App app{"kafkamesh: compile one topology into Istio and Kafka policy that agree",
                 "kafkamesh"};
    app.require_subcommand(1);
    // `kafkamesh --version` as other tools answer it: one line; `kafkamesh version` says more.
    app.set_version_flag("--version",
                         std::string("kafkamesh ") + std::string(km::cli::product_version()),
                         "Print the kafkamesh version and exit");
    ExitCode result = ExitCode::ok;
    km::cli::register_compile(app, result);
    km::cli::register_validate(app, result);
    km::cli::register_diff(app, result);
    km::cli::register_drift(app, result);
    km::cli::register_plan(app, result);
    km::cli::register_apply(app, result);
    km::cli::register_import(app, result);
    km::cli::register_explain(app, result);
    km::cli::register_who_can(app, result);
    km::cli::register_access(app, result);
    km::cli::register_client_config(app, result);
    km::cli::register_graph(app, result);
    km::cli::register_init(app, result);
    km::cli::register_schema(app, result);
    km::cli::register_explain_code(app, result);
    km::cli::register_version(app, result);
    km::cli::register_completion(app, result);
    std::vector<std::string> args = with_help_rewritten(argc, argv);
    if (unknown_command(app, args)) {
        return static_cast<int>(ExitCode::usage);
    }
    try {
        std::vector<std::string> reversed(args.rbegin(), args.rend());
        app.parse(reversed);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0) {
            return app.exit(e, std::cout, std::cerr);  // --help, --version
        }
        return report_usage_error(app, e);
    } catch (const std::exception& e) {
        std::fprintf(stderr,
                     "kafkamesh: error[KM001]: internal error: %s\nthis is a bug in kafkamesh\n",
                     e.what());
        return static_cast<int>(ExitCode::internal);
    }
    return static_cast<int>(result);
}
