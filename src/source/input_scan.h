// Checks a file's bytes before yaml-cpp sees them: encoding, characters YAML forbids, and the
// invisible characters that make a file read differently in review from what it does.
#pragma once

#include <cstdint>

#include "diag/diagnostic_sink.h"
#include "source/source_manager.h"

namespace km::source {

/// Reports KM109 (not UTF-8), KM110 (a character YAML forbids) or KM111 (an invisible or
/// bidirectional-control character), the first of each kind only. A UTF-8 byte order mark at
/// the very start is accepted. Returns false when anything was reported.
bool scan_input(const SourceManager& sources, std::uint32_t file, diag::DiagnosticSink& sink);

/// Where a tab sits in the indentation of `line` (1-based column), or 0 when it has none.
std::uint32_t tab_in_indentation(std::string_view line);

}  // namespace km::source
