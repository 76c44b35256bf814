// Registration of each subcommand on the CLI11 application; each lives in its own file.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/exit_code.h"

namespace km::cli {

/// Registers the command; after parsing, `result` holds its exit code if it was the one chosen.
void register_compile(CLI::App& app, ExitCode& result);
void register_validate(CLI::App& app, ExitCode& result);
void register_diff(CLI::App& app, ExitCode& result);
void register_drift(CLI::App& app, ExitCode& result);
void register_plan(CLI::App& app, ExitCode& result);
void register_apply(CLI::App& app, ExitCode& result);
void register_import(CLI::App& app, ExitCode& result);
void register_explain(CLI::App& app, ExitCode& result);
void register_who_can(CLI::App& app, ExitCode& result);
void register_access(CLI::App& app, ExitCode& result);
void register_client_config(CLI::App& app, ExitCode& result);
void register_graph(CLI::App& app, ExitCode& result);
void register_version(CLI::App& app, ExitCode& result);
void register_schema(CLI::App& app, ExitCode& result);
void register_init(CLI::App& app, ExitCode& result);
void register_explain_code(CLI::App& app, ExitCode& result);
/// Registered last: the scripts are generated from every subcommand registered on `app`.
void register_completion(CLI::App& app, ExitCode& result);

}  // namespace km::cli
