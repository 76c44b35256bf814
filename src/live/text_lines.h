// The lines of a text a Kafka tool printed (kafka-acls.sh, kafka-configs.sh), with the file they
// came from so that each finding is located at its line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "diag/diagnostic_sink.h"
#include "source/source_manager.h"

namespace km::live {

struct LineReader {
    const source::SourceManager& sources;
    std::uint32_t file;
    diag::DiagnosticSink& sink;

    diag::Location at(std::uint32_t line, std::size_t column = 0) const {
        return diag::Location{file, line, static_cast<std::uint32_t>(column + 1), 0};
    }
};

inline std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
        s.remove_suffix(1);
    }
    return s;
}

inline std::size_t indent_of(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) {
        ++i;
    }
    return i;
}

/// Calls `on_line(number, line)` for each line of `text`, numbered from 1, without its line break.
template <class OnLine>
void for_each_line(const std::string& text, OnLine on_line) {
    std::uint32_t number = 0;
    std::size_t begin = 0;
    while (begin < text.size()) {
        std::size_t end = text.find('\n', begin);
        if (end == std::string::npos) {
            end = text.size();
        }
        std::string_view raw(text.data() + begin, end - begin);
        begin = end + 1;
        on_line(++number, raw);
    }
}

}  // namespace km::live
