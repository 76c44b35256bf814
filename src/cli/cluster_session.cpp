#include "cli/cluster_session.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "admin/command_config.h"
#include "admin/plan_report.h"
#include "cli/reporting.h"
#include "util/strings.h"

namespace km::cli {
namespace {

using diag::Code;

/// The --command-config file: its settings, with positions in a copy whose values are masked
/// (a diagnostic quotes its line, and the line may hold a password).
std::optional<std::vector<admin::Setting>> read_command_config(const std::string& path,
                                                               Session& session) {
    std::ifstream in(path, std::ios::binary);
    constexpr std::size_t limit = 1 << 20;
    std::string text(limit + 1, '\0');
    if (in) {
        in.read(text.data(), static_cast<std::streamsize>(text.size()));
        text.resize(static_cast<std::size_t>(in.gcount()));
    }
    if (!in && !in.eof()) {
        session.sink.report(Code::KM002, {},
                            fmt::format("cannot read the --command-config file '{}'", path));
        return std::nullopt;
    }
    if (text.size() > limit) {
        session.sink.report(
            Code::KM002, {},
            fmt::format("the --command-config file '{}' is larger than 1 MiB", path));
        return std::nullopt;
    }
    std::uint32_t file = session.sources.add(path, admin::masked_properties(text));
    std::vector<admin::Setting> settings = admin::read_properties(text, file, session.sink);
    if (session.sink.has_errors()) {
        return std::nullopt;
    }
    return settings;
}

void add_notes(ClusterRun& run, const admin::ClusterState& state) {
    if (state.foreign_acls > 0) {
        run.notes.push_back(
            fmt::format("{} ACL{} of {} principal{} outside the ownership left alone",
                        state.foreign_acls, state.foreign_acls == 1 ? "" : "s",
                        state.foreign_principals, state.foreign_principals == 1 ? "" : "s"));
    }
    if (state.unreadable_acls > 0) {
        run.notes.push_back(fmt::format(
            "{} ACL{} of owned principals on resources this librdkafka cannot name left alone",
            state.unreadable_acls, state.unreadable_acls == 1 ? "" : "s"));
    }
    if (!run.want.quota_principals.empty()) {
        run.notes.push_back(fmt::format(
            "quotas left alone: librdkafka has no client-quota Admin API ({} principal{} "
            "declare{} quotas; the KafkaUsers of compile carry them)",
            run.want.quota_principals.size(), run.want.quota_principals.size() == 1 ? "" : "s",
            run.want.quota_principals.size() == 1 ? "s" : ""));
    }
    if (!run.plan.deletable_topics.empty()) {
        run.notes.push_back(fmt::format(
            "{} topic{} inside kafka.ownership.topics no longer declared, kept: {} "
            "(--delete-topics deletes them)",
            run.plan.deletable_topics.size(), run.plan.deletable_topics.size() == 1 ? "" : "s",
            util::join(run.plan.deletable_topics, " ")));
    }
}

/// Connects and reads; false (diagnostics reported) when it cannot.
bool read_cluster(const ClusterArgs& args, ClusterRun& run) {
    if (!admin::Cluster::load_library(run.session.sink)) {
        return false;
    }
    admin::ConnectOptions options;
    options.bootstrap = args.bootstrap;
    options.timeout = std::chrono::milliseconds(
        static_cast<long long>(std::llround(args.timeout_seconds * 1000)));
    if (!args.command_config.empty()) {
        auto java = read_command_config(args.command_config, run.session);
        if (!java) {
            return false;
        }
        auto settings =
            admin::translate_settings(*java, admin::Cluster::library_version(), run.session.sink);
        if (!settings) {
            return false;
        }
        options.settings = std::move(*settings);
    }
    run.cluster = admin::Cluster::open(options, run.session.sink);
    if (!run.cluster) {
        return false;
    }
    std::optional<admin::ClusterState> state =
        run.cluster->read(run.want.ownership, run.session.sink);
    if (!state) {
        return false;
    }
    admin::PlanOptions plan_options;
    plan_options.delete_topics = args.delete_topics;
    plan_options.transactional_ids = admin::Cluster::transactional_ids_supported();
    run.plan = admin::compute_plan(run.want, *state, plan_options);
    add_notes(run, *state);
    return true;
}

}  // namespace

void add_cluster_options(CLI::App& cmd, ClusterArgs& args) {
    add_topology_inputs(cmd, args.inputs);
    cmd.add_option("--bootstrap-server", args.bootstrap,
                   "The cluster's brokers, HOST:PORT[,HOST:PORT...]")
        ->required();
    cmd.add_option("--command-config", args.command_config,
                   "Client settings as a Java properties file, as Kafka's tools take it")
        ->check(CLI::ExistingFile);
    cmd.add_option("--timeout", args.timeout_seconds,
                   "Seconds each call to the cluster may take (default 30)")
        ->check(CLI::Range(0.1, 3600.0));
    cmd.add_option("--format", args.format, "text, markdown or json")
        ->check(CLI::IsMember({"text", "markdown", "json"}));
    cmd.add_flag("--delete-topics", args.delete_topics,
                 "Also delete topics inside kafka.ownership.topics that the topology no longer "
                 "declares");
    add_env_option(cmd, args.environment);
}

ExitCode cluster_exit_code(const diag::DiagnosticSink& sink) {
    for (Code io : {Code::KM801, Code::KM802, Code::KM806, Code::KM809, Code::KM811}) {
        if (sink.has(io)) {
            return ExitCode::io;
        }
    }
    for (Code usage : {Code::KM803, Code::KM804}) {
        if (sink.has(usage)) {
            return ExitCode::usage;
        }
    }
    return exit_code_for(sink);
}

std::variant<std::unique_ptr<ClusterRun>, ExitCode> prepare_cluster_run(const ClusterArgs& args,
                                                                        const char* command) {
    auto run = std::make_unique<ClusterRun>();
    run->session.environment = args.environment;
    run->front = run_front_end(args.inputs, run->session);
    if (run->front) {
        run->want = admin::desired_state(run->front->topology, run->front->graph);
    }
    if (!run->front || !read_cluster(args, *run)) {
        print_cluster_notes(*run, command);
        return cluster_exit_code(run->session.sink);
    }
    admin::PlanInputs in{run->plan,
                         run->want,
                         run->front->topology,
                         run->front->graph,
                         run->session.sources,
                         "cluster " + args.bootstrap,
                         util::join(args.inputs, " ")};
    run->report = admin::plan_report(in);
    return run;
}

void print_cluster_notes(const ClusterRun& run, const char* command) {
    print_diagnostics(run.session, {});
    for (const std::string& note : run.notes) {
        std::fprintf(stderr, "kafkamesh %s: note: %s\n", command, note.c_str());
    }
}

}  // namespace km::cli
