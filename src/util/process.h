// Runs a program without a shell and collects what it writes to stdout.
#pragma once

#include <string>
#include <vector>

namespace km::util {

struct ProcessResult {
    int exit_code = -1;  ///< -1: the program could not be started
    std::string output;  ///< its standard output; standard error is discarded
};

/// Runs `argv[0]` found on PATH with `argv`; the arguments are passed as they are.
ProcessResult run_process(const std::vector<std::string>& argv);

}  // namespace km::util
