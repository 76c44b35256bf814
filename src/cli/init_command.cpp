// kafkamesh init: writes a starter topology and the schema its editor modeline points at.
#include <fmt/format.h>

#include <filesystem>
#include <memory>

#include "cli/builtin_schema.h"
#include "cli/commands.h"
#include "cli/reporting.h"
#include "cli/starter_topology.h"
#include "util/strings.h"

namespace km::cli {
namespace {

namespace fs = std::filesystem;

struct InitArgs {
    std::string path;
    std::string distribution = "strimzi";
    std::string team;
    bool force = false;
};

ExitCode run_init(const InitArgs& args) {
    Session session;
    bool team = !args.team.empty();
    if (team && !util::is_dns_label(args.team)) {
        auto& d =
            session.sink.report(diag::Code::KM006, {},
                                fmt::format("team name '{}' is not a DNS-1123 label", args.team));
        diag::add_help(d,
                       "it names the team's namespace: lower-case letters, digits and '-', "
                       "at most 63 characters");
        print_diagnostics(session, ReportOptions{});
        return ExitCode::usage;
    }
    fs::path topology(team && args.path.empty() ? "team-" + args.team + ".yaml"
                      : args.path.empty()       ? "topology.yaml"
                                                : args.path);
    // The schema sits next to the topology so the modeline is a relative path that works in
    // any clone; it is not a *.yaml file, so a topology directory never reads it as input.
    fs::path schema = topology.parent_path() / "topology.schema.json";
    // A team file joins a directory that usually has the schema already: the same schema (this
    // build's) is kept rather than refused or overwritten.
    bool write_schema = true;
    if (team && !args.force) {
        std::error_code ec;
        write_schema = !fs::exists(schema, ec);
    }
    bool blocked = false;
    for (const fs::path& target : {topology, schema}) {
        std::error_code ec;
        if (target == schema && !write_schema) {
            continue;
        }
        if (!args.force && fs::exists(target, ec)) {
            auto& d = session.sink.report(diag::Code::KM020, {},
                                          fmt::format("'{}' already exists", target.string()));
            diag::add_help(d, "pass --force to overwrite it, or give init another path");
            blocked = true;
        }
    }
    if (!blocked) {
        Distribution distribution =
            args.distribution == "bitnami" ? Distribution::bitnami : Distribution::strimzi;
        std::string dir = topology.parent_path().empty() ? "." : topology.parent_path().string();
        std::vector<std::pair<std::string, std::string>> files = {
            {topology.filename().string(),
             team ? starter_team_topology(args.team, schema.filename().string())
                  : starter_topology(distribution, schema.filename().string())}};
        if (write_schema) {
            files.emplace_back(schema.filename().string(), std::string(builtin_schema()));
        }
        write_files(dir, files, session);
    }
    print_diagnostics(session, ReportOptions{});
    if (session.sink.has_errors()) {
        return exit_code_for(session.sink);
    }
    // A team file is validated with the directory it joins, never alone.
    std::string next =
        team ? (topology.parent_path().empty() ? std::string(".") : topology.parent_path().string())
             : topology.string();
    write_stdout(write_schema ? fmt::format("wrote {} and {}\nnext: kafkamesh validate {}\n",
                                            topology.string(), schema.string(), next)
                              : fmt::format("wrote {} (kept {})\nnext: kafkamesh validate {}\n",
                                            topology.string(), schema.string(), next));
    return ExitCode::ok;
}

}  // namespace

void register_init(CLI::App& app, ExitCode& result) {
    auto args = std::make_shared<InitArgs>();
    CLI::App* cmd = app.add_subcommand(
        "init", "Write a starter topology with the editor schema modeline, and the schema");
    cmd->footer(
        "Writes PATH (default topology.yaml) and topology.schema.json next to it; refuses to\n"
        "overwrite either unless --force is given. With --team NAME, writes a team file\n"
        "(default team-NAME.yaml) holding lists only, to sit next to the platform file of a\n"
        "topology directory; an existing topology.schema.json is kept.\n"
        "\n"
        "Examples:\n"
        "  kafkamesh init\n"
        "  kafkamesh init topology/platform.yaml --distribution bitnami\n"
        "  kafkamesh init --force\n"
        "  kafkamesh init topology/team-billing.yaml --team billing");
    cmd->add_option(
        "path", args->path,
        "The topology file to write (default topology.yaml, with --team team-NAME.yaml)");
    cmd->add_option("--distribution", args->distribution, "Kafka distribution of the starter")
        ->check(CLI::IsMember({"strimzi", "bitnami"}))
        ->capture_default_str();
    cmd->add_option("--team", args->team,
                    "Write a team file (namespace, topics, services; no metadata, mesh or kafka) "
                    "for this team");
    cmd->add_flag("-f,--force", args->force, "Overwrite existing files");
    cmd->callback([args, &result] { result = run_init(*args); });
}

}  // namespace km::cli
