// kafkamesh validate: every check, every diagnostic, nothing emitted.
#include <memory>

#include "cli/commands.h"
#include "cli/reporting.h"

namespace km::cli {
namespace {

struct ValidateArgs {
    std::vector<std::string> inputs;
    std::string format = "text";
    std::size_t max_diagnostics = 50;
    bool warnings_as_errors = false;
};

ExitCode run_validate(const ValidateArgs& args) {
    Session session;
    session.warnings_as_errors = args.warnings_as_errors;
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
    return report_and_exit(session, report);  // warnings only
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
        "\n"
        "All files and directories given form one topology (directories: their *.yaml files).");
    cmd->add_option("inputs", args->inputs, "Topology files or directories of *.yaml files")
        ->required();
    cmd->add_option("--format", args->format,
                    "Diagnostics as text (stderr), or json, github (workflow commands) or sarif "
                    "(SARIF 2.1.0) on stdout")
        ->check(CLI::IsMember({"text", "json", "github", "sarif"}));
    add_max_diagnostics_option(*cmd, args->max_diagnostics);
    add_warnings_as_errors_flag(*cmd, args->warnings_as_errors);
    cmd->callback([args, &result] { result = run_validate(*args); });
}

}  // namespace km::cli
