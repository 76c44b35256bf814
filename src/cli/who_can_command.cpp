// kafkamesh who-can: every identity Kafka's authorizer lets do one operation on one resource.
#include <fmt/format.h>

#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "cli/reporting.h"
#include "cli/review_support.h"

namespace km::cli {
namespace {

struct WhoCanArgs {
    std::string input;
    std::string operation;
    std::string resource_type;
    std::string name;
    std::string format = "text";
    bool warnings_as_errors = false;
};

std::optional<model::ResourceType> parse_resource_type(const std::string& text) {
    for (model::ResourceType t :
         {model::ResourceType::cluster, model::ResourceType::group, model::ResourceType::topic,
          model::ResourceType::transactional_id}) {
        if (model::resource_type_name(t) == text) {
            return t;
        }
    }
    return std::nullopt;
}

ExitCode run_who_can(const WhoCanArgs& args) {
    std::optional<model::Operation> op = model::parse_operation(args.operation);
    std::optional<model::ResourceType> type = parse_resource_type(args.resource_type);
    if (!op || !type || !model::operation_valid_for(*type, *op)) {
        std::string what =
            !op     ? fmt::format("unknown operation '{}' (Strimzi spelling: {})", args.operation,
                                  fmt::join(model::operation_names(), ", "))
            : !type ? fmt::format(
                          "unknown resource type '{}' (topic, group, cluster, "
                          "transactionalId)",
                          args.resource_type)
                    : fmt::format("operation '{}' does not apply to a {}", args.operation,
                                  args.resource_type);
        std::fprintf(stderr, "kafkamesh who-can: %s\nrun 'kafkamesh who-can --help' for usage\n",
                     what.c_str());
        return ExitCode::usage;
    }
    Session session;
    session.warnings_as_errors = args.warnings_as_errors;
    std::variant<FrontEnd, ExitCode> loaded = front_end_or_exit({args.input}, session);
    if (const ExitCode* failed = std::get_if<ExitCode>(&loaded)) {
        return *failed;
    }
    print_diagnostics(session, {});  // warnings only
    const FrontEnd& front = std::get<FrontEnd>(loaded);
    review::QueryContext context{front.topology, front.graph, session.sources};
    return write_result(review::who_can(context, *op, *type, args.name, parse_format(args.format)));
}

}  // namespace

void register_who_can(CLI::App& app, ExitCode& result) {
    auto args = std::make_shared<WhoCanArgs>();
    CLI::App* cmd = app.add_subcommand(
        "who-can", "List every identity Kafka allows an operation on a resource, with the reason");
    cmd->footer(
        "Examples:\n"
        "  kafkamesh who-can topology.yaml Read topic orders\n"
        "  kafkamesh who-can topology.yaml Describe group checkout --format json");
    cmd->add_option("topology", args->input, "A topology file or directory")->required();
    cmd->add_option("operation", args->operation, "Read, Write, Describe, ... (Strimzi spelling)")
        ->required();
    cmd->add_option("resource-type", args->resource_type,
                    "topic, group, cluster or transactionalId")
        ->required();
    cmd->add_option("name", args->name, "The resource name ('kafka-cluster' for the cluster)")
        ->required();
    add_warnings_as_errors_flag(*cmd, args->warnings_as_errors);
    cmd->add_option("--format", args->format, "text, markdown or json")
        ->check(CLI::IsMember({"text", "markdown", "json"}));
    cmd->callback([args, &result] { result = run_who_can(*args); });
}

}  // namespace km::cli
