// A compiled document as the parsed tree the readers of YAML input take, without writing it as
// text and parsing it again: `drift` reads what the topology compiles to this way.
#pragma once

#include <cstdint>

#include "emit/manifest.h"
#include "source/yaml_tree.h"

namespace km::emit {

/// The tree `source::load_yaml` would build from `write_yaml(document)`: strings are quoted
/// scalars, numbers and booleans plain ones, null is null; every node sits at the start of
/// `file` (a compiled document has no source line).
source::YamlDocument as_yaml_document(const Value& document, std::uint32_t file);

}  // namespace km::emit
