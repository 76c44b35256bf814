// kafkamesh diff: who gains or loses which access between two topologies, offline.
#include <fmt/format.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <system_error>

#include "cli/commands.h"
#include "cli/output_layout.h"
#include "cli/reporting.h"
#include "cli/review_support.h"
#include "diff/diff_render.h"
#include "diff/semantic_diff.h"
#include "emit/manifest_writer.h"
#include "review/review_checks.h"
#include "source/git_reader.h"
#include "util/parallel.h"
#include "util/strings.h"

namespace km::cli {
namespace {

namespace fs = std::filesystem;
using diff::DiffReport;

struct DiffArgs {
    std::vector<std::string> inputs;
    std::string git_ref;
    std::string format = "text";
    bool exit_code = false;
    std::string fail_on;
    std::size_t max_writers = 5;
    bool warnings_as_errors = false;
    std::string environment;
};

ExitCode usage(const std::string& message) {
    std::fprintf(stderr, "kafkamesh diff: %s\nrun 'kafkamesh diff --help' for usage\n",
                 message.c_str());
    return ExitCode::usage;
}

/// Every document the topology compiles to, with its bytes, for the list of changed manifests;
/// on Bitnami also the chart values (helm/values.yaml).
std::vector<diff::DocumentDigest> digests(const FrontEnd& front, Session& session) {
    std::vector<diff::DocumentDigest> out;
    auto templates = emit::Templates::load(std::nullopt, session.sources, session.sink);
    if (!templates) {
        return out;
    }
    emit::EmitContext context{front.topology, front.graph, *templates};
    emit::Output output = emit::emit_output(context, {});
    for (const emit::Manifest& m : output.manifests) {
        out.push_back({m.kind, m.ns, m.name, m.yaml});
    }
    // Bitnami's values are no Kubernetes document, but a change to them (the provisioning
    // script's ACLs above all) is a change to what gets applied.
    if (output.helm_values) {
        out.push_back({"HelmValues", "", k_helm_values, emit::write_yaml(*output.helm_values)});
    }
    return out;
}

/// Links for the markdown view's positions when it runs in a GitHub Actions job: the blob URL of
/// each file at the commit the job checked out, from the job's GITHUB_SERVER_URL,
/// GITHUB_REPOSITORY and GITHUB_SHA, with the file's path relative to GITHUB_WORKSPACE (the
/// checkout; GitHub's "Variables reference", default environment variables). A file outside the
/// checkout, or one read from a git revision ("REF:path", not a file on disk), stays plain text,
/// as does everything outside such a job.
diff::FileLinks github_links(const DiffReport& report) {
    diff::FileLinks links;
    auto env = [](const char* name) {
        const char* value = std::getenv(name);
        return value ? std::string(value) : std::string();
    };
    std::string server = env("GITHUB_SERVER_URL");
    std::string repository = env("GITHUB_REPOSITORY");
    std::string sha = env("GITHUB_SHA");
    if (server.empty() || repository.empty() || sha.empty()) {
        return links;
    }
    std::string workspace = env("GITHUB_WORKSPACE");
    std::error_code ec;
    fs::path root =
        fs::weakly_canonical(workspace.empty() ? fs::current_path(ec) : fs::path(workspace), ec);
    for (const diff::Flag& f : report.flags) {
        if (f.place.file.empty() || links.count(f.place.file) ||
            !fs::is_regular_file(f.place.file, ec)) {
            continue;
        }
        fs::path rel = fs::weakly_canonical(f.place.file, ec).lexically_relative(root);
        if (ec || rel.empty() || *rel.begin() == "..") {
            continue;
        }
        std::string url = fmt::format("{}/{}/blob/{}/", server, repository, sha);
        for (unsigned char c : rel.generic_string()) {
            if (std::isalnum(c) || c == '/' || c == '-' || c == '.' || c == '_' || c == '~') {
                url += static_cast<char>(c);
            } else {
                url += fmt::format("%{:02X}", c);
            }
        }
        links[f.place.file] = url;
    }
    return links;
}

ExitCode run_diff(const DiffArgs& args) {
    bool git = !args.git_ref.empty();
    if (git && args.git_ref[0] == '-') {
        return usage(fmt::format("'{}' is not a git revision", args.git_ref));
    }
    if (git ? args.inputs.empty() : args.inputs.size() != 2) {
        return usage(git ? "--git REF takes the topology paths to compare with REF"
                         : "expected BASE and HEAD, or --git REF and the topology paths");
    }
    std::vector<std::string> head_inputs =
        git ? args.inputs : std::vector<std::string>{args.inputs[1]};
    // The same environment on both sides: BASE as it was, HEAD as it is.
    Session base;
    base.environment = args.environment;
    std::optional<FrontEnd> base_front;
    Session head;
    head.environment = args.environment;
    // Only HEAD's warnings are the change under review; the base's are never promoted.
    head.warnings_as_errors = args.warnings_as_errors;
    std::optional<FrontEnd> head_front;
    // The sides share nothing until they are compared, each in its own session: BASE is built
    // on a second core while HEAD is built here. Their documents are compiled afterwards, one
    // side after the other (each on every core), so that one side's compiled text is not held
    // while the other's YAML tree is.
    util::run_beside(
        [&] {
            if (git) {
                std::vector<std::uint32_t> files =
                    source::read_git_inputs(args.git_ref, args.inputs, base.sources, base.sink);
                if (!base.sink.has_errors()) {
                    base_front = run_front_end_on(files, base);
                }
            } else {
                base_front = run_front_end({args.inputs[0]}, base);
            }
        },
        [&] { head_front = run_front_end(head_inputs, head); });
    if (!base_front || !head_front) {
        // Only errors matter here; the base's warnings are not the change under review.
        if (!base_front) {
            print_diagnostics(base, {});
        }
        print_diagnostics(head, {});
        ExitCode b = exit_code_for(base.sink);
        ExitCode h = exit_code_for(head.sink);
        return static_cast<int>(b) > static_cast<int>(h) ? b : h;
    }
    review::ReviewOptions options;
    options.max_writers = args.max_writers;
    review::review_topology(head_front->topology, head_front->graph, options, head.sink);
    settle_review_warnings(head);
    if (head.sink.has_errors()) {
        print_diagnostics(head, {});
        return ExitCode::findings;  // only with --warnings-as-errors
    }
    diff::DiffSide base_side{
        git ? args.git_ref + ":" + util::join(args.inputs, " ") : args.inputs[0],
        base_front->topology, base_front->graph, base.sources, digests(*base_front, base)};
    diff::DiffSide head_side{util::join(head_inputs, " "), head_front->topology, head_front->graph,
                             head.sources, digests(*head_front, head)};
    print_diagnostics(head, {});
    diff::DiffReport report = diff::diff_topologies(base_side, head_side);
    std::string text = args.format == "json" ? diff::render_json(report)
                       : args.format == "markdown"
                           ? diff::render_markdown(report, github_links(report))
                           : diff::render_text(report, use_colour(stdout));
    if (!write_stdout(text)) {
        return stdout_failed();
    }
    if (args.fail_on == "widening") {
        return report.widening() ? ExitCode::findings : ExitCode::ok;
    }
    if (args.fail_on == "risk") {
        return report.risky() ? ExitCode::findings : ExitCode::ok;
    }
    return args.exit_code && report.changed() ? ExitCode::findings : ExitCode::ok;
}

}  // namespace

void register_diff(CLI::App& app, ExitCode& result) {
    auto args = std::make_shared<DiffArgs>();
    CLI::App* cmd = app.add_subcommand(
        "diff", "Show who gains or loses which access between two topologies, with risk flags");
    cmd->footer(
        "Examples:\n"
        "  kafkamesh diff base.yaml head.yaml\n"
        "  kafkamesh diff --git origin/main topology/ --format markdown\n"
        "  kafkamesh diff old/ new/ --fail-on widening\n"
        "Exit codes: 0 no change (or changes without --exit-code/--fail-on), 1 a change with\n"
        "--exit-code or a flagged change with --fail-on, 2 usage, 3 an input unavailable.");
    cmd->add_option("inputs", args->inputs,
                    "BASE and HEAD topology files or directories; with --git, the paths only")
        ->required();
    cmd->add_option("--git", args->git_ref,
                    "Take BASE from this git revision of the same paths (e.g. origin/main)");
    cmd->add_option("--format", args->format, "text, markdown or json")
        ->check(CLI::IsMember({"text", "markdown", "json"}));
    cmd->add_flag("--exit-code", args->exit_code, "Exit 1 when anything changed");
    cmd->add_option("--fail-on", args->fail_on,
                    "Exit 1 only on access widening (KM601) or on any risk flag")
        ->check(CLI::IsMember({"widening", "risk"}));
    add_warnings_as_errors_flag(*cmd, args->warnings_as_errors);
    add_env_option(*cmd, args->environment);
    cmd->add_option("--max-writers", args->max_writers,
                    "Warn (KM454) when more identities than this may write one topic");
    cmd->callback([args, &result] { result = run_diff(*args); });
}

}  // namespace km::cli
