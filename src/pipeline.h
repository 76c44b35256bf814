// The whole compile as one readable sequence of stages:
//   read files -> YAML trees -> typed topology -> checks -> access graph -> manifests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "check/acknowledgements.h"
#include "diag/diagnostic_sink.h"
#include "emit/emit.h"
#include "graph/access_graph.h"
#include "model/topology.h"
#include "source/source_manager.h"
#include "source/yaml_loader.h"
#include "source/yaml_tree.h"

namespace km {

/// What one run of the front end produced; diagnostics are in `sink`, positions in `sources`.
struct Session {
    source::SourceManager sources;
    diag::DiagnosticSink sink;
    /// --warnings-as-errors: every warning left after the acknowledgements is an error.
    bool warnings_as_errors = false;
    check::Acknowledgements acknowledgements;
    /// --env NAME: the environment whose overrides the front end applies (topology.md
    /// "Environments"); empty: the topology as written.
    std::string environment;
    /// Whether the access graph keeps where each ACL entry came from (graph::Sources): the
    /// commands that print none (validate, compile) drop them while the graph is built.
    graph::Sources entry_sources = graph::Sources::kept;
};

struct FrontEnd {
    model::Topology topology;
    graph::AccessGraph graph;
};

/// Reads the files given and the files of the directories given whose names end in one of
/// `extensions` (sorted, not recursive; a subdirectory is reported, KM030) into
/// `session.sources`, within the input size limits. A topology directory holds *.yaml and *.yml
/// files, as kubectl reads them.
/// How much `read_inputs` reads before it refuses (KM106, KM107).
struct InputLimits {
    std::size_t file_bytes;
    std::size_t total_bytes;
    std::string_view files;  ///< what the files are, for the diagnostic
    std::string_view help;
};
/// Topology files: written by people, so small (src/pipeline.cpp says why these sizes).
extern const InputLimits k_topology_limits;
/// A running platform's export, written by kubectl: 10,000 KafkaUsers as `kubectl get -o json`
/// writes them take about 50 MB (src/live/DECISIONS.md).
extern const InputLimits k_live_limits;

std::vector<std::uint32_t> read_inputs(const std::vector<std::string>& inputs, Session& session,
                                       const std::vector<std::string>& extensions = {".yaml",
                                                                                     ".yml"},
                                       const InputLimits& limits = k_topology_limits);

/// Reads the files and directories given (topology.md "Many files"), parses, checks and builds
/// the access graph. Returns nothing when an error was reported; warnings do not stop it.
std::optional<FrontEnd> run_front_end(const std::vector<std::string>& inputs, Session& session);
/// The front end on files already added to `session.sources` (read from git, or by the fuzzer
/// without a file system). Several files are parsed on two cores; `limits` (a test's) hold for
/// all of them together, as when they are read in turn.
std::optional<FrontEnd> run_front_end_on(const std::vector<std::uint32_t>& files, Session& session,
                                         const source::LoadLimits& limits = {});
/// The front end on documents already parsed (the topology import has just built).
std::optional<FrontEnd> run_front_end_on_documents(std::vector<source::YamlDocument> documents,
                                                   Session& session);

/// After the review checks (access, diff): drops the acknowledged review warnings, reports the
/// unused acknowledgements of review codes and applies --warnings-as-errors.
void settle_review_warnings(Session& session);

struct CompileOptions {
    std::optional<std::string> templates_dir;
    emit::Groups groups = emit::all_groups;
    emit::HelmRelease helm_release = emit::HelmRelease::none;
    /// The command line asked for the chart's values (`--only helm-values`): an error (KM504)
    /// unless the distribution has a chart.
    bool helm_values_requested = false;
    /// The chart's values are written (`--only helm-values`, or `-o DIR` with helm/values.yaml).
    bool helm_values_written = false;
    /// Where the documents' texts may wait until they are written (compile to standard output);
    /// none: each is held in memory.
    util::Spool* spool = nullptr;
};

/// The front end plus emission; nothing is returned when any error was reported.
std::optional<std::vector<emit::Manifest>> compile(const std::vector<std::string>& inputs,
                                                   const CompileOptions& options, Session& session);

/// The front end plus everything emitted: the documents and, for distribution bitnami, the Helm
/// values. Nothing is returned when any error was reported.
std::optional<emit::Output> compile_output(const std::vector<std::string>& inputs,
                                           const CompileOptions& options, Session& session);
/// The same on files already added to `session.sources`.
std::optional<emit::Output> compile_output_on(const std::vector<std::uint32_t>& files,
                                              const CompileOptions& options, Session& session);

}  // namespace km
