// kafkamesh explain: one service's effective Kafka and mesh access, each entry with its origin.
#include <fmt/format.h>

#include <fmt/ranges.h>

#include <algorithm>
#include <memory>
#include <optional>

#include "cli/commands.h"
#include "cli/reporting.h"
#include "cli/review_support.h"
#include "util/strings.h"

namespace km::cli {
namespace {

struct ExplainArgs {
    std::vector<std::string> inputs;
    std::string service;
    std::string format = "text";
    bool warnings_as_errors = false;
    std::string environment;
};

/// The service `wanted` names: `namespace/name`, a bare name that one namespace declares, or
/// the Kafka user of its identity. Reports KM007, with candidates, when none or several match.
std::optional<std::string> resolve_service(const FrontEnd& front, const std::string& wanted,
                                           Session& session) {
    std::vector<std::string> qualified;
    std::vector<std::string> same_name;
    for (const model::Service& s : front.topology.services) {
        std::string key = s.ns.value + "/" + s.name.value;
        if (key == wanted) {
            return key;
        }
        if (s.name.value == wanted) {
            same_name.push_back(key);
        }
        qualified.push_back(std::move(key));
    }
    if (same_name.size() == 1) {
        return same_name.front();
    }
    if (same_name.empty()) {
        for (const graph::Identity& id : front.graph.identities) {
            if (id.user == wanted && !id.services.empty()) {
                return id.ns + "/" + id.services.front();
            }
        }
    }
    std::sort(same_name.begin(), same_name.end());
    auto& d = session.sink.report(
        diag::Code::KM007, {},
        same_name.empty()
            ? fmt::format("no service '{}' is declared", wanted)
            : fmt::format("service '{}' is declared in {} namespaces", wanted, same_name.size()));
    if (!same_name.empty()) {
        diag::add_help(
            d, fmt::format("name one as 'namespace/name': '{}'", fmt::join(same_name, "', '")));
        return std::nullopt;
    }
    std::vector<std::string_view> candidates(qualified.begin(), qualified.end());
    if (std::optional<std::string> near = util::closest_match(wanted, candidates)) {
        diag::add_help(d, fmt::format("did you mean '{}'?", *near));
    } else {
        diag::add_help(d,
                       "name the service as 'namespace/name', by its name alone, or by its "
                       "Kafka user");
    }
    return std::nullopt;
}

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
    cmd->add_option("inputs", args->inputs,
                    "Topology files or directories of *.yaml and *.yml files (-: standard input)")
        ->required();
    cmd->add_option(
           "--service", args->service,
           "The service: namespace/name, its name alone if one namespace declares it, or its "
           "Kafka user")
        ->required();
    add_warnings_as_errors_flag(*cmd, args->warnings_as_errors);
    add_env_option(*cmd, args->environment);
    cmd->add_option("--format", args->format, "text, markdown or json")
        ->check(CLI::IsMember({"text", "markdown", "json"}));
    cmd->callback([args, &result] { result = run_explain(*args); });
}

}  // namespace km::cli
