// kafkamesh compile: topology -> manifests on stdout, or one file per kind under -o DIR.
#include <fmt/format.h>

#include <map>
#include <memory>

#include "cli/commands.h"
#include "cli/reporting.h"
#include "emit/manifest_writer.h"

namespace km::cli {
namespace {

struct CompileArgs {
    std::vector<std::string> inputs;
    std::string output_dir;
    std::vector<std::string> only;
    std::string templates_dir;
    std::size_t max_diagnostics = 50;
};

ExitCode run_compile(const CompileArgs& args) {
    Session session;
    CompileOptions options;
    if (!args.templates_dir.empty()) {
        options.templates_dir = args.templates_dir;
    }
    if (!args.only.empty()) {
        options.groups = 0;
        for (const std::string& group : args.only) {
            options.groups |=
                static_cast<emit::Groups>(group == "namespaces" ? emit::Group::namespaces
                                          : group == "mesh"     ? emit::Group::mesh
                                                                : emit::Group::kafka);
        }
    }
    ReportOptions report;
    report.max_diagnostics = args.max_diagnostics;
    auto manifests = compile(args.inputs, options, session);
    if (!manifests) {
        print_diagnostics(session, report);
        return exit_code_for(session.sink);
    }
    if (args.output_dir.empty()) {
        print_diagnostics(session, report);  // warnings only
        if (!write_manifests_to_stdout(*manifests)) {
            std::fputs("kafkamesh: error: cannot write to standard output\n", stderr);
            return ExitCode::io;
        }
        return ExitCode::ok;
    }
    std::map<std::string, std::vector<emit::Manifest>> by_file;
    for (emit::Manifest& m : *manifests) {
        by_file[emit::output_file_name(m)].push_back(std::move(m));
    }
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto& [name, docs] : by_file) {
        files.emplace_back(name, emit::write_stream(docs));
    }
    bool written = write_files(args.output_dir, files, session);
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
        "  kafkamesh compile topology.yaml | kubectl apply -f -\n"
        "  kafkamesh compile topology/ -o manifests/\n"
        "  kafkamesh compile topology.yaml --only mesh");
    cmd->add_option("inputs", args->inputs, "Topology files or directories of *.yaml files")
        ->required();
    cmd->add_option("-o,--output", args->output_dir,
                    "Write one file per kind into this directory instead of stdout");
    cmd->add_option("--only", args->only, "Emit only these groups (repeatable)")
        ->check(CLI::IsMember({"namespaces", "mesh", "kafka"}));
    cmd->add_option(
        "--templates", args->templates_dir,
        "Directory of <Kind>.yaml templates adding labels and annotations to every document");
    cmd->add_option("--max-diagnostics", args->max_diagnostics,
                    "Show at most this many diagnostics (0: all)");
    cmd->callback([args, &result] { result = run_compile(*args); });
}

}  // namespace km::cli
