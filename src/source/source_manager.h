// Owns the text of every input file so diagnostics can quote the offending line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "diag/source_lines.h"

namespace km::source {

struct SourceFile {
    std::string path;  ///< as given on the command line, never made absolute
    std::string text;
    std::vector<std::size_t> line_starts;  ///< byte offset of each line, computed on add
};

class SourceManager final : public diag::SourceLines {
  public:
    /// Adds a file and returns its index, which diag::Location::file refers to.
    std::uint32_t add(std::string path, std::string text);
    const SourceFile& file(std::uint32_t index) const { return m_files[index]; }
    std::size_t size() const override { return m_files.size(); }
    std::string_view path(std::uint32_t file) const override { return m_files[file].path; }
    /// The text of a 1-based line without its line break; empty when out of range.
    std::string_view line(std::uint32_t file, std::uint32_t line) const override;

  private:
    std::vector<SourceFile> m_files;
};

/// A file a topology directory contributes: "*.yaml" or "*.yml" (the two extensions kubectl
/// reads as YAML), not a dotfile.
inline bool is_topology_file_name(std::string_view name) {
    auto ends = [&](std::string_view ext) {
        return name.size() > ext.size() && name.substr(name.size() - ext.size()) == ext;
    };
    return !name.empty() && name[0] != '.' && (ends(".yaml") || ends(".yml"));
}

}  // namespace km::source
