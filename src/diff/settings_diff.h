// The settings two topologies differ in: mesh, namespaces, kafka and its super users, each a
// Change of the report's settings; the risky ones are flagged (KM605, KM608-KM611, KM615).
#pragma once

#include <string>
#include <vector>

#include "diag/diagnostic.h"
#include "diff/diff_report.h"
#include "diff/semantic_diff.h"
#include "source/source_manager.h"

namespace km::diff {

void diff_settings(const DiffSide& base, const DiffSide& head, DiffReport& report);

/// Where `where` is written, by path: a report outlives the sources it was made from.
Place place_of(const source::SourceManager& sources, diag::Location where);

/// Appends a change of `field` when its text differs on the two sides.
void compare(std::vector<Change>& out, std::string field, std::string before, std::string after);

}  // namespace km::diff
