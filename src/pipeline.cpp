#include "pipeline.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "check/check_bitnami.h"
#include "check/check_topology.h"
#include "emit/emitted_names.h"
#include "model/derived.h"
#include "model/environment.h"
#include "model/service_account_token.h"
#include "parse/environments.h"
#include "parse/topology_parser.h"
#include "source/source_manager.h"
#include "source/yaml_loader.h"
#include "util/parallel.h"

namespace km {

const InputLimits k_topology_limits{
    32 * 1024 * 1024, 64 * 1024 * 1024, "topology files",
    "a topology describes names and grants; split it or remove what it does not need"};
const InputLimits k_live_limits{256 * 1024 * 1024, 512 * 1024 * 1024, "live files",
                                "export the kinds, or the namespaces, into files of their own"};

namespace {

namespace fs = std::filesystem;

constexpr std::size_t k_max_files = 256;

/// Reads at most `limit + 1` bytes, so a device or a pipe that never ends cannot exhaust memory.
bool read_file(const std::string& path, std::size_t limit, std::string& text) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return false;
    }
    text.clear();
    // A regular file's size is known: the text is then read into its final place at once. A pipe
    // or device grows it as it comes, and a large topology is kept for all of the run.
    std::error_code ec;
    std::uintmax_t size = fs::is_regular_file(path, ec) ? fs::file_size(path, ec) : 0;
    if (!ec && size > 0) {
        text.reserve(static_cast<std::size_t>(std::min<std::uintmax_t>(size, limit + 1)));
    }
    char buffer[64 * 1024];
    while (text.size() <= limit && in) {
        in.read(buffer,
                static_cast<std::streamsize>(std::min(sizeof buffer, limit + 1 - text.size())));
        text.append(buffer, static_cast<std::size_t>(in.gcount()));
    }
    if (text.capacity() > text.size() + text.size() / 8) {
        text.shrink_to_fit();
    }
    return !in.bad();
}

/// The files of one directory whose names end in one of `extensions`, sorted, appended to
/// `paths`; subdirectories are reported (KM030), and so is a directory with nothing to read.
void expand_directory(const std::string& input, const std::vector<std::string>& extensions,
                      Session& session, std::vector<std::string>& paths) {
    std::error_code ec;
    std::vector<std::string> found;
    bool special = false;
    std::vector<std::string> subdirectories;
    for (const auto& entry : fs::directory_iterator(input, ec)) {
        std::string name = entry.path().filename().string();
        if (name[0] == '.') {
            continue;
        }
        std::error_code dir_ec;
        if (entry.is_directory(dir_ec)) {
            subdirectories.push_back((fs::path(input) / name).string());
            continue;
        }
        std::string extension = entry.path().extension().string();
        if (std::find(extensions.begin(), extensions.end(), extension) == extensions.end()) {
            continue;
        }
        std::error_code type_ec;
        if (!entry.is_regular_file(type_ec)) {
            // A FIFO would block the read forever and a device never ends.
            session.sink.report(diag::Code::KM002, {},
                                fmt::format("cannot read '{}': not a regular file",
                                            (fs::path(input) / name).string()));
            special = true;
            continue;
        }
        found.push_back((fs::path(input) / name).string());
    }
    if (ec) {
        session.sink.report(diag::Code::KM002, {},
                            fmt::format("cannot read directory '{}': {}", input, ec.message()));
        return;
    }
    // Not recursive: a team file moved into a subdirectory would otherwise vanish silently.
    std::sort(subdirectories.begin(), subdirectories.end());
    for (const std::string& dir : subdirectories) {
        auto& d = session.sink.report(
            diag::Code::KM030, {},
            fmt::format("subdirectory '{}' is not read: topology directories are not "
                        "recursive",
                        dir));
        diag::add_help(d, "move its files up, or name it as another input");
    }
    if (found.empty() && !special) {
        auto& d =
            session.sink.report(diag::Code::KM003, {},
                                fmt::format("directory '{}' holds no *.yaml or *.yml file", input));
        diag::add_help(d, "a topology directory holds one or more *.yaml or *.yml files");
    }
    std::sort(found.begin(), found.end());
    paths.insert(paths.end(), found.begin(), found.end());
}

