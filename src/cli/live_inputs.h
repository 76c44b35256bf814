// The live files of `drift` and `import`: files and directories read into the session, then
// recognised by live/ (a directory contributes its *.yaml, *.yml, *.json and *.txt).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "live/live_state.h"
#include "pipeline.h"

namespace km::cli {

std::optional<live::LiveState> read_live_paths(const std::vector<std::string>& paths,
                                               Session& session);

}  // namespace km::cli
