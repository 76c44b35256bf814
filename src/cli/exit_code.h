// Process exit codes, the same for every command.
#pragma once

namespace km::cli {

enum class ExitCode : int {
    ok = 0,        ///< success; warnings alone do not fail
    findings = 1,  ///< any error diagnostic
    usage = 2,     ///< bad command line
    io = 3,        ///< an input or output unavailable (KM002-KM004, KM020, KM505)
    internal = 4,  ///< a bug (KM001)
    /// standard output is a pipe whose reader went away (`kafkamesh ... | head`): quiet, and
    /// the status a shell reports for a tool that SIGPIPE ended (128 + 13), as cat and grep give
    closed_pipe = 141,
};

}  // namespace km::cli
