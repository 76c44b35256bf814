// Diagnostic: one finding about the input, with its position and the notes that explain it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace km::diag {

enum class Code : std::uint16_t {
#define KM_DIAG(code, name, severity, summary) code,
#include "diag/codes.def"
#undef KM_DIAG
};

enum class Severity : std::uint8_t { note, warning, error };

/// A position in a source file: file index into the SourceManager, 1-based line and column.
/// line 0 means "the file as a whole"; file UINT32_MAX means "no file".
struct Location {
    static constexpr std::uint32_t no_file = UINT32_MAX;
    std::uint32_t file = no_file;
    std::uint32_t line = 0;
    std::uint32_t column = 0;
    std::uint32_t length = 0;  ///< characters to underline, 0 for a single caret

    bool known() const { return file != no_file; }
    friend auto operator<=>(const Location&, const Location&) = default;
};

struct Note {
    enum class Kind : std::uint8_t { note, help };
    Kind kind = Kind::note;
    Location location;  ///< may be unknown: then the note has no position of its own
    std::string message;
    /// The diagnostic is as much about what is here (the other side of a pair, such as two
    /// identities sharing a group): an acknowledgement here accepts it too.
    bool subject = false;
};

struct Diagnostic {
    Code code{};
    Severity severity = Severity::error;
    Location location;
    std::string message;
    std::vector<Note> notes;
};

std::string_view code_string(Code code);   ///< "KM301"
std::string_view code_name(Code code);     ///< "unknown_topic"
std::string_view code_summary(Code code);  ///< one-line catalogue text
Severity default_severity(Code code);
std::string_view severity_string(Severity s);  ///< "error", "warning", "note"
/// All codes in catalogue order.
const std::vector<Code>& all_codes();
/// Parses "KM301"; false if no such code.
bool parse_code(std::string_view text, Code& out);

}  // namespace km::diag
