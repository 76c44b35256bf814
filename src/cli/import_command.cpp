// kafkamesh import: a topology from a running platform's exported state, offline.
#include <fmt/format.h>

#include <memory>

#include "cli/commands.h"
#include "cli/reporting.h"
#include "live/import_topology.h"
#include "live/live_reader.h"

namespace km::cli {
namespace {

struct ImportArgs {
    std::vector<std::string> live;
    std::string output_dir;
};

/// The topology written must validate: anything else is a bug, reported as one.
bool validates(const live::ImportResult& result, Session& session) {
    Session check;
    std::uint32_t file = check.sources.add("<imported topology>", result.single);
    if (run_front_end_on({file}, check)) {
        return true;
    }
    for (const diag::Diagnostic& d : check.sink.sorted()) {
        if (d.severity == diag::Severity::error) {
            session.sink.report(
                diag::Code::KM001, {},
                fmt::format("the imported topology does not validate: {}", d.message));
        }
    }
    return false;
}

ExitCode run_import(const ImportArgs& args) {
    Session session;
    std::optional<live::LiveState> state = live::read_live_paths(args.live, session);
    if (!state) {
        return report_and_exit(session, {});
    }
    std::optional<live::ImportResult> result = live::import_topology(*state, session);
    if (!result || !validates(*result, session)) {
        return report_and_exit(session, {});
    }
    if (args.output_dir.empty()) {
        print_diagnostics(session, {});
        return write_result(result->single);
    }
    if (!write_files(args.output_dir, result->files, session)) {
        return report_and_exit(session, {});
    }
    return report_and_exit(session, {});
}

}  // namespace

void register_import(CLI::App& app, ExitCode& result) {
    auto args = std::make_shared<ImportArgs>();
    CLI::App* cmd = app.add_subcommand(
        "import",
        "Write a topology that grants what a running platform holds, from exported files");
    cmd->footer(
        "LIVE files are read as by 'kafkamesh drift'. Services come from the KafkaUsers (or the\n"
        "ACL principals), each matched to the principal <trustDomain>/ns/<ns>/sa/<sa> of the\n"
        "client AuthorizationPolicies whose <ns>-<sa> is its user name, or else to the one\n"
        "unclaimed principal whose <sa> is the user name (in the namespace of the user's\n"
        "KafkaAccess documents, if any); user names are kept. A user no principal explains\n"
        "is written in namespace 'replace-me' (KM713). ACLs become\n"
        "recipes where they match one exactly (producer, consumer and group, transactional id,\n"
        "Streams, Connect), the rest a role per service, so the topology grants the same ACLs.\n"
        "What a topology cannot express is reported and written as a comment: host-restricted\n"
        "ACLs (KM710), principals other than User: (KM711), policy fields other than\n"
        "source.principals and operation.ports (KM712).\n"
        "Examples:\n"
        "  kafkamesh import live.yaml > topology.yaml\n"
        "  kafkamesh import live.yaml acls.txt quotas.txt -o topology/\n"
        "Exit codes: 0 written (warnings do not fail), 1 a malformed input, 2 usage, 3 an input\n"
        "or output unavailable.");
    cmd->add_option("live", args->live, "Live-state files or directories exported from the cluster")
        ->required();
    cmd->add_option("-o,--output", args->output_dir,
                    "Write platform.yaml and one <namespace>.yaml per namespace to this directory");
    cmd->callback([args, &result] { result = run_import(*args); });
}

}  // namespace km::cli
