#include "cli/reporting.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "diag/render.h"

namespace km::cli {

void print_diagnostics(const Session& session, const ReportOptions& options) {
    std::vector<diag::Diagnostic> sorted = session.sink.sorted();
    if (options.format == DiagnosticFormat::json) {
        write_stdout(diag::render_json(sorted, session.sources));
        return;
    }
    diag::RenderOptions render;
    render.max_diagnostics = options.max_diagnostics;
    std::string text = diag::render_text(sorted, session.sources, render);
    std::fwrite(text.data(), 1, text.size(), stderr);
    std::fflush(stderr);
}

ExitCode exit_code_for(const diag::DiagnosticSink& sink) {
    if (sink.has(diag::Code::KM001)) {
        return ExitCode::internal;
    }
    for (diag::Code io :
         {diag::Code::KM002, diag::Code::KM003, diag::Code::KM004, diag::Code::KM505}) {
        if (sink.has(io)) {
            return ExitCode::io;
        }
    }
    return sink.has_errors() ? ExitCode::findings : ExitCode::ok;
}

bool write_stdout(const std::string& text) {
    if (!text.empty() && std::fwrite(text.data(), 1, text.size(), stdout) != text.size()) {
        return false;
    }
    return std::fflush(stdout) == 0;
}

bool write_manifests_to_stdout(const std::vector<emit::Manifest>& manifests) {
    for (const emit::Manifest& m : manifests) {
        if (std::fwrite("---\n", 1, 4, stdout) != 4 ||
            std::fwrite(m.yaml.data(), 1, m.yaml.size(), stdout) != m.yaml.size()) {
            return false;
        }
    }
    return std::fflush(stdout) == 0;
}

}  // namespace km::cli
