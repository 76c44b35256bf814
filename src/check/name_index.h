// A sorted index of declared names for lookups, prefix coverage and did-you-mean, all O(log n).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diag/diagnostic.h"

namespace km::check {

class NameIndex {
  public:
    void add(std::string name, diag::Location where);
    /// Sorts; call once after the last add.
    void seal();

    const diag::Location* find(std::string_view name) const;
    /// True if at least one name starts with `prefix`.
    bool covers(std::string_view prefix) const;
    std::optional<std::string> closest(std::string_view name) const;

  private:
    struct Entry {
        std::string name;
        diag::Location where;
    };
    std::vector<Entry> m_entries;
};

}  // namespace km::check
