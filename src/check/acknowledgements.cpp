#include "check/acknowledgements.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "util/strings.h"

namespace km::check {
namespace {

bool review_code(diag::Code code) {
    std::string_view text = diag::code_string(code);
    return text >= "KM451" && text <= "KM499";
}

/// Risk flags describe a change between two topologies, not one object of the topology.
bool diff_code(diag::Code code) {
    std::string_view text = diag::code_string(code);
    return text >= "KM601" && text < "KM700";
}

/// Import's warnings name what a running platform holds and a topology cannot express: the
/// imported topology acknowledges them for `drift`, which then does not report them; no check
/// of the topology itself raises them, so they are never unused.
bool import_code(diag::Code code) {
    return diag::code_string(code) >= "KM700";
}

bool inside(const diag::Location& at, const model::Acknowledgement& a) {
    if (at.file != a.from.file || !at.known()) {
        return false;
    }
    bool after_start =
        at.line > a.from.line || (at.line == a.from.line && at.column >= a.from.column);
    return after_start && at.line <= a.to.line;
}

}  // namespace

void Acknowledgements::load(const model::Topology& t, diag::DiagnosticSink& sink) {
    m_entries.clear();
    std::vector<std::string_view> warnings;
    for (diag::Code code : diag::all_codes()) {
        if (diag::default_severity(code) == diag::Severity::warning && code != diag::Code::KM324 &&
            !diff_code(code)) {
            warnings.push_back(diag::code_string(code));
        }
    }
    for (const model::Acknowledgement& a : t.acknowledgements) {
        diag::Code code{};
        bool known = diag::parse_code(a.code.value, code);
        if (!known || std::find(warnings.begin(), warnings.end(), diag::code_string(code)) ==
                          warnings.end()) {
            auto& d = sink.report(
                diag::Code::KM207, a.code.location,
                !known ? fmt::format("'{}' is not a kafkamesh diagnostic code", a.code.value)
                : diff_code(code)
                    ? fmt::format("{} is a risk flag of diff, about a change: it cannot be "
                                  "acknowledged in the topology",
                                  a.code.value)
                    : fmt::format("{} is not a warning: only warnings can be acknowledged",
                                  a.code.value));
            if (auto match = !known ? util::closest_match(a.code.value, warnings) : std::nullopt) {
                diag::add_help(d, fmt::format("did you mean '{}'?", *match));
            } else {
                diag::add_help(d, "'kafkamesh explain-code' lists the codes and their severity");
            }
            continue;
        }
        if (a.reason.value.find_first_not_of(" \t\n") == std::string::npos) {
            auto& d = sink.report(diag::Code::KM207, a.reason.location,
                                  "an acknowledgement needs a reason");
            diag::add_help(d, "say why the warning is accepted, for the next reviewer");
            continue;
        }
        m_entries.push_back(Entry{a, code, false});
    }
}

void Acknowledgements::apply(diag::DiagnosticSink& sink) {
    if (m_entries.empty()) {
        return;
    }
    sink.acknowledge([&](const diag::Diagnostic& d) {
        bool matched = false;
        for (Entry& e : m_entries) {
            // A warning about a pair is accepted on either side of it (Note::subject).
            bool about = inside(d.location, e.ack) ||
                         std::any_of(d.notes.begin(), d.notes.end(), [&](const diag::Note& n) {
                             return n.subject && inside(n.location, e.ack);
                         });
            if (e.code == d.code && about) {
                e.used = true;
                matched = true;
            }
        }
        return matched;
    });
}

void Acknowledgements::report_unused(diag::DiagnosticSink& sink, bool review) const {
    for (const Entry& e : m_entries) {
        if (e.used || review_code(e.code) != review || import_code(e.code)) {
            continue;
        }
        auto& d = sink.report(diag::Code::KM324, e.ack.code.location,
                              fmt::format("{} is acknowledged here, but this object has no {} "
                                          "warning",
                                          e.ack.code.value, e.ack.code.value));
        diag::add_help(d, "remove the acknowledgement: the warning it accepted is gone");
    }
}

}  // namespace km::check
