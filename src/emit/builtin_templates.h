// The files of templates/, compiled into the binary by the build (see CMakeLists.txt).
#pragma once

#include <vector>

namespace km::emit {

struct BuiltinTemplate {
    const char* kind;
    const char* text;
};

const std::vector<BuiltinTemplate>& builtin_templates();

}  // namespace km::emit
