// The catalogue tables generated from codes.def.
#include "diag/diagnostic.h"

#include <array>

namespace km::diag {
namespace {

struct Entry {
    std::string_view code;
    std::string_view name;
    Severity severity;
    std::string_view summary;
};

constexpr std::array k_entries = {
#define KM_DIAG(code, name, severity, summary) Entry{#code, #name, Severity::severity, summary},
#include "diag/codes.def"
#undef KM_DIAG
};

const Entry& entry(Code code) {
    return k_entries[static_cast<std::size_t>(code)];
}

}  // namespace

std::string_view code_string(Code code) {
    return entry(code).code;
}
std::string_view code_name(Code code) {
    return entry(code).name;
}
std::string_view code_summary(Code code) {
    return entry(code).summary;
}
Severity default_severity(Code code) {
    return entry(code).severity;
}

std::string_view severity_string(Severity s) {
    switch (s) {
        case Severity::note:
            return "note";
        case Severity::warning:
            return "warning";
        case Severity::error:
            return "error";
    }
    return "error";
}

const std::vector<Code>& all_codes() {
    static const std::vector<Code> codes = [] {
        std::vector<Code> out;
        for (std::size_t i = 0; i < k_entries.size(); ++i) {
            out.push_back(static_cast<Code>(i));
        }
        return out;
    }();
    return codes;
}

bool parse_code(std::string_view text, Code& out) {
    for (std::size_t i = 0; i < k_entries.size(); ++i) {
        if (k_entries[i].code == text) {
            out = static_cast<Code>(i);
            return true;
        }
    }
    return false;
}

}  // namespace km::diag
