// Reads live-state files: Kubernetes documents (`kubectl get ... -o yaml` or `-o json`, a List or
// a stream), the text of `kafka-acls.sh --list` and of `kafka-configs.sh --describe
// --entity-type users`. Each file is recognised by its content. Emits KM70x.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "live/live_state.h"
#include "pipeline.h"

namespace km::live {

/// Reads every file already added to `session.sources`; returns nothing when an error was
/// reported (a malformed file), so nothing is compared or written from half an input.
std::optional<LiveState> read_live(const std::vector<std::uint32_t>& files, Session& session);

/// Reads files and directories (a directory contributes its *.yaml, *.yml, *.json and *.txt).
std::optional<LiveState> read_live_paths(const std::vector<std::string>& paths, Session& session);

}  // namespace km::live
