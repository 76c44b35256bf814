// kafkamesh plan: what apply would change on a running cluster, in diff's shapes and risk flags.
#include <memory>

#include "cli/cluster_session.h"
#include "cli/commands.h"
#include "cli/reporting.h"
#include "cli/review_support.h"
#include "diff/diff_render.h"

namespace km::cli {
namespace {

std::string render(const ClusterArgs& args, const diff::DiffReport& report) {
    if (args.format == "json") {
        return diff::render_json(report);
    }
    if (report.changed()) {
        return args.format == "markdown" ? diff::render_markdown(report)
                                         : diff::render_text(report, use_colour(stdout));
    }
    // diff says nothing for no change; a plan says so, since "nothing" is its answer.
    std::string none = "no changes: the cluster holds what the topology declares\n";
    return args.format == "markdown"
               ? "### kafkamesh plan for a cluster\n\n`" + report.base + "` → `" + report.head +
                     "`\n\n" + none
               : "kafkamesh plan " + report.base + " " + report.head + "\n" + none;
}

ExitCode run_plan(const ClusterArgs& args) {
    auto prepared = prepare_cluster_run(args, "plan");
    if (auto* code = std::get_if<ExitCode>(&prepared)) {
        return *code;
    }
    const ClusterRun& run = *std::get<std::unique_ptr<ClusterRun>>(prepared);
    print_cluster_notes(run, "plan");
    if (!write_stdout(render(args, run.report))) {
        return stdout_failed();
    }
    if (args.fail_on == "widening") {
        return run.report.widening() ? ExitCode::findings : ExitCode::ok;
    }
    if (args.fail_on == "risk") {
        return run.report.risky() ? ExitCode::findings : ExitCode::ok;
    }
    return args.exit_code && run.report.changed() ? ExitCode::findings : ExitCode::ok;
}

}  // namespace

void register_plan(CLI::App& app, ExitCode& result) {
    auto args = std::make_shared<ClusterArgs>();
    CLI::App* cmd = app.add_subcommand(
        "plan", "Show what apply would change on a running cluster: ACLs and topics");
    cmd->footer(
        "Reads the cluster through librdkafka's Admin API and changes nothing. It owns the\n"
        "principals of the topology's identities, its topics, and kafka.ownership; ACLs of\n"
        "other principals and other topics are never part of the change.\n"
        "Examples:\n"
        "  kafkamesh plan topology/ --bootstrap-server kafka:9093 --command-config "
        "admin.properties\n"
        "  kafkamesh plan topology/ --bootstrap-server kafka:9093 --format markdown --fail-on "
        "risk\n"
        "Exit codes: 0 no change (or changes without --exit-code/--fail-on), 1 a change with\n"
        "--exit-code, a flagged change with --fail-on, or an error in the topology, 2 usage or a\n"
        "--command-config key librdkafka cannot take, 3 the cluster unavailable or refusing a\n"
        "read, or an input unavailable.");
    add_cluster_options(*cmd, *args);
    cmd->add_flag("--exit-code", args->exit_code, "Exit 1 when anything would change");
    cmd->add_option("--fail-on", args->fail_on,
                    "Exit 1 only on access widening (KM601) or on any risk flag")
        ->check(CLI::IsMember({"widening", "risk"}));
    cmd->callback([args, &result] { result = run_plan(*args); });
}

}  // namespace km::cli
