#include "cli/reporting.h"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "cli/product_version.h"
#include "diag/render.h"
#include "emit/manifest_writer.h"

namespace km::cli {

void add_max_diagnostics_option(CLI::App& command, std::size_t& max_diagnostics) {
    command.add_option("--max-diagnostics", max_diagnostics,
                       "Show at most this many diagnostics (0: all)");
}

void add_warnings_as_errors_flag(CLI::App& command, bool& warnings_as_errors) {
    command.add_flag("--warnings-as-errors", warnings_as_errors,
                     "Treat every warning that no 'acknowledge' entry accepts as an error (exit 1, "
                     "nothing written)");
}

void add_topology_inputs(CLI::App& command, std::vector<std::string>& inputs) {
    command
        .add_option("inputs", inputs,
                    "Topology files or directories of *.yaml and *.yml files (-: standard input)")
        ->required();
}

void add_service_option(CLI::App& command, std::string& service) {
    command
        .add_option("--service", service,
                    "The service: namespace/name, its name alone if one namespace declares it, or "
                    "its Kafka user")
        ->required();
}

void add_env_option(CLI::App& command, std::string& environment) {
    command.add_option("--env", environment,
                       "Read the topology as this entry of its 'environments': its mesh and kafka "
                       "overrides and topicLimits applied (default: as written)");
}

void print_diagnostics(const Session& session, const ReportOptions& options) {
    std::vector<diag::Diagnostic> sorted = session.sink.sorted();
    if (options.format == DiagnosticFormat::json) {
        write_stdout(diag::render_json(sorted, session.sources));
        return;
    }
    if (options.format == DiagnosticFormat::github) {
        write_stdout(diag::render_github(sorted, session.sources));
        return;
    }
    if (options.format == DiagnosticFormat::sarif) {
        write_stdout(diag::render_sarif(sorted, session.sources, product_version()));
        return;
    }
    diag::RenderOptions render;
    render.max_diagnostics = options.max_diagnostics;
    render.acknowledged = session.sink.acknowledged();
    std::string text = diag::render_text(sorted, session.sources, render);
    std::fwrite(text.data(), 1, text.size(), stderr);
    std::fflush(stderr);
}

ExitCode exit_code_for(const diag::DiagnosticSink& sink) {
    if (sink.has(diag::Code::KM001)) {
        return ExitCode::internal;
    }
    for (diag::Code io : {diag::Code::KM002, diag::Code::KM003, diag::Code::KM004,
                          diag::Code::KM020, diag::Code::KM505}) {
        if (sink.has(io)) {
            return ExitCode::io;
        }
    }
    return sink.has_errors() ? ExitCode::findings : ExitCode::ok;
}

ExitCode report_and_exit(const Session& session, const ReportOptions& options) {
    print_diagnostics(session, options);
    if (std::ferror(stdout) || std::fflush(stdout) != 0) {
        return stdout_failed();
    }
    return exit_code_for(session.sink);
}

std::variant<FrontEnd, ExitCode> front_end_or_exit(const std::vector<std::string>& inputs,
                                                   Session& session, const ReportOptions& options) {
    std::optional<FrontEnd> front = run_front_end(inputs, session);
    if (!front) {
        return report_and_exit(session, options);
    }
    return std::move(*front);
}

bool write_stdout(const std::string& text) {
    if (!text.empty() && std::fwrite(text.data(), 1, text.size(), stdout) != text.size()) {
        return false;
    }
    return std::fflush(stdout) == 0;
}

ExitCode stdout_failed() {
    // SIGPIPE is ignored (main.cpp), so a reader that closed the pipe shows as EPIPE here. Like
    // other Unix tools, say nothing: the reader chose to stop reading. Exit 141 all the same, so
    // that a truncated stream never counts as a success. Any other error (a full disk) is one.
    pollfd out{.fd = STDOUT_FILENO, .events = 0, .revents = 0};
    bool reader_gone = ::poll(&out, 1, 0) == 1 && (out.revents & POLLERR) != 0;  // Linux pipe(7)
    if (errno == EPIPE || reader_gone) {
        return ExitCode::closed_pipe;
    }
    std::fputs("kafkamesh: error: cannot write to standard output\n", stderr);
    return ExitCode::io;
}

ExitCode write_result(const std::string& text) {
    return write_stdout(text) ? ExitCode::ok : stdout_failed();
}

bool write_files(const std::string& dir,
                 const std::vector<std::pair<std::string, std::string>>& files, Session& session) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
        session.sink.report(diag::Code::KM004, {},
                            fmt::format("cannot create directory '{}': {}", dir, ec.message()));
        return false;
    }
    for (const auto& [name, content] : files) {
        fs::path target = fs::path(dir) / name;
        fs::path temporary = fs::path(dir) / ("." + name + ".tmp");
        {
            std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
            out.write(content.data(), static_cast<std::streamsize>(content.size()));
            out.flush();
            if (!out) {
                session.sink.report(
                    diag::Code::KM004, {},
                    fmt::format("cannot write '{}': {}", target.string(), std::strerror(errno)));
                fs::remove(temporary, ec);
                return false;
            }
        }
        fs::rename(temporary, target, ec);
        if (ec) {
            session.sink.report(
                diag::Code::KM004, {},
                fmt::format("cannot write '{}': {}", target.string(), ec.message()));
            fs::remove(temporary, ec);
            return false;
        }
    }
    return true;
}

bool write_manifests_to_stdout(const std::vector<emit::Manifest>& manifests) {
    return emit::write_manifests(stdout, manifests);
}

}  // namespace km::cli
