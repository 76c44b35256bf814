// schema/topology.schema.json, compiled into the binary by the build (see CMakeLists.txt).
#pragma once

#include <string_view>

namespace km::cli {

/// The JSON Schema of the topology format, byte for byte as committed.
std::string_view builtin_schema();

}  // namespace km::cli
