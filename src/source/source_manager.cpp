#include "source/source_manager.h"

#include <cstring>

namespace km::source {

std::uint32_t SourceManager::add(std::string path, std::string text) {
    SourceFile file{std::move(path), std::move(text), {0}};
    const char* begin = file.text.data();
    const char* end = begin + file.text.size();
    for (const char* at = begin;
         (at = static_cast<const char*>(std::memchr(at, '\n', static_cast<std::size_t>(end - at))));
         ++at) {
        file.line_starts.push_back(static_cast<std::size_t>(at - begin) + 1);
    }
    m_files.push_back(std::move(file));
    return static_cast<std::uint32_t>(m_files.size() - 1);
}

std::string_view SourceManager::line(std::uint32_t file, std::uint32_t line) const {
    if (file >= m_files.size()) {
        return {};
    }
    const SourceFile& f = m_files[file];
    if (line == 0 || line > f.line_starts.size()) {
        return {};
    }
    std::size_t begin = f.line_starts[line - 1];
    std::size_t end = line < f.line_starts.size() ? f.line_starts[line] : f.text.size();
    std::string_view text(f.text);
    text = text.substr(begin, end - begin);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
        text.remove_suffix(1);
    }
    return text;
}

}  // namespace km::source
