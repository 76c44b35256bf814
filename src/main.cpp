// kafkamesh: dispatch only. Commands live in cli/, the compile pipeline in pipeline.cpp.
#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdio>
#include <exception>
#include <iostream>

#include "cli/commands.h"
#include "cli/product_version.h"

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
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e, std::cout, std::cerr);
        if (code == 0) {
            return 0;  // --help
        }
        std::cerr << "run 'kafkamesh --help' for usage\n";
        return static_cast<int>(ExitCode::usage);
    } catch (const std::exception& e) {
        std::fprintf(stderr,
                     "kafkamesh: error[KM001]: internal error: %s\nthis is a bug in kafkamesh\n",
                     e.what());
        return static_cast<int>(ExitCode::internal);
    }
    return static_cast<int>(result);
}
