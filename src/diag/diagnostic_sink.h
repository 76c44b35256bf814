// Collects diagnostics from every stage. Stages report and carry on; nothing throws for user
// errors.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "diag/diagnostic.h"

namespace km::diag {

class DiagnosticSink {
  public:
    /// Reports a diagnostic with the code's default severity; returns it so notes can be added.
    Diagnostic& report(Code code, Location location, std::string message);
    /// Takes over every diagnostic of `other`, after this sink's own.
    void append(DiagnosticSink&& other);

    std::size_t error_count() const;
    std::size_t warning_count() const;
    bool has_errors() const { return error_count() > 0; }
    bool has(Code code) const;

    /// Drops the warnings `acknowledged` accepts, counting them (acknowledged()).
    template <class Predicate>
    void acknowledge(Predicate acknowledged) {
        auto kept =
            std::remove_if(m_diagnostics.begin(), m_diagnostics.end(), [&](const Diagnostic& d) {
                return d.severity == Severity::warning && acknowledged(d);
            });
        m_acknowledged += static_cast<std::size_t>(m_diagnostics.end() - kept);
        m_diagnostics.erase(kept, m_diagnostics.end());
    }
    /// Warnings dropped by acknowledge(): a count for the summary, never printed one by one.
    std::size_t acknowledged() const { return m_acknowledged; }
    /// Makes every warning an error (--warnings-as-errors), with a note saying why.
    void promote_warnings();

    /// Sorted by (file, line, column, code), identical neighbours removed.
    std::vector<Diagnostic> sorted() const;
    const std::vector<Diagnostic>& raw() const { return m_diagnostics; }

  private:
    std::vector<Diagnostic> m_diagnostics;
    std::size_t m_acknowledged = 0;
};

/// Convenience for notes: `add_help(d, "did you mean 'x'?")`.
void add_note(Diagnostic& d, Location where, std::string message);
/// A note at the other side of a pair the diagnostic is about (Note::subject).
void add_subject_note(Diagnostic& d, Location where, std::string message);
void add_help(Diagnostic& d, std::string message, Location where = {});

}  // namespace km::diag
