// What the renderers need of the input files: the path a location names and the line it points
// into. The source stage keeps the files and implements it, so diag never depends on source.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace km::diag {

class SourceLines {
  public:
    /// How many files there are; a location's file is an index below it.
    virtual std::size_t size() const = 0;
    /// The path of a file as given on the command line, never made absolute.
    virtual std::string_view path(std::uint32_t file) const = 0;
    /// The text of a 1-based line without its line break; empty when out of range.
    virtual std::string_view line(std::uint32_t file, std::uint32_t line) const = 0;

  protected:
    SourceLines() = default;
    SourceLines(const SourceLines&) = default;
    SourceLines& operator=(const SourceLines&) = default;
    ~SourceLines() = default;
};

}  // namespace km::diag
