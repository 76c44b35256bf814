// kafkamesh validate: every check, every diagnostic, nothing emitted.
#include <fmt/format.h>

#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "cli/reporting.h"

namespace km::cli {
namespace {

struct ValidateArgs {
    std::vector<std::string> inputs;
    std::string format = "text";
    std::size_t max_diagnostics = 50;
    bool quiet = false;
    bool warnings_as_errors = false;
    std::string environment;
};

/// One line on stderr after a success: what was read, so that success is visible in a terminal and
/// in a CI log alike. Standard output, where the machine formats go, never carries it.
void print_summary(const Session& session, const FrontEnd& front) {
    auto plural = [](std::size_t n, std::string_view word) {
        return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
    };
    std::string line = fmt::format("ok: {}, {}, {}, {}\n", plural(session.sources.size(), "file"),
                                   plural(front.topology.services.size(), "service"),
                                   plural(front.topology.topics.size(), "topic"),
                                   plural(session.sink.warning_count(), "warning"));
    std::fputs(line.c_str(), stderr);
}

ExitCode run_validate(const ValidateArgs& args) {
    Session session;
    session.warnings_as_errors = args.warnings_as_errors;
    session.environment = args.environment;
    session.entry_sources = graph::Sources::dropped;  // it prints no entry
    ReportOptions report;
    report.format = args.format == "json"     ? DiagnosticFormat::json
                    : args.format == "github" ? DiagnosticFormat::github
                    : args.format == "sarif"  ? DiagnosticFormat::sarif
                                              : DiagnosticFormat::text;
    report.max_diagnostics = args.max_diagnostics;
    std::variant<FrontEnd, ExitCode> loaded = front_end_or_exit(args.inputs, session, report);
    if (const ExitCode* failed = std::get_if<ExitCode>(&loaded)) {
        return *failed;
    }
    ExitCode code = report_and_exit(session, report);  // warnings only
    if (code == ExitCode::ok && !args.quiet) {
        print_summary(session, std::get<FrontEnd>(loaded));
    }
    return code;
}

}  // namespace

void register_validate(CLI::App& app, ExitCode& result) {
    auto args = std::make_shared<ValidateArgs>();
    CLI::App* cmd = app.add_subcommand("validate", "Check a topology and report every problem");
    cmd->footer(
        "Examples:\n"
        "  kafkamesh validate topology.yaml\n"
        "  kafkamesh validate topology/ --format json\n"
        "  kafkamesh validate topology/ --format github    # annotations in a GitHub Actions step\n"
        "  kafkamesh validate topology/ --format sarif > kafkamesh.sarif\n"
        "  kafkamesh validate topology/ --env prod             # as environment 'prod'\n"
        "\n"
        "All files and directories given form one topology (directories: their *.yaml and *.yml "
        "files).");
    add_topology_inputs(*cmd, args->inputs);
    cmd->add_option("--format", args->format,
                    "Diagnostics as text (stderr), or json, github (workflow commands) or sarif "
                    "(SARIF 2.1.0) on stdout")
        ->check(CLI::IsMember({"text", "json", "github", "sarif"}));
    cmd->add_flag("-q,--quiet", args->quiet,
                  "Print nothing after a success (by default one line on stderr: 'ok: N files, N "
                  "services, N topics, N warnings')");
    // Once the way to ask for the line; it is printed by default now.
    cmd->add_flag("--summary")->group("");
    add_max_diagnostics_option(*cmd, args->max_diagnostics);
    add_warnings_as_errors_flag(*cmd, args->warnings_as_errors);
    add_env_option(*cmd, args->environment);
    cmd->callback([args, &result] { result = run_validate(*args); });
}

}  // namespace km::cli
