// The three views of a diff report: text for terminals, markdown for a pull-request comment,
// json for machines (its shape is documented in the man page, JSON OUTPUT).
#pragma once

#include <map>
#include <string>

#include "diff/diff_report.h"

namespace km::diff {

/// Nothing at all for an empty report. `colour` adds ANSI colours (the caller decides on TTY
/// and NO_COLOR).
std::string render_text(const DiffReport& report, bool colour);
/// Where the markdown view links a file it names: the file as the report names it -> the URL of
/// that file (a line anchor "#L<line>" is appended). Files without an entry stay plain text.
using FileLinks = std::map<std::string, std::string>;

/// A summary table, then the details; nothing for an empty report. The positions of the risk
/// flags link to `links` when it names their file.
std::string render_markdown(const DiffReport& report, const FileLinks& links = {});
std::string render_json(const DiffReport& report);

}  // namespace km::diff
