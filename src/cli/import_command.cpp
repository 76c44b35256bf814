// kafkamesh import: a topology from a running platform's exported state, offline.
#include <fmt/format.h>

#include <filesystem>
#include <memory>

#include "cli/builtin_schema.h"
#include "cli/commands.h"
#include "cli/live_inputs.h"
#include "cli/reporting.h"
#include "emit/document_tree.h"
#include "live/import_topology.h"
#include "live/live_reader.h"

namespace km::cli {
namespace {

struct ImportArgs {
    std::vector<std::string> live;
    std::string output_dir;
    bool force = false;
};

/// The schema beside the imported files, as init writes it: the modeline is a relative path.
constexpr const char* k_schema_file = "topology.schema.json";

std::string with_modeline(const std::string& yaml) {
    return fmt::format("# yaml-language-server: $schema={}\n{}", k_schema_file, yaml);
}

/// An imported topology is edited by hand right away: `import -o DIR` never overwrites one
/// unless told to (KM020, as init). The schema is this build's either way: an existing one is
/// kept.
bool refuse_existing(const std::string& dir,
                     const std::vector<std::pair<std::string, std::string>>& files,
                     Session& session) {
    bool blocked = false;
    for (const auto& [name, content] : files) {
        std::error_code ec;
        std::filesystem::path target = std::filesystem::path(dir) / name;
        if (name != k_schema_file && std::filesystem::exists(target, ec)) {
            auto& d = session.sink.report(diag::Code::KM020, {},
                                          fmt::format("'{}' already exists", target.string()));
            diag::add_help(d,
                           "pass --force to overwrite it (hand edits are lost), or import "
                           "into another directory");
            blocked = true;
        }
    }
    return !blocked;
}

/// The topology written must validate: anything else is a bug, reported as one.
bool validates(const live::ImportResult& result, Session& session) {
    Session check;
    std::uint32_t file = check.sources.add("<imported topology>", "");
    if (run_front_end_on_documents({emit::as_yaml_document(result.document, file)}, check)) {
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
    std::optional<live::LiveState> state = read_live_paths(args.live, session);
    if (!state) {
        return report_and_exit(session, {});
    }
    if (!state->kafka && state->principals.empty() && state->topics.empty() &&
        state->policies.empty()) {
        auto& d = session.sink.report(diag::Code::KM705, {},
                                      "the live input holds no Kafka, KafkaUser, KafkaTopic, ACL, "
                                      "quota or AuthorizationPolicy: there is nothing to import");
        diag::add_help(d,
                       "export the platform first, e.g. kubectl get kafka,kafkanodepool,"
                       "kafkauser,kafkatopic,authorizationpolicy,peerauthentication -A -o yaml");
        return report_and_exit(session, {});
    }
    std::optional<live::ImportResult> result = live::import_topology(*state, session.sink);
    if (!result || !validates(*result, session)) {
        return report_and_exit(session, {});
    }
    if (args.output_dir.empty()) {
        print_diagnostics(session, {});
        return write_result(with_modeline(result->single));
    }
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto& [name, content] : result->files) {
        files.emplace_back(name, with_modeline(content));
    }
    std::error_code ec;
    if (!std::filesystem::exists(std::filesystem::path(args.output_dir) / k_schema_file, ec)) {
        files.emplace_back(k_schema_file, std::string(builtin_schema()));
    }
    if ((!args.force && !refuse_existing(args.output_dir, files, session)) ||
        !write_files(args.output_dir, files, session)) {
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
        "With -o, an existing file is never overwritten unless --force is given; the schema the\n"
        "files' yaml-language-server line names is written beside them when missing.\n"
        "Exit codes: 0 written (warnings do not fail), 1 a malformed input, 2 usage, 3 an input\n"
        "or output unavailable.");
    cmd->add_option("live", args->live, "Live-state files or directories exported from the cluster")
        ->required();
    cmd->add_option("-o,--output", args->output_dir,
                    "Write platform.yaml and one <namespace>.yaml per namespace to this directory");
    cmd->add_flag("--force", args->force, "With -o, overwrite files that exist");
    cmd->callback([args, &result] { result = run_import(*args); });
}

}  // namespace km::cli
