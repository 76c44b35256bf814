// The scale benchmark: generates synthetic topologies of N services and times whole kafkamesh
// commands against yaml-cpp's LoadFile of the same file, measured in the same run. Wall time, CPU
// time (user + system, over all threads: emission runs on every core) and peak RSS come from the
// kernel's accounting of each finished child (wait4). Medians of R runs; ratios are taken pair
// by pair so a noisy machine affects both sides alike. The same topology is also compiled as a
// directory of five files (the platform's and four teams'), whose files are parsed a file per
// core; it must compile to the same bytes.
//
//   kafkamesh_bench KAFKAMESH YAML_LOAD [--sizes 1000,10000,50000] [--runs 5] [--work DIR]
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "bench/topology_generator.h"

namespace fs = std::filesystem;

namespace {

struct Sample {
    double wall_s = 0;
    double cpu_s = 0;
    double peak_mib = 0;
};

double seconds(const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
}

Sample run(const std::vector<std::string>& args) {
    std::fflush(stdout);  // or the child would write the parent's buffered lines again
    auto start = std::chrono::steady_clock::now();
    pid_t pid = fork();
    if (pid == 0) {
        std::FILE* null = std::freopen("/dev/null", "w", stdout);
        (void)null;
        std::vector<char*> argv;
        for (const std::string& a : args) {
            argv.push_back(const_cast<char*>(a.c_str()));
        }
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        _exit(127);
    }
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    auto end = std::chrono::steady_clock::now();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::fprintf(stderr, "bench: command failed: %s ...\n", args[0].c_str());
        std::exit(1);
    }
    return {std::chrono::duration<double>(end - start).count(),
            seconds(usage.ru_utime) + seconds(usage.ru_stime), usage.ru_maxrss / 1024.0};
}

