#include "diag/diagnostic_sink.h"

#include <algorithm>
#include <iterator>
#include <tuple>

namespace km::diag {

Diagnostic& DiagnosticSink::report(Code code, Location location, std::string message) {
    m_diagnostics.push_back(
        Diagnostic{code, default_severity(code), location, std::move(message), {}});
    return m_diagnostics.back();
}

void DiagnosticSink::append(DiagnosticSink&& other) {
    m_diagnostics.insert(m_diagnostics.end(), std::make_move_iterator(other.m_diagnostics.begin()),
                         std::make_move_iterator(other.m_diagnostics.end()));
    m_acknowledged += other.m_acknowledged;
    other.m_diagnostics.clear();
    other.m_acknowledged = 0;
}

std::size_t DiagnosticSink::error_count() const {
    return static_cast<std::size_t>(
        std::count_if(m_diagnostics.begin(), m_diagnostics.end(),
                      [](const Diagnostic& d) { return d.severity == Severity::error; }));
}

std::size_t DiagnosticSink::warning_count() const {
    return static_cast<std::size_t>(
        std::count_if(m_diagnostics.begin(), m_diagnostics.end(),
                      [](const Diagnostic& d) { return d.severity == Severity::warning; }));
}

void DiagnosticSink::promote_warnings() {
    for (Diagnostic& d : m_diagnostics) {
        if (d.severity == Severity::warning) {
            d.severity = Severity::error;
            add_note(d, {}, "a warning, treated as an error by --warnings-as-errors");
        }
    }
}

bool DiagnosticSink::has(Code code) const {
    return std::any_of(m_diagnostics.begin(), m_diagnostics.end(),
                       [code](const Diagnostic& d) { return d.code == code; });
}

std::vector<Diagnostic> DiagnosticSink::sorted() const {
    std::vector<Diagnostic> out = m_diagnostics;
    auto key = [](const Diagnostic& d) {
        return std::tie(d.location.file, d.location.line, d.location.column, d.code, d.message);
    };
    std::stable_sort(out.begin(), out.end(),
                     [&](const Diagnostic& a, const Diagnostic& b) { return key(a) < key(b); });
    out.erase(
        std::unique(out.begin(), out.end(),
                    [&](const Diagnostic& a, const Diagnostic& b) { return key(a) == key(b); }),
        out.end());
    return out;
}

void add_note(Diagnostic& d, Location where, std::string message) {
    d.notes.push_back(Note{Note::Kind::note, where, std::move(message)});
}

void add_subject_note(Diagnostic& d, Location where, std::string message) {
    d.notes.push_back(Note{Note::Kind::note, where, std::move(message), true});
}

void add_help(Diagnostic& d, std::string message, Location where) {
    d.notes.push_back(Note{Note::Kind::help, where, std::move(message)});
}

}  // namespace km::diag
