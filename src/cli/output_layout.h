// What `compile -o DIR` holds: one file per kind and namespace in apply order (with
// --layout by-namespace, the team-owned ones under teams/<namespace>/), a kustomization.yaml
// listing them, and the Bitnami chart's values under helm/.
#pragma once

#include <cstdint>
#include <vector>

#include "cli/output_directory.h"
#include "emit/emit.h"

namespace km::cli {

inline constexpr const char* k_kustomization = "kustomization.yaml";
inline constexpr const char* k_helm_values = "helm/values.yaml";

inline constexpr const char* k_teams_dir = "teams";

enum class Layout : std::uint8_t {
    by_kind,  ///< every file at the top: <NN>-<kind>[-<namespace>].yaml
    /// The same files, but a document owned by a team namespace (emit::Manifest::owner) goes to
    /// teams/<owner>/<NN>-<kind>[-<namespace>].yaml, so CODEOWNERS can give each team its
    /// directory. The documents and their apply order are the same as by_kind's.
    by_namespace,
};

/// The files for `output`, sorted by path; kustomization.yaml only when there are documents.
std::vector<OutputFile> layout_output(emit::Output&& output, Layout layout = Layout::by_kind);

}  // namespace km::cli
