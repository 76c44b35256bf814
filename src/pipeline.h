// The whole compile as one readable sequence of stages:
//   read files -> YAML trees -> typed topology -> checks -> access graph -> manifests.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "diag/diagnostic_sink.h"
#include "emit/emit.h"
#include "graph/access_graph.h"
#include "model/topology.h"
#include "source/source_manager.h"

namespace km {

/// What one run of the front end produced; diagnostics are in `sink`, positions in `sources`.
struct Session {
    source::SourceManager sources;
    diag::DiagnosticSink sink;
};

struct FrontEnd {
    model::Topology topology;
    graph::AccessGraph graph;
};

/// Reads the files and directories given (topology.md "Many files"), parses, checks and builds
/// the access graph. Returns nothing when an error was reported; warnings do not stop it.
std::optional<FrontEnd> run_front_end(const std::vector<std::string>& inputs, Session& session);
/// The same on files already in `session.sources` (tests and the fuzzer, no file system).
std::optional<FrontEnd> run_front_end(const std::vector<std::uint32_t>& files, Session& session);

struct CompileOptions {
    std::optional<std::string> templates_dir;
    emit::Groups groups = emit::all_groups;
};

/// The front end plus emission; nothing is returned when any error was reported.
std::optional<std::vector<emit::Manifest>> compile(const std::vector<std::string>& inputs,
                                                   const CompileOptions& options, Session& session);
std::optional<std::vector<emit::Manifest>> compile(const std::vector<std::uint32_t>& files,
                                                   const CompileOptions& options, Session& session);

}  // namespace km
