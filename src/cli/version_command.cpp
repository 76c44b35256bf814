// kafkamesh version: the product version and the target API versions this build emits for.
#include <fmt/format.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/product_version.h"
#include "cli/reporting.h"
#include "model/topology.h"

namespace km::cli {
namespace {

struct VersionArgs {
    std::string format = "text";
};

ExitCode run_version(const VersionArgs& args) {
    // The defaults come from the model so the printed targets cannot drift from what is emitted.
    const model::Mesh mesh_defaults;
    const model::BitnamiOptions bitnami_defaults;
    std::string istio_minor = mesh_defaults.istio_version.value;
    int chart = bitnami_defaults.chart;
    std::string text;
    if (args.format == "json") {
        nlohmann::ordered_json root;
        root["version"] = std::string(product_version());
        root["targets"]["istio"] = {{"apis", {"security.istio.io/v1", "networking.istio.io/v1"}},
                                    {"defaultIstioVersion", istio_minor}};
        root["targets"]["strimzi"] = {{"apis", {"kafka.strimzi.io/v1", "kafka.strimzi.io/v1beta2"}},
                                      {"strimziVersion", "1.2"},
                                      {"kafkaVersions", {"4.2.x", "4.3.x"}},
                                      {"v1beta2StrimziVersions", "0.45-0.51"}};
        root["targets"]["bitnami"] = {{"chart", "bitnami/kafka"}, {"chartMajor", chart}};
        text = root.dump(2) + "\n";
    } else {
        text = fmt::format(
            "kafkamesh {}\n"
            "targets:\n"
            "  istio:   security.istio.io/v1, networking.istio.io/v1 (istioVersion default {})\n"
            "  strimzi: kafka.strimzi.io/v1 (Strimzi 1.2, Kafka 4.2.x and 4.3.x),\n"
            "           kafka.strimzi.io/v1beta2 (Strimzi 0.45-0.51)\n"
            "  bitnami: bitnami/kafka chart {}\n",
            product_version(), istio_minor, chart);
    }
    return write_result(text);
}

}  // namespace

void register_version(CLI::App& app, ExitCode& result) {
    auto args = std::make_shared<VersionArgs>();
    CLI::App* cmd = app.add_subcommand(
        "version",
        "Print the kafkamesh version and the Istio, Strimzi and Bitnami versions it targets");
    cmd->footer(
        "Examples:\n"
        "  kafkamesh version\n"
        "  kafkamesh version --format json | jq -r .version");
    cmd->add_option("--format", args->format, "text or json")
        ->check(CLI::IsMember({"text", "json"}));
    cmd->callback([args, &result] { result = run_version(*args); });
}

}  // namespace km::cli