/// Reads every path into the session's sources, within the bounds on their number and size.
std::vector<std::uint32_t> read_paths(const std::vector<std::string>& paths, Session& session,
                                      const InputLimits& limits) {
    std::vector<std::uint32_t> files;
    if (paths.size() > k_max_files) {
        auto& d = session.sink.report(
            diag::Code::KM107, {},
            fmt::format("{} {}; the limit is {}", paths.size(), limits.files, k_max_files));
        diag::add_help(d, "merge small files, or compile the topology in parts");
        return files;
    }
    std::size_t total = 0;
    for (std::string path : paths) {
        std::string text;
        // `-` is standard input, as for other Unix tools; diagnostics name it <stdin>.
        bool standard_input = path == "-";
        if (!read_file(standard_input ? "/dev/stdin" : path, limits.file_bytes, text)) {
            std::error_code ec;
            std::string why =
                fs::exists(path, ec) ? "it cannot be read" : "no such file or directory";
            session.sink.report(diag::Code::KM002, {},
                                fmt::format("cannot read '{}': {}", path, why));
            continue;
        }
        if (standard_input) {
            path = "<stdin>";
        }
        total += text.size();
        if (text.size() > limits.file_bytes || total > limits.total_bytes) {
            bool one = text.size() > limits.file_bytes;
            // Registered empty: the diagnostic names the file without quoting a line of it.
            std::uint32_t file = session.sources.add(path, "");
            auto& d = session.sink.report(
                diag::Code::KM106, diag::Location{file, 0, 0, 0},
                one ? fmt::format("the file is larger than {} bytes", limits.file_bytes)
                    : fmt::format("the {} add up to more than {} bytes", limits.files,
                                  limits.total_bytes));
            diag::add_help(d, std::string(limits.help));
            return files;
        }
        files.push_back(session.sources.add(path, std::move(text)));
    }
    return files;
}

}  // namespace

/// Expands directories into their files whose names end in one of `extensions` (sorted, not
/// recursive; subdirectories are reported, KM030) and reads every file.
std::vector<std::uint32_t> read_inputs(const std::vector<std::string>& inputs, Session& session,
                                       const std::vector<std::string>& extensions,
                                       const InputLimits& limits) {
    std::vector<std::string> paths;
    for (const std::string& input : inputs) {
        std::error_code ec;
        if (fs::is_directory(input, ec)) {
            expand_directory(input, extensions, session, paths);
        } else {
            paths.push_back(input);
        }
    }
    return read_paths(paths, session, limits);
}

namespace {

/// Drops the acknowledged warnings and applies --warnings-as-errors; true when errors remain.
bool settle_warnings(Session& session) {
    session.acknowledgements.apply(session.sink);
    if (session.warnings_as_errors) {
        session.sink.promote_warnings();
    }
    return session.sink.has_errors();
}

}  // namespace

void settle_review_warnings(Session& session) {
    session.acknowledgements.apply(session.sink);
    session.acknowledgements.report_unused(session.sink, true);
    if (session.warnings_as_errors) {
        session.sink.promote_warnings();
    }
}

std::optional<FrontEnd> run_front_end(const std::vector<std::string>& inputs, Session& session) {
    std::vector<std::uint32_t> files = read_inputs(inputs, session);
    if (session.sink.has_errors()) {
        return std::nullopt;
    }
    return run_front_end_on(files, session);
}

namespace {

/// The files one after the other, the node limit counting every file read before.
std::vector<source::YamlDocument> load_in_turn(const std::vector<std::uint32_t>& files,
                                               Session& session, source::LoadLimits limits) {
    std::vector<source::YamlDocument> documents;
    for (std::uint32_t file : files) {
        if (auto doc = source::load_yaml(session.sources, file, session.sink, limits)) {
            limits.used_nodes += doc->nodes.size();
            documents.push_back(std::move(*doc));
        }
    }
    return documents;
}

/// A topology of several files (a directory, a file per team) is parsed on two cores, each file
/// on one, into sinks of their own. When every file loads cleanly and all of them together stay
/// within the node limit, that is what reading them in turn gives; otherwise (an error, or the
/// limit reached) they are read again in turn, so that every diagnostic is the one a single
/// thread reports, at the same place.
std::vector<source::YamlDocument> load_documents(const std::vector<std::uint32_t>& files,
                                                 Session& session,
                                                 const source::LoadLimits& limits) {
    if (files.size() < 2) {
        return load_in_turn(files, session, limits);
    }
    std::vector<std::optional<source::YamlDocument>> loaded(files.size());
    std::vector<diag::DiagnosticSink> sinks(files.size());
    source::LoadLimits whole = limits;  // the cores are busy with a file each already
    whole.split_above = SIZE_MAX;
    util::run_indices(files.size(), 2, [&](std::size_t i) {
        loaded[i] = source::load_yaml(session.sources, files[i], sinks[i], whole);
    });
    std::size_t nodes = 0;
    bool clean = true;
    for (std::size_t i = 0; i < files.size(); ++i) {
        clean = clean && loaded[i] && !sinks[i].has_errors();
        nodes += loaded[i] ? loaded[i]->nodes.size() : 0;
    }
    if (!clean || limits.used_nodes + nodes > limits.max_nodes) {
        std::vector<std::optional<source::YamlDocument>>().swap(loaded);  // not held twice
        return load_in_turn(files, session, limits);
    }
    std::vector<source::YamlDocument> documents;
    documents.reserve(files.size());
    for (std::size_t i = 0; i < files.size(); ++i) {
        session.sink.append(std::move(sinks[i]));  // warnings only
        documents.push_back(std::move(*loaded[i]));
    }
    return documents;
}

}  // namespace

