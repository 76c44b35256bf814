// Renders collected diagnostics for people (GNU file:line:col style) or machines (JSON).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "diag/diagnostic.h"
#include "diag/source_lines.h"

namespace km::diag {

struct RenderOptions {
    std::size_t max_diagnostics = 50;  ///< 0 = no cap
    bool source_context = true;
    /// Warnings acknowledged in the topology: counted in the summary, never printed.
    std::size_t acknowledged = 0;
};

/// Text: one block per diagnostic with the source line and a caret, then a summary line.
std::string render_text(const std::vector<Diagnostic>& diagnostics, const SourceLines& sources,
                        const RenderOptions& options);
/// JSON: {"diagnostics": [...], "summary": {"errors": N, "warnings": M}} with a fixed key order.
std::string render_json(const std::vector<Diagnostic>& diagnostics, const SourceLines& sources);
/// GitHub Actions workflow commands, one `::error file=F,line=L,col=C,title=KMnnn::message` (or
/// `::warning`) per diagnostic, escaped by GitHub's rules for properties and data.
std::string render_github(const std::vector<Diagnostic>& diagnostics, const SourceLines& sources);
/// A SARIF 2.1.0 log with one run; rules are the codes reported, with their long help.
std::string render_sarif(const std::vector<Diagnostic>& diagnostics, const SourceLines& sources,
                         std::string_view tool_version);
/// "file:line:col" (or "file" when the line is unknown); empty for no file.
std::string format_location(const Location& location, const SourceLines& sources);

}  // namespace km::diag
