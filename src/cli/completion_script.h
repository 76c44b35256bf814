// Shell completion scripts generated from the CLI11 definition itself, so they never drift from
// the commands and options the binary accepts.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace km::cli {

/// One option of a command as a shell sees it.
struct CompletionOption {
    std::vector<std::string> flags;  ///< "-o", "--output"
    std::string description;
    bool takes_value = false;
    std::vector<std::string> choices;  ///< from an IsMember check; empty: any value (a path)
};

struct CompletionCommand {
    std::string name;
    std::string description;
    std::vector<CompletionOption> options;
    bool takes_paths = false;  ///< has a positional argument
};

/// Every subcommand of `app` with its options, in registration order.
std::vector<CompletionCommand> completion_commands(CLI::App& app);

std::string bash_completion(const std::vector<CompletionCommand>& commands);
std::string zsh_completion(const std::vector<CompletionCommand>& commands);
std::string fish_completion(const std::vector<CompletionCommand>& commands);

}  // namespace km::cli
