// Reads live-state files: Kubernetes documents (`kubectl get ... -o yaml` or `-o json`, a List or
// a stream), the text of `kafka-acls.sh --list` and of `kafka-configs.sh --describe
// --entity-type users`. Each file is recognised by its content. Emits KM70x.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "diag/diagnostic_sink.h"
#include "live/live_state.h"
#include "source/source_manager.h"
#include "source/yaml_tree.h"

namespace km::live {

/// Reads every file already added to `sources`; returns nothing when an error was reported (a
/// malformed file), so nothing is compared or written from half an input.
std::optional<LiveState> read_live(const std::vector<std::uint32_t>& files,
                                   const source::SourceManager& sources,
                                   diag::DiagnosticSink& sink);

/// Reads one parsed document (an object or a List; KM700 for anything else) into `state`.
void read_live_document(const source::YamlDocument& doc, LiveState& state,
                        diag::DiagnosticSink& sink);
/// What the documents read into `state` add up to, sorted as read_live returns it; nothing when
/// `sink` holds an error.
std::optional<LiveState> finish_live(LiveState state, const diag::DiagnosticSink& sink);

/// The extensions a directory of live files contributes.
inline const std::vector<std::string> k_live_extensions = {".yaml", ".yml", ".json", ".txt"};

}  // namespace km::live
