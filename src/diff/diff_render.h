// The three views of a diff report: text for terminals, markdown for a pull-request comment,
// json for machines (its shape is documented in the README).
#pragma once

#include <string>

#include "diff/diff_report.h"

namespace km::diff {

/// Nothing at all for an empty report. `colour` adds ANSI colours (the caller decides on TTY
/// and NO_COLOR).
std::string render_text(const DiffReport& report, bool colour);
/// A summary table, then the details; nothing for an empty report.
std::string render_markdown(const DiffReport& report);
std::string render_json(const DiffReport& report);

}  // namespace km::diff
