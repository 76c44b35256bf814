// What `plan` and `apply` share: their options (named as kafka-acls.sh and kafka-topics.sh name
// them), and the run up to the plan: topology, client settings, connection, read, plan.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "admin/desired_state.h"
#include "admin/kafka_admin.h"
#include "admin/reconcile.h"
#include "cli/exit_code.h"
#include "diff/diff_report.h"
#include "pipeline.h"

namespace km::cli {

struct ClusterArgs {
    std::vector<std::string> inputs;
    std::string bootstrap;
    std::string command_config;
    double timeout_seconds = 30;
    std::string format = "text";
    std::string environment;
    bool delete_topics = false;
    // plan only
    bool exit_code = false;
    std::string fail_on;
};

/// Registers the options both commands take.
void add_cluster_options(CLI::App& command, ClusterArgs& args);

/// Everything read and decided before anything is changed.
struct ClusterRun {
    Session session;
    std::optional<FrontEnd> front;
    admin::DesiredState want;
    std::unique_ptr<admin::Cluster> cluster;
    admin::Plan plan;
    diff::DiffReport report;
    std::vector<std::string> notes;  ///< what is left alone, for stderr
};

/// The run up to the plan; the exit code (diagnostics printed) when it cannot get there.
/// `command` names the command in messages ("plan", "apply").
std::variant<std::unique_ptr<ClusterRun>, ExitCode> prepare_cluster_run(const ClusterArgs& args,
                                                                        const char* command);

/// Prints the run's diagnostics and notes on stderr.
void print_cluster_notes(const ClusterRun& run, const char* command);

/// exit_code_for, with the codes of plan and apply: the cluster unavailable or refusing (KM801,
/// KM802, KM806, KM809) or no librdkafka to reach it with (KM811) is 3, a --command-config the
/// client cannot take (KM803, KM804) is 2.
ExitCode cluster_exit_code(const diag::DiagnosticSink& sink);

}  // namespace km::cli
