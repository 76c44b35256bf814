// kafkamesh apply: converges a running cluster's ACLs and topics on the topology.
#include <fmt/format.h>

#include <cstdio>
#include <memory>

#include "admin/apply_run.h"
#include "cli/cluster_session.h"
#include "cli/commands.h"
#include "cli/reporting.h"

namespace km::cli {
namespace {

/// KM808 for each change the dry run refused, or KM809 saying what was and was not done.
void report_failures(const admin::ApplyResult& result, Session& session) {
    using Status = admin::ChangeRecord::Status;
    if (result.refused) {
        for (const admin::ChangeRecord& c : result.changes) {
            if (c.status == Status::refused) {
                auto& d = session.sink.report(
                    diag::Code::KM808, {},
                    fmt::format("the cluster refused to {} {}: {}", c.step, c.subject, c.error));
                diag::add_note(d, {}, "nothing was changed");
            }
        }
        return;
    }
    if (result.complete()) {
        return;
    }
    const admin::ChangeRecord* failed = nullptr;
    for (const admin::ChangeRecord& c : result.changes) {
        if (c.status == Status::failed && !failed) {
            failed = &c;
        }
    }
    auto& d = session.sink.report(
        diag::Code::KM809, {},
        fmt::format("{} of {} changes made, {} failed, {} not run; the first failure: {} {}: {}",
                    result.count(Status::done), result.changes.size(), result.count(Status::failed),
                    result.count(Status::not_run), failed ? failed->step : "",
                    failed ? failed->subject : "", failed ? failed->error : ""));
    diag::add_help(d,
                   "the list on standard output says which; run apply again once the cause is "
                   "fixed: it makes only what is still missing");
}

ExitCode run_apply(const ClusterArgs& args) {
    auto prepared = prepare_cluster_run(args, "apply");
    if (auto* code = std::get_if<ExitCode>(&prepared)) {
        return *code;
    }
    ClusterRun& run = *std::get<std::unique_ptr<ClusterRun>>(prepared);
    admin::ApplyResult result = admin::apply_plan(*run.cluster, run.plan);
    report_failures(result, run.session);
    print_cluster_notes(run, "apply");
    std::string text = args.format == "json" ? admin::render_apply_json(result, run.report)
                                             : admin::render_apply_text(result, run.report);
    if (!write_stdout(text)) {
        return stdout_failed();
    }
    // ACLs this librdkafka cannot name are still the topology's: say how to place them with
    // Kafka's own tool rather than report a cluster that has converged.
    for (const std::string& line :
         admin::kafka_acls_commands(run.plan, args.bootstrap, args.command_config)) {
        std::fprintf(stderr, "kafkamesh apply: note: place with: %s\n", line.c_str());
    }
    ExitCode code = cluster_exit_code(run.session.sink);
    if (code == ExitCode::ok && result.complete() && admin::leaves_differences(run.report)) {
        std::fprintf(stderr,
                     "kafkamesh apply: the cluster differs from the topology in what apply does "
                     "not change (not applied, above)\n");
        return ExitCode::findings;
    }
    return code;
}

}  // namespace

void register_apply(CLI::App& app, ExitCode& result) {
    auto args = std::make_shared<ClusterArgs>();
    CLI::App* cmd =
        app.add_subcommand("apply", "Converge a running cluster's ACLs and topics on the topology");
    cmd->footer(
        "Makes what plan shows: creates missing ACLs and topics, adds partitions, sets topic\n"
        "configs, then deletes the stale ACLs of owned principals (and, with --delete-topics,\n"
        "topics inside kafka.ownership.topics the topology no longer declares). The broker\n"
        "validates every topic change first; nothing is changed when it refuses one. A second\n"
        "apply changes nothing. --format markdown prints as text.\n"
        "Examples:\n"
        "  kafkamesh apply topology/ --bootstrap-server kafka:9093 --command-config "
        "admin.properties\n"
        "  kafkamesh apply topology/ --bootstrap-server kafka:9093 --timeout 10 --format json\n"
        "Exit codes: 0 the cluster converged, 1 an error in the topology, a change the cluster\n"
        "refused in the dry run (nothing changed), or a difference apply does not make (listed\n"
        "as not applied; transactional-id ACLs with a librdkafka before 2.6.0, printed as\n"
        "kafka-acls.sh commands), 2 usage or a --command-config key librdkafka\n"
        "cannot take, 3 the cluster unavailable, refusing a read, or failing part-way (the\n"
        "output says what was done).");
    add_cluster_options(*cmd, *args);
    cmd->callback([args, &result] { result = run_apply(*args); });
}

}  // namespace km::cli
