// kafkamesh compile: topology -> manifests on stdout, or a GitOps-ready directory under -o DIR.
#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "cli/commands.h"
#include "cli/output_layout.h"
#include "cli/reporting.h"
#include "emit/manifest_writer.h"

namespace km::cli {
namespace {

/// How much of the stream a compile to standard output holds in memory before the rest waits in
/// a spool: about 450 services' documents, so that most topologies never make the file.
constexpr std::size_t k_stream_held_in_memory = 1024 * 1024;

struct CompileArgs {
    std::vector<std::string> inputs;
    std::string output_dir;
    std::vector<std::string> only;
    std::string templates_dir;
    std::string helm_release;
    std::string layout = "by-kind";
    bool print_prune_allowlist = false;
    std::size_t max_diagnostics = 50;
    bool adopt = false;
    bool warnings_as_errors = false;
    std::string environment;
};

ExitCode run_compile(const CompileArgs& args) {
    Session session;
    session.warnings_as_errors = args.warnings_as_errors;
    session.environment = args.environment;
    CompileOptions options;
    if (!args.templates_dir.empty()) {
        options.templates_dir = args.templates_dir;
    }
    bool helm_values =
        std::find(args.only.begin(), args.only.end(), "helm-values") != args.only.end();
    if (helm_values && args.output_dir.empty() && args.only.size() > 1) {
        std::fputs(
            "kafkamesh: error: '--only helm-values' prints the chart's values alone; it cannot be "
            "combined with other groups on standard output\nrun 'kafkamesh --help' for usage\n",
            stderr);
        return ExitCode::usage;
    }
    if (!args.only.empty()) {
        options.groups = 0;
        for (const std::string& group : args.only) {
            options.groups |= static_cast<emit::Groups>(
                group == "namespaces" ? emit::Group::namespaces
                : group == "mesh"     ? emit::Group::mesh
                                      : emit::Group::kafka);  // kafka, helm-values
        }
    }
    options.helm_values_requested = helm_values;
    options.helm_values_written = helm_values || !args.output_dir.empty();
    if (args.helm_release == "flux") {
        options.helm_release = emit::HelmRelease::flux;
    }
    ReportOptions report;
    report.max_diagnostics = args.max_diagnostics;
    // Nothing is written before every document has passed its checks: the stream's texts past
    // the first MiB wait in a temporary file rather than in memory (util/spool.h). Without
    // one, they all wait in memory.
    std::unique_ptr<util::Spool> spool;
    if (args.output_dir.empty() && !helm_values && !args.print_prune_allowlist) {
        spool = util::Spool::open(k_stream_held_in_memory);
        options.spool = spool.get();
    }
    std::optional<emit::Output> output = compile_output(args.inputs, options, session);
    if (!output) {
        print_diagnostics(session, report);
        return exit_code_for(session.sink);
    }
    if (args.print_prune_allowlist) {
        print_diagnostics(session, report);  // warnings only
        std::string text;
        for (const std::string& entry : output->prune_allowlist) {
            text += "--prune-allowlist=" + entry + "\n";
        }
        return write_stdout(text) ? ExitCode::ok : stdout_failed();
    }
    if (args.output_dir.empty()) {
        print_diagnostics(session, report);  // warnings only
        // The values are not a Kubernetes document: they never join the stream.
        bool written =
            helm_values ? write_stdout(output->helm_values ? emit::write_yaml(*output->helm_values)
                                                           : std::string())
                        : write_manifests_to_stdout(output->manifests);
        return written ? ExitCode::ok : stdout_failed();
    }
    if (helm_values && args.only.size() == 1) {
        output->manifests.clear();  // the values alone, as on standard output
    }
    bool written = write_output_directory(
        args.output_dir,
        layout_output(std::move(*output),
                      args.layout == "by-namespace" ? Layout::by_namespace : Layout::by_kind),
        session, {}, args.adopt ? Foreign::adopt : Foreign::refuse);
    print_diagnostics(session, report);
    return written ? ExitCode::ok : exit_code_for(session.sink);
}

}  // namespace

void register_compile(CLI::App& app, ExitCode& result) {
    auto args = std::make_shared<CompileArgs>();
    CLI::App* cmd =
        app.add_subcommand("compile", "Compile a topology into Istio and Kafka manifests");
    cmd->footer(
        "Examples:\n"
        "  kafkamesh compile topology.yaml | kubectl apply --prune -l kafkamesh.io/topology=NAME "
        "\\\n"
        "      $(kafkamesh compile topology.yaml --print-prune-allowlist) -f -\n"
        "  kafkamesh compile topology/ -o manifests/ && kubectl apply --prune \\\n"
        "      -l kafkamesh.io/topology=NAME $(kafkamesh compile topology/ "
        "--print-prune-allowlist) \\\n"
        "      -k manifests/\n"
        "  kafkamesh compile topology.yaml --only mesh\n"
        "  kafkamesh compile topology/ --env dev -o manifests-dev/   # environments.dev applied\n"
        "  kafkamesh compile topology.yaml --only helm-values > values.yaml\n"
        "NAME is the topology's metadata.name: every document carries the label\n"
        "kafkamesh.io/topology=NAME, so the prune deletes what the topology no longer declares.\n"
        "Namespace, KafkaTopic, Kafka, KafkaNodePool and HelmRelease are never on the allowlist\n"
        "(deleting them deletes data or workloads): delete one by hand when that is meant.");
    add_topology_inputs(*cmd, args->inputs);
    CLI::Option* output_dir =
        cmd->add_option("-o,--output", args->output_dir,
                        "Write one file per kind and namespace, a kustomization.yaml and "
                        "(Bitnami) helm/values.yaml into this directory instead of stdout");
    cmd->add_option("--layout", args->layout,
                    "With -o: by-kind (the default), or by-namespace: a team's KafkaUsers, the "
                    "topics it produces and the mesh documents of its namespace go under "
                    "teams/<namespace>/, for CODEOWNERS")
        ->check(CLI::IsMember({"by-kind", "by-namespace"}))
        ->needs(output_dir);
    cmd->add_flag("--adopt", args->adopt,
                  "With -o, when DIR/.kafkamesh was lost: take over the files kafkamesh would "
                  "write that it recognises as its own (same content, or its managed-by label)");
    cmd->add_option("--only", args->only,
                    "Emit only these groups (repeatable, or a comma list: --only mesh,kafka); "
                    "helm-values prints the Bitnami chart's values alone")
        ->delimiter(',')
        ->check(CLI::IsMember({"namespaces", "mesh", "kafka", "helm-values"}));
    cmd->add_option("--helm-release", args->helm_release,
                    "Wrap the Bitnami chart's values in a HelmRelease of this GitOps tool")
        ->check(CLI::IsMember({"flux"}));
    cmd->add_flag("--print-prune-allowlist", args->print_prune_allowlist,
                  "Print the --prune-allowlist flags of 'kubectl apply --prune' for this "
                  "topology, one per line, instead of the manifests");
    cmd->add_option(
        "--templates", args->templates_dir,
        "Directory of <Kind>.yaml templates adding labels and annotations to every document");
    add_max_diagnostics_option(*cmd, args->max_diagnostics);
    add_warnings_as_errors_flag(*cmd, args->warnings_as_errors);
    add_env_option(*cmd, args->environment);
    cmd->callback([args, &result] { result = run_compile(*args); });
}

}  // namespace km::cli
