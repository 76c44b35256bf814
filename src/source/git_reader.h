// Reads topology files as they are at a git revision (`diff --git REF`), without a checkout.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "diag/diagnostic_sink.h"
#include "source/source_manager.h"

namespace km::source {

/// Adds each file of `inputs` (files, or directories of *.yaml files, taken from the working
/// tree's paths) as it is at `ref`, named "<ref>:<path>". Reports KM002 for what git cannot
/// give; returns the added file indices in the order run_front_end would read them.
std::vector<std::uint32_t> read_git_inputs(const std::string& ref,
                                           const std::vector<std::string>& inputs,
                                           SourceManager& sources, diag::DiagnosticSink& sink);

}  // namespace km::source
