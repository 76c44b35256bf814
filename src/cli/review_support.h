// Shared by the review commands (diff, explain, who-can, access): output formats and colour.
#pragma once

#include <cstdio>
#include <string>

#include "review/access_query.h"

namespace km::cli {

review::Format parse_format(const std::string& name);

/// Colour only on a terminal, and never when NO_COLOR is set to anything (no-color.org).
bool use_colour(std::FILE* stream);

}  // namespace km::cli