std::optional<FrontEnd> run_front_end_on(const std::vector<std::uint32_t>& files, Session& session,
                                         const source::LoadLimits& limits) {
    std::vector<source::YamlDocument> documents = load_documents(files, session, limits);
    if (session.sink.has_errors()) {
        return std::nullopt;
    }
    return run_front_end_on_documents(std::move(documents), session);
}

std::optional<FrontEnd> run_front_end_on_documents(std::vector<source::YamlDocument> documents,
                                                   Session& session) {
    FrontEnd result;
    {
        // The YAML trees are dropped as soon as the typed model exists: on a large topology
        // they are the biggest structure of the whole run.
        std::vector<source::YamlDocument> owned = std::move(documents);
        std::optional<model::Environment> environment =
            parse::parse_environments(owned, session.environment, session.sink);
        result.topology = parse::parse_topology(owned, session.sink);
        if (environment) {
            model::apply_environment(result.topology, std::move(*environment));
        } else if (!session.environment.empty()) {
            return std::nullopt;  // unknown (KM360): the topology as written is not what was asked
        }
    }
    session.acknowledgements.load(result.topology, session.sink);
    model::add_implicit_declarations(result.topology);
    check::check_topology(result.topology, session.sink);
    // One typo must not cascade into graph errors: stop before building the graph.
    if (settle_warnings(session)) {
        return std::nullopt;
    }
    result.graph = graph::build_access_graph(result.topology, session.sink, session.entry_sources);
    check::check_bitnami(result.topology, result.graph, session.sink);
    // Every check of the topology has run: an acknowledgement nothing matched is stale.
    session.acknowledgements.apply(session.sink);
    session.acknowledgements.report_unused(session.sink, false);
    if (settle_warnings(session)) {
        return std::nullopt;
    }
    return result;
}

std::optional<std::vector<emit::Manifest>> compile(const std::vector<std::string>& inputs,
                                                   const CompileOptions& options,
                                                   Session& session) {
    std::optional<emit::Output> output = compile_output(inputs, options, session);
    if (!output) {
        return std::nullopt;
    }
    return std::move(output->manifests);
}

std::optional<emit::Output> compile_output(const std::vector<std::string>& inputs,
                                           const CompileOptions& options, Session& session) {
    std::vector<std::uint32_t> files = read_inputs(inputs, session);
    if (session.sink.has_errors()) {
        return std::nullopt;
    }
    return compile_output_on(files, options, session);
}

