// The topology `kafkamesh init` writes: small, valid, commented, with the editor schema modeline.
#pragma once

#include <string>

namespace km::cli {

enum class Distribution { strimzi, bitnami };

/// A starter topology whose yaml-language-server modeline points at `schema_path`.
std::string starter_topology(Distribution distribution, const std::string& schema_path);

}  // namespace km::cli
