// What `compile -o DIR` holds: one file per kind and namespace in apply order, a
// kustomization.yaml listing them, and the Bitnami chart's values under helm/.
#pragma once

#include <vector>

#include "cli/output_directory.h"
#include "emit/emit.h"

namespace km::cli {

inline constexpr const char* k_kustomization = "kustomization.yaml";
inline constexpr const char* k_helm_values = "helm/values.yaml";

/// The files for `output`, sorted by path; kustomization.yaml only when there are documents.
std::vector<OutputFile> layout_output(emit::Output&& output);

}  // namespace km::cli