/// Runs `args` with its standard output written to `out` (the compiled output as a live dump).
void run_to(const std::vector<std::string>& args, const fs::path& out) {
    std::string command;
    for (const std::string& a : args) {
        command += "'" + a + "' ";
    }
    if (std::system((command + "> '" + out.string() + "'").c_str()) != 0) {
        std::fprintf(stderr, "bench: command failed: %s\n", command.c_str());
        std::exit(1);
    }
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

void write(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
}

/// The topology as a directory, the way a platform team and service teams keep it: the
/// cluster, namespaces, topics and roles in one file, the services in `teams` files of equal
/// size. It compiles to the same bytes as the single file (checked below).
void write_split(const std::string& text, const fs::path& dir, std::size_t teams) {
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::size_t services = text.find("\nservices:\n");
    if (services == std::string::npos) {
        std::fprintf(stderr, "bench: the generated topology has no services list\n");
        std::exit(1);
    }
    write(dir / "platform.yaml", text.substr(0, services + 1));
    std::vector<std::size_t> items;
    for (std::size_t at = text.find("\n  - ", services); at != std::string::npos;
         at = text.find("\n  - ", at + 1)) {
        items.push_back(at + 1);
    }
    items.push_back(text.size());
    std::size_t count = items.size() - 1;
    for (std::size_t t = 0; t < teams; ++t) {
        std::size_t from = items[count * t / teams];
        std::size_t to = items[count * (t + 1) / teams];
        write(dir / ("team-" + std::to_string(t) + ".yaml"),
              "apiVersion: kafkamesh.io/v1alpha1\nkind: Topology\nservices:\n" +
                  text.substr(from, to - from));
    }
}

std::string read_all(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr,
                     "usage: kafkamesh_bench KAFKAMESH YAML_LOAD [--sizes N,N...] [--runs R] "
                     "[--work DIR]\n");
        return 2;
    }
    std::string kafkamesh = fs::absolute(argv[1]).string();
    std::string yaml_load = fs::absolute(argv[2]).string();
    std::vector<std::size_t> sizes = {1000, 10000, 50000};
    int runs = 5;
    fs::path work = fs::temp_directory_path() / ("kafkamesh-bench-" + std::to_string(getpid()));
    for (int i = 3; i + 1 < argc; i += 2) {
        std::string flag = argv[i];
        if (flag == "--runs") {
            runs = std::stoi(argv[i + 1]);
        } else if (flag == "--work") {
            work = argv[i + 1];
        } else if (flag == "--sizes") {
            sizes.clear();
            std::stringstream list(argv[i + 1]);
            for (std::string item; std::getline(list, item, ',');) {
                sizes.push_back(std::stoul(item));
            }
        }
    }
    fs::create_directories(work);
    std::printf(
        "median of %d runs; ratios are medians of per-run ratios against LoadFile of the same "
        "file\n\n",
        runs);
    std::printf("%-9s %-16s %9s %9s %9s %9s %10s %9s\n", "services", "command", "wall s", "x load",
                "cpu s", "x load", "peak MiB", "x load");
    std::vector<double> compile_wall;
    // command -> median wall and CPU time per size, for time(next size) / time(size)
    std::vector<std::pair<std::string, std::vector<std::pair<double, double>>>> growth;
    for (std::size_t n : sizes) {
        km::bench::GeneratorOptions options = km::bench::GeneratorOptions::realistic(n);
        fs::path base = work / ("topology-" + std::to_string(n) + ".yaml");
        fs::path head = work / ("topology-" + std::to_string(n) + "-changed.yaml");
        std::string base_text = km::bench::generate_topology(options);
        write(base, base_text);
        fs::path split = work / ("topology-" + std::to_string(n) + "-files");
        write_split(base_text, split, 4);
        options.change_percent = 1;
        write(head, km::bench::generate_topology(options));
        fs::path out_dir = work / ("out-" + std::to_string(n));
        // The compiled output is a live dump: import and drift read it as exported state.
        fs::path live = work / ("live-" + std::to_string(n) + ".yaml");
        run_to({kafkamesh, "compile", base.string()}, live);
        fs::path split_out = work / ("files-" + std::to_string(n) + ".yaml");
        run_to({kafkamesh, "compile", split.string()}, split_out);
        if (read_all(split_out) != read_all(live)) {
            std::fprintf(stderr, "bench: the topology in files compiles to other bytes\n");
            return 1;
        }
        std::string first = km::bench::service_key(options, 0);
        struct Command {
            std::string label;
            std::vector<std::string> args;
        };
        std::vector<Command> commands = {
            {"validate", {kafkamesh, "validate", base.string()}},
            {"compile", {kafkamesh, "compile", base.string()}},
            {"compile -o DIR", {kafkamesh, "compile", base.string(), "-o", out_dir.string()}},
            {"compile, 5 files", {kafkamesh, "compile", split.string()}},
            {"diff (1%)", {kafkamesh, "diff", base.string(), head.string()}},
            {"access", {kafkamesh, "access", base.string()}},
            {"who-can",
             {kafkamesh, "who-can", base.string(), "Read", "topic", km::bench::topic_name(1)}},
            {"explain", {kafkamesh, "explain", base.string(), "--service", first}},
            {"graph", {kafkamesh, "graph", base.string(), "--max-nodes", "100000000"}},
            {"client-config", {kafkamesh, "client-config", base.string(), "--service", first}},
        };
        // import and drift read the compiled output as a live dump, in both of kubectl's
        // formats: the target is a 10,000-user dump, so larger sizes leave them out.
        if (n <= 10000) {
            fs::path live_json = work / ("live-" + std::to_string(n) + ".json");
            run_to({yaml_load, "--kubectl-json", live.string()}, live_json);
            for (const fs::path& dump : {live, live_json}) {
                std::string format = dump.extension() == ".json" ? " (json)" : " (yaml)";
                commands.push_back({"import" + format, {kafkamesh, "import", dump.string()}});
                commands.push_back({"drift" + format,
                                    {kafkamesh, "drift", base.string(), "--live", dump.string()}});
            }
        }
        std::vector<std::vector<Sample>> samples(commands.size());
        std::vector<double> compile_per_run;
        std::vector<Sample> load;
        std::vector<Sample> events;
        run({yaml_load, base.string()});  // warm the page cache
        for (int r = 0; r < runs; ++r) {
            load.push_back(run({yaml_load, base.string()}));
            events.push_back(run({yaml_load, "--events", base.string()}));
            for (std::size_t c = 0; c < commands.size(); ++c) {
                samples[c].push_back(run(commands[c].args));
            }
        }
        std::vector<double> load_wall;
        std::vector<double> load_cpu;
        std::vector<double> load_rss;
        for (const Sample& s : load) {
            load_wall.push_back(s.wall_s);
            load_cpu.push_back(s.cpu_s);
            load_rss.push_back(s.peak_mib);
        }
        std::printf("%-9zu %-16s %9.3f %9s %9.3f %9s %10.1f %9s\n", n, "LoadFile",
                    median(load_wall), "1.00", median(load_cpu), "1.00", median(load_rss), "1.00");
        std::vector<double> events_wall;
        std::vector<double> events_ratio;
        for (int r = 0; r < runs; ++r) {
            events_wall.push_back(events[r].wall_s);
            events_ratio.push_back(events[r].wall_s / load[r].wall_s);
        }
        std::printf("%-9s %-16s %9.3f %9.2f\n", "", "event parser", median(events_wall),
                    median(events_ratio));
        for (std::size_t c = 0; c < commands.size(); ++c) {
            std::vector<double> wall;
            std::vector<double> cpu;
            std::vector<double> rss;
            std::vector<double> wall_ratio;
            std::vector<double> cpu_ratio;
            std::vector<double> rss_ratio;
            for (int r = 0; r < runs; ++r) {
                wall.push_back(samples[c][r].wall_s);
                cpu.push_back(samples[c][r].cpu_s);
                rss.push_back(samples[c][r].peak_mib);
                wall_ratio.push_back(samples[c][r].wall_s / load[r].wall_s);
                cpu_ratio.push_back(samples[c][r].cpu_s / load[r].cpu_s);
                rss_ratio.push_back(samples[c][r].peak_mib / load[r].peak_mib);
            }
            std::printf("%-9s %-16s %9.3f %9.2f %9.3f %9.2f %10.1f %9.2f\n", "",
                        commands[c].label.c_str(), median(wall), median(wall_ratio), median(cpu),
                        median(cpu_ratio), median(rss), median(rss_ratio));
            auto row = std::find_if(growth.begin(), growth.end(),
                                    [&](const auto& g) { return g.first == commands[c].label; });
            if (row == growth.end()) {
                growth.push_back({commands[c].label, {}});
                row = growth.end() - 1;
            }
            row->second.push_back({median(wall), median(cpu)});
            if (commands[c].label == "compile") {
                compile_wall.push_back(median(wall));
                compile_per_run = wall;
                std::vector<double> ratio;
                for (int r = 0; r < runs; ++r) {
                    ratio.push_back(wall[r] / events[r].wall_s);
                }
                std::printf("%-9s %-16s %9s %9.2f   (wall time / yaml-cpp's event parser)\n", "",
                            "", "", median(ratio));
            }
            if (commands[c].label != "compile" && commands[c].label != "validate" &&
                commands[c].label != "compile -o DIR") {
                std::vector<double> ratio;
                for (int r = 0; r < runs; ++r) {
                    ratio.push_back(wall[r] / compile_per_run[r]);
                }
                std::printf("%-9s %-16s %9s %9.2f   (wall time / one compile)\n", "", "", "",
                            median(ratio));
            }
        }
        std::fflush(stdout);
    }
    for (std::size_t i = 0; i + 1 < sizes.size(); ++i) {
        std::printf("\ntime(%zu) / time(%zu), %.1fx the services: wall (CPU)\n", sizes[i + 1],
                    sizes[i], double(sizes[i + 1]) / double(sizes[i]));
        for (const auto& [label, times] : growth) {
            if (i + 1 < times.size()) {
                std::printf("  %-16s %6.2f (%.2f)\n", label.c_str(),
                            times[i + 1].first / times[i].first,
                            times[i + 1].second / times[i].second);
            }
        }
    }
    fs::remove_all(work);
    return 0;
}
