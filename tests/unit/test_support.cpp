#include "test_support.h"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>

#include "diag/render.h"
#include "emit/manifest_writer.h"

namespace km::test {

namespace fs = std::filesystem;

ScratchDir::ScratchDir(const std::map<std::string, std::string>& files) {
    static std::atomic<int> counter{0};
    m_root = (fs::temp_directory_path() / fmt::format("kafkamesh-unit-{}-{}", getpid(), counter++))
                 .string();
    fs::remove_all(m_root);
    fs::create_directories(m_root);
    for (const auto& [name, text] : files) {
        write(name, text);
    }
}

ScratchDir::~ScratchDir() {
    std::error_code ec;
    fs::remove_all(m_root, ec);
}

std::string ScratchDir::path(const std::string& name) const {
    return name.empty() ? m_root : m_root + "/" + name;
}

void ScratchDir::write(const std::string& name, const std::string& text) const {
    fs::create_directories(fs::path(path(name)).parent_path());
    std::ofstream(path(name), std::ios::binary) << text;
}

std::string header(const std::string& extra_kafka) {
    return "apiVersion: kafkamesh.io/v1alpha1\n"
           "kind: Topology\n"
           "metadata: {name: shop}\n"
           "kafka:\n"
           "  name: events\n"
           "  namespace: kafka\n" +
           extra_kafka;
}

std::vector<std::string> diagnostics_of_files(const std::map<std::string, std::string>& files) {
    ScratchDir dir(files);
    Session session;
    std::vector<std::string> inputs;
    for (const auto& [name, text] : files) {
        inputs.push_back(dir.path(name));
    }
    run_front_end(inputs, session);
    std::vector<std::string> out;
    for (const diag::Diagnostic& d : session.sink.sorted()) {
        out.push_back(
            fmt::format("{}@{}:{}", diag::code_string(d.code), d.location.line, d.location.column));
    }
    return out;
}

std::vector<std::string> diagnostics_of(const std::string& text) {
    return diagnostics_of_files({{"input.yaml", text}});
}

std::string compile_text(const std::string& text) {
    ScratchDir dir({{"input.yaml", text}});
    Session session;
    auto manifests = compile({dir.path("input.yaml")}, CompileOptions{}, session);
    if (!manifests) {
        FAIL(diag::render_text(session.sink.sorted(), session.sources, {}));
        return {};
    }
    return emit::write_stream(*manifests);
}

std::vector<std::string> example_inputs() {
    std::vector<std::string> out;
    for (const auto& entry :
         std::filesystem::directory_iterator(std::string(KAFKAMESH_SOURCE_DIR) + "/examples")) {
        // examples/ci holds CI and GitOps files, not a topology.
        if (!entry.is_directory() || entry.path().filename() == "ci") {
            continue;
        }
        if (std::filesystem::exists(entry.path() / "topology.yaml")) {
            out.push_back((entry.path() / "topology.yaml").string());
        } else {
            out.push_back(entry.path().string());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace km::test
