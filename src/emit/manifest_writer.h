// The only serialiser: Value trees to YAML text, each scalar styled by YAML's rules (see
// manifest_writer.cpp), never by concatenating strings in the emitters.
#pragma once

#include <string>
#include <vector>

#include "emit/manifest.h"

namespace km::emit {

/// One YAML document, without a document marker.
std::string write_yaml(const Value& document);
/// The same, appended to `out`.
void append_yaml(std::string& out, const Value& document);
/// A stream of documents, each preceded by "---".
std::string write_stream(const std::vector<Manifest>& manifests);

}  // namespace km::emit
