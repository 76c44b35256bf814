#include "cli/review_support.h"

#include <unistd.h>

#include <cstdlib>

namespace km::cli {

review::Format parse_format(const std::string& name) {
    if (name == "markdown") {
        return review::Format::markdown;
    }
    if (name == "json") {
        return review::Format::json;
    }
    if (name == "csv") {
        return review::Format::csv;
    }
    return review::Format::text;
}

bool use_colour(std::FILE* stream) {
    const char* no_colour = std::getenv("NO_COLOR");
    if (no_colour && *no_colour) {
        return false;
    }
    return isatty(fileno(stream)) != 0;
}

}  // namespace km::cli
