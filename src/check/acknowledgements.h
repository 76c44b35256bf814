// Warnings acknowledged in the topology (`acknowledge: [{code, reason}]` on an object), like a
// linter's inline suppression: an acknowledged warning is counted, not printed, and an
// acknowledgement that matches nothing is itself a warning.
#pragma once

#include <vector>

#include "diag/diagnostic_sink.h"
#include "model/topology.h"

namespace km::check {

class Acknowledgements {
  public:
    /// Takes the topology's acknowledgements; reports (KM207) those naming no warning code that
    /// can be acknowledged, or with an empty reason, and keeps the others.
    void load(const model::Topology& t, diag::DiagnosticSink& sink);
    /// Drops from `sink` every warning an acknowledgement covers, marking that one used.
    void apply(diag::DiagnosticSink& sink);
    /// Reports (KM324) each unused acknowledgement whose code the checks that ran could report:
    /// the review checks' codes (KM45x) when `review` is set, all the others when it is not.
    void report_unused(diag::DiagnosticSink& sink, bool review) const;

  private:
    struct Entry {
        model::Acknowledgement ack;
        diag::Code code{};
        bool used = false;
    };
    std::vector<Entry> m_entries;
};

}  // namespace km::check
