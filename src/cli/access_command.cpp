// kafkamesh access: the whole access matrix, plus the review-time checks on stderr.
#include <memory>

#include "cli/commands.h"
#include "cli/reporting.h"
#include "cli/review_support.h"
#include "review/review_checks.h"

namespace km::cli {
namespace {

struct AccessArgs {
    std::vector<std::string> inputs;
    std::string format = "text";
    std::size_t max_writers = 5;
    bool warnings_as_errors = false;
    std::string environment;
};

ExitCode run_access(const AccessArgs& args) {
    Session session;
    session.warnings_as_errors = args.warnings_as_errors;
    session.environment = args.environment;
    std::variant<FrontEnd, ExitCode> loaded = front_end_or_exit(args.inputs, session);
    if (const ExitCode* failed = std::get_if<ExitCode>(&loaded)) {
        return *failed;
    }
    const FrontEnd& front = std::get<FrontEnd>(loaded);
    review::ReviewOptions options;
    options.max_writers = args.max_writers;
    review::review_topology(front.topology, front.graph, options, session.sink);
    settle_review_warnings(session);
    print_diagnostics(session, {});
    if (session.sink.has_errors()) {
        return ExitCode::findings;  // only with --warnings-as-errors: no matrix is written
    }
    review::QueryContext context{front.topology, front.graph, session.sources};
    return write_result(review::access_matrix(context, parse_format(args.format)));
}

}  // namespace

void register_access(CLI::App& app, ExitCode& result) {
    auto args = std::make_shared<AccessArgs>();
    CLI::App* cmd = app.add_subcommand(
        "access", "Print the access matrix: every identity's effective Kafka and mesh access");
    cmd->footer(
        "Examples:\n"
        "  kafkamesh access topology.yaml\n"
        "  kafkamesh access topology/ --format csv > access.csv");
    add_topology_inputs(*cmd, args->inputs);
    add_warnings_as_errors_flag(*cmd, args->warnings_as_errors);
    add_env_option(*cmd, args->environment);
    cmd->add_option("--format", args->format, "text, markdown, json or csv")
        ->check(CLI::IsMember({"text", "markdown", "json", "csv"}));
    cmd->add_option("--max-writers", args->max_writers,
                    "Warn (KM454) when more identities than this may write one topic");
    cmd->callback([args, &result] { result = run_access(*args); });
}

}  // namespace km::cli
