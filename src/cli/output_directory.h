// `compile -o DIR`: the new tree is built beside DIR and swapped in atomically. Files kafkamesh
// wrote before (recorded in DIR/.kafkamesh) and no longer produces disappear; files it does not
// own are never touched; any failure leaves DIR exactly as it was.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "pipeline.h"

namespace km::cli {

/// A file to write, by its path relative to the output directory ("helm/values.yaml").
struct OutputFile {
    std::string path;
    std::string content;
};

/// The record of owned files inside the output directory.
inline constexpr const char* k_ownership_record = ".kafkamesh";

struct WriteHooks {
    /// Called once the new tree is complete, just before the swap; returning false fails the
    /// write there (tests use it to check that a late failure leaves DIR as it was).
    std::function<bool()> before_swap;
};

/// What to do with a file kafkamesh would write that exists but is not in the record.
enum class Foreign {
    refuse,  ///< KM505: it belongs to someone else
    /// `--adopt`, for a directory whose record was lost: take it over if it is kafkamesh's own
    /// (adoptable()), refuse it otherwise.
    adopt,
};

/// True if `existing`, found where kafkamesh writes `path` with `content`, is recognisably
/// kafkamesh's: the same bytes; a YAML file each of whose documents carries the label
/// app.kubernetes.io/managed-by: kafkamesh; or a kustomization.yaml in the form kafkamesh writes.
bool adoptable(const std::string& path, const std::string& content, const std::string& existing);

/// Writes `files` as the new content of `dir` (created with its parents if missing). Reports KM004
/// (cannot write) or KM505 (a file it would write exists and is not its own) and returns false.
bool write_output_directory(const std::string& dir, const std::vector<OutputFile>& files,
                            Session& session, const WriteHooks& hooks = {},
                            Foreign foreign = Foreign::refuse);

}  // namespace km::cli
