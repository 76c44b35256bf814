// kafkamesh graph: who talks to whom, as Graphviz DOT or a Mermaid flowchart.
#include <fmt/format.h>

#include <memory>

#include "cli/commands.h"
#include "cli/reporting.h"
#include "review/picture.h"

namespace km::cli {
namespace {

struct GraphArgs {
    std::vector<std::string> inputs;
    std::string format = "dot";
    std::string service;
    std::string topic;
    std::size_t max_nodes = 250;
    std::string environment;
};

ExitCode run_graph(const GraphArgs& args) {
    Session session;
    session.environment = args.environment;
    std::variant<FrontEnd, ExitCode> loaded = front_end_or_exit(args.inputs, session);
    if (const ExitCode* failed = std::get_if<ExitCode>(&loaded)) {
        return *failed;
    }
    const FrontEnd& front = std::get<FrontEnd>(loaded);
    review::QueryContext context{front.topology, front.graph, session.sources};
    if (!args.service.empty() && !review::find_service_identity(context, args.service)) {
        auto& d = session.sink.report(diag::Code::KM305, {},
                                      fmt::format("no service '{}' is declared", args.service));
        diag::add_help(d, "name the service as 'namespace/name'");
        print_diagnostics(session, {});
        return ExitCode::findings;
    }
    review::Picture picture = review::access_picture(context, {args.service, args.topic});
    if (picture.nodes.size() > args.max_nodes) {
        // A picture of thousands of boxes helps nobody and takes a renderer minutes to lay out.
        auto& d =
            session.sink.report(diag::Code::KM040, {},
                                fmt::format("the picture has {} nodes, more than --max-nodes {}",
                                            picture.nodes.size(), args.max_nodes));
        diag::add_help(d,
                       "draw one service or topic and its neighbours with --service NS/NAME or "
                       "--topic NAME, or raise --max-nodes");
        print_diagnostics(session, {});
        return ExitCode::findings;
    }
    print_diagnostics(session, {});  // warnings only
    return write_result(args.format == "mermaid" ? review::render_mermaid(picture)
                                                 : review::render_dot(picture));
}

}  // namespace

void register_graph(CLI::App& app, ExitCode& result) {
    auto args = std::make_shared<GraphArgs>();
    CLI::App* cmd = app.add_subcommand(
        "graph", "Draw who talks to whom: services, topics and prefixes as DOT or Mermaid");
    cmd->footer(
        "Identities are grouped by namespace; an edge runs from a producer to its topic and from\n"
        "a topic to its consumer, labelled with the recipe and the operations Kafka allows.\n"
        "Denies are red and dashed, a prefix has dashed edges to the declared topics it covers,\n"
        "and super users have a bold border and an edge to the cluster.\n"
        "\n"
        "Examples:\n"
        "  kafkamesh graph topology/ | dot -Tsvg > access.svg\n"
        "  kafkamesh graph topology/ --format mermaid --service shop/checkout\n"
        "  kafkamesh graph topology/ --topic orders");
    cmd->add_option("inputs", args->inputs, "Topology files or directories of *.yaml files")
        ->required();
    cmd->add_option("--format", args->format, "dot (Graphviz) or mermaid")
        ->check(CLI::IsMember({"dot", "mermaid"}));
    cmd->add_option("--service", args->service,
                    "Draw only this service (namespace/name), its resources and who shares them");
    cmd->add_option("--topic", args->topic,
                    "Draw only this topic, the prefixes covering it and who uses them");
    cmd->add_option("--max-nodes", args->max_nodes,
                    "Refuse a picture with more nodes than this (default 250)");
    add_env_option(*cmd, args->environment);
    cmd->get_option("--service")->excludes("--topic");
    cmd->callback([args, &result] { result = run_graph(*args); });
}

}  // namespace km::cli
