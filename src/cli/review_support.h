// Shared by the review commands (diff, explain, who-can, access, client-config): output formats,
// colour, and naming a service on the command line.
#pragma once

#include <cstdio>
#include <optional>
#include <string>

#include "pipeline.h"
#include "review/access_query.h"

namespace km::cli {

review::Format parse_format(const std::string& name);

/// Colour only on a terminal, and never when NO_COLOR is set to anything (no-color.org).
bool use_colour(std::FILE* stream);

/// The service `wanted` names ("namespace/name"): `namespace/name`, a bare name that one
/// namespace declares, or the Kafka user of its identity. Reports KM007, with candidates, when
/// none or several match.
std::optional<std::string> resolve_service(const FrontEnd& front, const std::string& wanted,
                                           Session& session);

}  // namespace km::cli
