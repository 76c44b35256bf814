// kafkamesh completion bash|zsh|fish: the completion script for a shell, on stdout.
#include <memory>

#include "cli/commands.h"
#include "cli/completion_script.h"
#include "cli/reporting.h"

namespace km::cli {

void register_completion(CLI::App& app, ExitCode& result) {
    auto shell = std::make_shared<std::string>();
    CLI::App* cmd = app.add_subcommand("completion", "Print the shell completion script");
    cmd->footer(
        "Examples:\n"
        "  source <(kafkamesh completion bash)\n"
        "  kafkamesh completion zsh > \"${fpath[1]}/_kafkamesh\"\n"
        "  kafkamesh completion fish > ~/.config/fish/completions/kafkamesh.fish");
    cmd->add_option("shell", *shell, "bash, zsh or fish")
        ->required()
        ->check(CLI::IsMember({"bash", "zsh", "fish"}));
    CLI::App* root = &app;
    cmd->callback([shell, root, &result] {
        std::vector<CompletionCommand> commands = completion_commands(*root);
        std::string script = *shell == "bash"  ? bash_completion(commands)
                             : *shell == "zsh" ? zsh_completion(commands)
                                               : fish_completion(commands);
        result = write_result(script);
    });
}

}  // namespace km::cli
