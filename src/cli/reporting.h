// Shared by the commands: printing diagnostics, choosing the exit code, writing to stdout.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "cli/exit_code.h"
#include "pipeline.h"

namespace CLI {
class App;
}

namespace km::cli {

enum class DiagnosticFormat { text, json, github, sarif };

struct ReportOptions {
    DiagnosticFormat format = DiagnosticFormat::text;
    std::size_t max_diagnostics = 50;
};

/// Registers `--max-diagnostics N`, the cap on text diagnostics (ReportOptions::max_diagnostics),
/// one way for every command that takes it; the value is written to `max_diagnostics`.
void add_max_diagnostics_option(CLI::App& command, std::size_t& max_diagnostics);

/// Registers `--warnings-as-errors` one way for every command that checks the topology.
void add_warnings_as_errors_flag(CLI::App& command, bool& warnings_as_errors);

/// Registers the required positional topology files and directories one way for the commands
/// that read a whole topology.
void add_topology_inputs(CLI::App& command, std::vector<std::string>& inputs);

/// Registers the required `--service` of explain and client-config (resolve_service reads it).
void add_service_option(CLI::App& command, std::string& service);

/// Registers `--env NAME` one way for every command that reads a topology; the value is written
/// to `environment` (Session::environment).
void add_env_option(CLI::App& command, std::string& environment);

/// Prints the session's diagnostics: text to stderr; json, github and sarif to stdout.
void print_diagnostics(const Session& session, const ReportOptions& options);

/// 0 when no error was reported, else the code of the most severe class (io over findings).
ExitCode exit_code_for(const diag::DiagnosticSink& sink);

/// Prints the diagnostics and returns exit_code_for them, or io, with a message, when what went
/// to stdout could not be written: a reader who never gets a JSON report must not see a success,
/// nor a findings exit that no report backs.
ExitCode report_and_exit(const Session& session, const ReportOptions& options);

/// The front end on `inputs`; when it stops on an error, the diagnostics are printed and the exit
/// code is returned instead. On success nothing is printed yet: the command may add diagnostics
/// of its own and prints them all.
std::variant<FrontEnd, ExitCode> front_end_or_exit(const std::vector<std::string>& inputs,
                                                   Session& session,
                                                   const ReportOptions& options = {});

/// Writes all of `text` to stdout and flushes; false on a write error (closed pipe, full disk).
bool write_stdout(const std::string& text);
/// Says on stderr that stdout could not be written and returns io: every command's answer to a
/// full disk or a reader that went away, so a pipeline never takes a cut output for a whole one.
ExitCode stdout_failed();
/// write_stdout, then ok, or stdout_failed().
ExitCode write_result(const std::string& text);
/// Writes the documents as one stream, each after "---", without first joining them in memory.
bool write_manifests_to_stdout(const std::vector<emit::Manifest>& manifests);

/// Writes a few whole files under `dir` (created if missing), each through a temporary file and
/// a rename so no reader sees a half-written file. Reports KM004 and returns false on failure.
/// `compile -o` uses the owned, atomically swapped output directory instead.
bool write_files(const std::string& dir,
                 const std::vector<std::pair<std::string, std::string>>& files, Session& session);

}  // namespace km::cli
