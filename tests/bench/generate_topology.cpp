// kafkamesh_generate_topology SERVICES [--realistic] [--change-percent N] [--streams-every N]
// [--plant-widening]:
// a synthetic topology on stdout, for benchmarks and scale tests.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "topology_generator.h"

int main(int argc, char** argv) {
    km::bench::GeneratorOptions options;
    if (argc < 2) {
        std::fputs(
            "usage: kafkamesh_generate_topology SERVICES [--realistic] [--change-percent N] "
            "[--streams-every N] [--plant-widening]\n",
            stderr);
        return 2;
    }
    options.services = std::strtoul(argv[1], nullptr, 10);
    for (int i = 2; i < argc; ++i) {
        if (std::string(argv[i]) == "--realistic") {
            bool plant = options.plant_widening;
            std::size_t change = options.change_percent;
            options = km::bench::GeneratorOptions::realistic(options.services);
            options.plant_widening = plant;
            options.change_percent = change;
        } else if (std::string(argv[i]) == "--change-percent" && i + 1 < argc) {
            options.change_percent = std::strtoul(argv[++i], nullptr, 10);
        } else if (std::string(argv[i]) == "--streams-every" && i + 1 < argc) {
            options.streams_every = std::strtoul(argv[++i], nullptr, 10);
        } else if (std::string(argv[i]) == "--plant-widening") {
            options.plant_widening = true;
        } else {
            std::fprintf(stderr, "unknown option '%s'\n", argv[i]);
            return 2;
        }
    }
    std::string text = km::bench::generate_topology(options);
    return std::fwrite(text.data(), 1, text.size(), stdout) == text.size() ? 0 : 3;
}
