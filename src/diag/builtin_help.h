// The long help of each diagnostic code (src/diag/help/KMnnn.md), compiled in by the build.
#pragma once

#include <vector>

namespace km::diag {

struct BuiltinHelp {
    const char* code;  ///< "KM301"
    const char* text;  ///< Markdown: a heading, the explanation, fenced examples
};

/// Every help file, in code order.
const std::vector<BuiltinHelp>& builtin_help();

}  // namespace km::diag