namespace {

/// The chart keeps its generated passwords across upgrades only through Helm's `lookup`, which
/// is empty under `helm template`: a tool that renders that way (Argo CD with the values as
/// helm.valueFiles) gets new passwords and a new checksum/secret, so a broker roll, on every
/// sync, while the operators keep the old admin password (bitnami/charts kafka 32.4.4
/// templates/secrets.yaml, bitnami/common _secrets.tpl getValue/passwords.manage). Only Flux's
/// HelmRelease runs `lookup`; on any other path the passwords must come from sasl.existingSecret
/// (KM509, a warning: `helm upgrade` from the command line keeps them too).
void warn_generated_chart_passwords(const model::Topology& t, const CompileOptions& options,
                                    Session& session) {
    const model::Kafka& k = *t.kafka;
    if (k.distribution != model::Distribution::bitnami || !k.managed ||
        !options.helm_values_written || options.helm_release == emit::HelmRelease::flux ||
        (k.bitnami && k.bitnami->existing_secret)) {
        return;
    }
    auto& d = session.sink.report(
        diag::Code::KM509, k.bitnami ? k.bitnami->location : k.location,
        "the chart's values leave its passwords to the chart, which generates new ones whenever "
        "it is rendered with helm template (Argo CD), rolling the brokers on every sync");
    diag::add_help(d,
                   "create the Secret (client-passwords, inter-broker-password, "
                   "controller-password) and name it in kafka.bitnami.existingSecret, or "
                   "compile with --helm-release flux when Flux installs the chart");
}

/// The topology's files for the kafka.apply ConfigMap, which Kubernetes caps at 1 MiB.
bool apply_job_files(const std::vector<std::uint32_t>& files, const model::ApplyJob& job,
                     Session& session, std::vector<emit::TopologyFile>& out) {
    std::size_t total = 0;
    for (std::uint32_t id : files) {
        const source::SourceFile& f = session.sources.file(id);
        out.push_back({f.path, f.text});
        total += f.path.size() + f.text.size();
    }
    constexpr std::size_t k_config_map_limit = 1000 * 1000;  // with room for keys and metadata
    if (total > k_config_map_limit) {
        auto& d = session.sink.report(
            diag::Code::KM354, job.location,
            fmt::format("the topology is {} bytes, more than a ConfigMap holds for the apply Job",
                        total));
        diag::add_help(d, "run kafkamesh apply from CI instead, and remove kafka.apply");
        return false;
    }
    return true;
}

}  // namespace

std::optional<emit::Output> compile_output_on(const std::vector<std::uint32_t>& files,
                                              const CompileOptions& options, Session& session) {
    session.entry_sources = graph::Sources::dropped;  // emission never reads them
    std::optional<FrontEnd> front = run_front_end_on(files, session);
    if (!front) {
        return std::nullopt;
    }
    const model::Kafka& kafka = *front->topology.kafka;
    bool wants_chart =
        options.helm_values_requested || options.helm_release != emit::HelmRelease::none;
    if (wants_chart && kafka.distribution != model::Distribution::bitnami) {
        auto& d = session.sink.report(
            diag::Code::KM504,
            kafka.distribution_location.known() ? kafka.distribution_location : kafka.location,
            fmt::format(
                "{} needs distribution 'bitnami', but the distribution is 'strimzi'",
                options.helm_values_requested ? "'--only helm-values'" : "'--helm-release flux'"));
        diag::add_help(d, "Strimzi's resources are Kubernetes documents: compile without it");
        return std::nullopt;
    }
    if (wants_chart && !kafka.managed) {
        auto& d = session.sink.report(
            diag::Code::KM504,
            kafka.managed_location.known() ? kafka.managed_location : kafka.location,
            fmt::format(
                "{} needs a release kafkamesh describes, but kafka.managed is false",
                options.helm_values_requested ? "'--only helm-values'" : "'--helm-release flux'"));
        diag::add_help(d, "the running release keeps its own values: compile without it");
        return std::nullopt;
    }
    warn_generated_chart_passwords(front->topology, options, session);
    // What emission never reads is freed before its documents accumulate, as the YAML trees were
    // before the checks: the services and roles, which emit/ reads only as the access graph's
    // identities (the entries' sources went while the graph was built).
    model::resolve_apply_job(front->topology);
    std::vector<model::Service>().swap(front->topology.services);
    std::vector<model::Role>().swap(front->topology.roles);
    auto templates = emit::Templates::load(options.templates_dir, session.sources, session.sink);
    if (!templates) {
        return std::nullopt;
    }
    // The context's sink turns on the last line of defence: every name that reaches a document
    // is checked against its destination's rules before anything is written.
    std::vector<emit::TopologyFile> topology_files;
    if (kafka.apply_job && !apply_job_files(files, *kafka.apply_job, session, topology_files)) {
        return std::nullopt;
    }
    emit::EmitContext context{front->topology, front->graph,    *templates,
                              &session.sink,   &topology_files, session.environment};
    context.spool = options.spool;
    emit::Output output = emit::emit_output(context, {options.groups, options.helm_release});
    if (session.sink.has_errors()) {
        return std::nullopt;
    }
    return output;
}

}  // namespace km
