// The only serialiser: Value trees to YAML text, each scalar styled by YAML's rules (see
// manifest_writer.cpp), never by concatenating strings in the emitters.
#pragma once

#include <cstdio>
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
/// The same written to `out` as it goes, spooled texts copied from their spool; false when a
/// text cannot be read or `out` cannot be written.
bool write_manifests(std::FILE* out, const std::vector<Manifest>& manifests);

}  // namespace km::emit
