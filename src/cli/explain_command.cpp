// kafkamesh explain: one service's effective Kafka and mesh access, each entry with its origin.
#include <memory>
#include <optional>

#include "cli/commands.h"
#include "cli/reporting.h"
#include "cli/review_support.h"

namespace km::cli {
namespace {

struct ExplainArgs {
    std::vector<std::string> inputs;
    std::string service;
    std::string format = "text";
    bool warnings_as_errors = false;
    std::string environment;
};

ExitCode run_explain(const ExplainArgs& args) {
    Session session;
    session.warnings_as_errors = args.warnings_as_errors;
    session.environment = args.environment;
    std::variant<FrontEnd, ExitCode> loaded = front_end_or_exit(args.inputs, session);
    if (const ExitCode* failed = std::get_if<ExitCode>(&loaded)) {
        return *failed;
    }
    const FrontEnd& front = std::get<FrontEnd>(loaded);
    review::QueryContext context{front.topology, front.graph, session.sources};
    std::optional<std::string> service = resolve_service(front, args.service, session);
    const graph::Identity* id =
        service ? review::find_service_identity(context, *service) : nullptr;
    if (!id) {
        print_diagnostics(session, {});
        return ExitCode::findings;
    }
    print_diagnostics(session, {});
    return write_result(review::explain_service(context, *service, *id, parse_format(args.format)));
}

}  // namespace

void register_explain(CLI::App& app, ExitCode& result) {
    auto args = std::make_shared<ExplainArgs>();
    CLI::App* cmd = app.add_subcommand(
        "explain", "Show a service's effective Kafka and mesh access and where each comes from");
    cmd->footer(
        "Examples:\n"
        "  kafkamesh explain topology.yaml --service shop/checkout\n"
        "  kafkamesh explain topology/ --service shop/checkout --format json\n"
        "  kafkamesh explain topology/ --service shop-checkout     # by Kafka user");
    add_topology_inputs(*cmd, args->inputs);
    add_service_option(*cmd, args->service);
    add_warnings_as_errors_flag(*cmd, args->warnings_as_errors);
    add_env_option(*cmd, args->environment);
    cmd->add_option("--format", args->format, "text, markdown or json")
        ->check(CLI::IsMember({"text", "markdown", "json"}));
    cmd->callback([args, &result] { result = run_explain(*args); });
}

}  // namespace km::cli
