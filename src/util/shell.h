// POSIX shell quoting for the lines kafkamesh writes into scripts (Helm provisioning hooks).
#pragma once

#include <string>
#include <string_view>

namespace km::util {

/// One shell word holding exactly `s`: single-quoted, each ' written as '\''. Nothing inside is
/// expanded, split or globbed by sh or bash.
std::string shell_quote(std::string_view s);

/// True when `s` can be passed as an argument safely: not empty, printable ASCII only (no
/// control characters, no newline that would end the line), and not starting with '-' (which
/// a command would read as an option).
bool is_safe_shell_argument(std::string_view s);

/// True when `s` stays one word and means itself even unquoted: [A-Za-z0-9._:/=,+@%-], not
/// empty. Needed where a tool (the Bitnami chart's provisioning array) runs a word unquoted.
bool is_plain_shell_word(std::string_view s);

}  // namespace km::util
