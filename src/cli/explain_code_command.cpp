// kafkamesh explain-code: the long help of a diagnostic code, or the catalogue when none is given.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "cli/commands.h"
#include "cli/reporting.h"
#include "diag/builtin_help.h"
#include "diag/diagnostic.h"

namespace km::cli {
namespace {

struct ExplainArgs {
    std::string code;
};

std::string catalogue() {
    std::string out;
    for (diag::Code code : diag::all_codes()) {
        out += fmt::format("{}  {:<7}  {}\n", diag::code_string(code),
                           diag::severity_string(diag::default_severity(code)),
                           diag::code_summary(code));
    }
    return out + "\nrun 'kafkamesh explain-code KMnnn' for the long help of one code\n";
}

ExitCode run_explain(const ExplainArgs& args) {
    if (args.code.empty()) {
        return write_result(catalogue());
    }
    std::string wanted = args.code;
    std::transform(wanted.begin(), wanted.end(), wanted.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    diag::Code code;
    if (!diag::parse_code(wanted, code)) {
        std::fputs(fmt::format("kafkamesh: error: no diagnostic code '{}'\n"
                               "run 'kafkamesh explain-code' for the list of codes\n",
                               args.code)
                       .c_str(),
                   stderr);
        return ExitCode::usage;
    }
    for (const diag::BuiltinHelp& help : diag::builtin_help()) {
        if (wanted == help.code) {
            return write_result(help.text);
        }
    }
    // A code added without its help file still explains itself with its summary.
    return write_result(fmt::format("# {}: {}\n", wanted, diag::code_summary(code)));
}

}  // namespace

void register_explain_code(CLI::App& app, ExitCode& result) {
    auto args = std::make_shared<ExplainArgs>();
    CLI::App* cmd = app.add_subcommand(
        "explain-code", "Explain a diagnostic code with a minimal example, or list every code");
    cmd->footer(
        "Examples:\n"
        "  kafkamesh explain-code KM301\n"
        "  kafkamesh explain-code");
    cmd->add_option("code", args->code, "A diagnostic code such as KM301");
    cmd->callback([args, &result] { result = run_explain(*args); });
}

}  // namespace km::cli
