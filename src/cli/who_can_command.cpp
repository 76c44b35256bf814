// kafkamesh who-can: every identity Kafka's authorizer lets do one operation on one resource.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "cli/reporting.h"
#include "cli/review_support.h"

namespace km::cli {
namespace {

struct WhoCanArgs {
    /// TOPOLOGY... OPERATION RESOURCE-TYPE NAME: the topology may be several paths, as for the
    /// other commands, so the last three words are the query.
    std::vector<std::string> words;
    std::string format = "text";
    bool warnings_as_errors = false;
    std::string environment;
};

bool same_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

/// A query word is a command-line argument, not topology text: `read` and `Topic` mean what
/// `Read` and `topic` mean (the topology itself keeps Strimzi's exact spelling).
std::optional<model::Operation> parse_operation_any_case(const std::string& text) {
    for (std::string_view name : model::operation_names()) {
        if (same_ignoring_case(name, text)) {
            return model::parse_operation(name);
        }
    }
    return std::nullopt;
}

std::optional<model::ResourceType> parse_resource_type(const std::string& text) {
    for (model::ResourceType t :
         {model::ResourceType::cluster, model::ResourceType::group, model::ResourceType::topic,
          model::ResourceType::transactional_id}) {
        if (same_ignoring_case(model::resource_type_name(t), text)) {
            return t;
        }
    }
    return std::nullopt;
}

ExitCode run_who_can(const WhoCanArgs& words) {
    if (words.words.size() < 4) {
        std::fputs(
            "kafkamesh who-can: expected TOPOLOGY... OPERATION RESOURCE-TYPE NAME\n"
            "run 'kafkamesh who-can --help' for usage\n",
            stderr);
        return ExitCode::usage;
    }
    struct {
        std::vector<std::string> inputs;
        std::string operation, resource_type, name, format;
    } args{{words.words.begin(), words.words.end() - 3},
           words.words[words.words.size() - 3],
           words.words[words.words.size() - 2],
           words.words.back(),
           words.format};
    std::optional<model::Operation> op = parse_operation_any_case(args.operation);
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
    session.warnings_as_errors = words.warnings_as_errors;
    session.environment = words.environment;
    std::variant<FrontEnd, ExitCode> loaded = front_end_or_exit(args.inputs, session);
    if (const ExitCode* failed = std::get_if<ExitCode>(&loaded)) {
        return *failed;
    }
    print_diagnostics(session, {});  // warnings only
    const FrontEnd& front = std::get<FrontEnd>(loaded);
    review::QueryContext context{front.topology, front.graph, session.sources};
    bool prefix = args.name.size() > 1 && args.name.back() == '*';
    if (*type == model::ResourceType::topic && !prefix && args.name != "*" &&
        std::none_of(front.topology.topics.begin(), front.topology.topics.end(),
                     [&](const model::Topic& t) { return t.name.value == args.name; })) {
        // The answer still holds for Kafka's ACLs; stderr keeps the result on stdout clean.
        std::fprintf(stderr,
                     "note: topic '%s' is not declared in the topology; the answer is what the "
                     "ACLs allow on a topic of that name\n",
                     args.name.c_str());
    }
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
        "  kafkamesh who-can topology.yaml Describe group checkout --format json\n"
        "  kafkamesh who-can topology/ read topic 'audit.*'     # every topic under audit.");
    cmd->add_option("query", args->words,
                    "TOPOLOGY... OPERATION RESOURCE-TYPE NAME: topology files or directories (-: "
                    "standard input); Read, Write, Describe, ... (any case); topic, group, cluster "
                    "or transactionalId; the name ('kafka-cluster' for the cluster, 'prefix*' for "
                    "every name with that prefix)")
        ->required();
    add_warnings_as_errors_flag(*cmd, args->warnings_as_errors);
    add_env_option(*cmd, args->environment);
    cmd->add_option("--format", args->format, "text, markdown or json")
        ->check(CLI::IsMember({"text", "markdown", "json"}));
    cmd->callback([args, &result] { result = run_who_can(*args); });
}

}  // namespace km::cli
