// kafkamesh init: writes a starter topology and the schema its editor modeline points at.
#include <fmt/format.h>

#include <filesystem>
#include <memory>

#include "cli/builtin_schema.h"
#include "cli/commands.h"
#include "cli/reporting.h"
#include "cli/starter_topology.h"

namespace km::cli {
namespace {

namespace fs = std::filesystem;

struct InitArgs {
    std::string path = "topology.yaml";
    std::string distribution = "strimzi";
    bool force = false;
};

ExitCode run_init(const InitArgs& args) {
    Session session;
    fs::path topology(args.path);
    // The schema sits next to the topology so the modeline is a relative path that works in
    // any clone; it is not a *.yaml file, so a topology directory never reads it as input.
    fs::path schema = topology.parent_path() / "topology.schema.json";
    bool blocked = false;
    for (const fs::path& target : {topology, schema}) {
        std::error_code ec;
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
        write_files(dir,
                    {{topology.filename().string(),
                      starter_topology(distribution, schema.filename().string())},
                     {schema.filename().string(), std::string(builtin_schema())}},
                    session);
    }
    print_diagnostics(session, ReportOptions{});
    if (session.sink.has_errors()) {
        return exit_code_for(session.sink);
    }
    write_stdout(fmt::format("wrote {} and {}\nnext: kafkamesh validate {}\n", topology.string(),
                             schema.string(), topology.string()));
    return ExitCode::ok;
}

}  // namespace

void register_init(CLI::App& app, ExitCode& result) {
    auto args = std::make_shared<InitArgs>();
    CLI::App* cmd = app.add_subcommand(
        "init", "Write a starter topology with the editor schema modeline, and the schema");
    cmd->footer(
        "Writes PATH (default topology.yaml) and topology.schema.json next to it; refuses to\n"
        "overwrite either unless --force is given.\n"
        "\n"
        "Examples:\n"
        "  kafkamesh init\n"
        "  kafkamesh init topology/platform.yaml --distribution bitnami\n"
        "  kafkamesh init --force");
    cmd->add_option("path", args->path, "The topology file to write")->capture_default_str();
    cmd->add_option("--distribution", args->distribution, "Kafka distribution of the starter")
        ->check(CLI::IsMember({"strimzi", "bitnami"}))
        ->capture_default_str();
    cmd->add_flag("-f,--force", args->force, "Overwrite existing files");
    cmd->callback([args, &result] { result = run_init(*args); });
}

}  // namespace km::cli
