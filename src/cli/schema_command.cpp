// kafkamesh schema: the topology JSON Schema this binary was built with, for editors and CI.
#include "cli/builtin_schema.h"
#include "cli/commands.h"
#include "cli/reporting.h"

namespace km::cli {

void register_schema(CLI::App& app, ExitCode& result) {
    CLI::App* cmd = app.add_subcommand(
        "schema", "Print the JSON Schema of the topology format (for editors and CI)");
    cmd->footer(
        "Examples:\n"
        "  kafkamesh schema > topology.schema.json\n"
        "  kafkamesh schema | jq '.properties.kafka.properties | keys'");
    cmd->callback([&result] { result = write_result(std::string(builtin_schema())); });
}

}  // namespace km::cli
