// The product version, set once in CMakeLists.txt.
#pragma once

#include <string_view>

namespace km::cli {

/// The version given to project() in CMakeLists.txt, e.g. "0.1.0".
std::string_view product_version();

}  // namespace km::cli
