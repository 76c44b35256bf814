#include "check/name_index.h"

#include <algorithm>

#include "util/strings.h"

namespace km::check {

void NameIndex::add(std::string name, diag::Location where) {
    m_entries.push_back({std::move(name), where});
}

void NameIndex::seal() {
    std::stable_sort(m_entries.begin(), m_entries.end(),
                     [](const Entry& a, const Entry& b) { return a.name < b.name; });
}

const diag::Location* NameIndex::find(std::string_view name) const {
    auto it = std::lower_bound(m_entries.begin(), m_entries.end(), name,
                               [](const Entry& e, std::string_view n) { return e.name < n; });
    return it != m_entries.end() && it->name == name ? &it->where : nullptr;
}

bool NameIndex::covers(std::string_view prefix) const {
    auto it = std::lower_bound(m_entries.begin(), m_entries.end(), prefix,
                               [](const Entry& e, std::string_view n) { return e.name < n; });
    return it != m_entries.end() && util::starts_with(it->name, prefix);
}

std::optional<std::string> NameIndex::closest(std::string_view name) const {
    std::vector<std::string_view> names;
    names.reserve(m_entries.size());
    for (const Entry& e : m_entries) {
        names.push_back(e.name);
    }
    return util::closest_match(name, names);
}

}  // namespace km::check
