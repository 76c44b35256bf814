// Helpers for unit tests: run the front end on in-memory files and assert codes and positions.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "pipeline.h"

namespace km::test {

/// A scratch directory holding the given files; removed when the object goes away.
class ScratchDir {
  public:
    explicit ScratchDir(const std::map<std::string, std::string>& files = {});
    ~ScratchDir();
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    std::string path(const std::string& name = "") const;
    void write(const std::string& name, const std::string& text) const;

  private:
    std::string m_root;
};

/// A minimal valid topology header; tests append their own lists.
std::string header(const std::string& extra_kafka = "");

/// Diagnostics of running the front end on one file named input.yaml, as "KM301@4:17" strings
/// (file-level ones as "KM003@0:0"), sorted.
std::vector<std::string> diagnostics_of(const std::string& text);
std::vector<std::string> diagnostics_of_files(const std::map<std::string, std::string>& files);

/// Compiles text to the manifest stream; fails the test on any error.
std::string compile_text(const std::string& text);

/// The inputs of every example: its topology.yaml, or its directory of topology files; sorted.
std::vector<std::string> example_inputs();

}  // namespace km::test

#include <doctest/doctest.h>

namespace doctest {
template <>
struct StringMaker<std::vector<std::string>> {
    static String convert(const std::vector<std::string>& v) {
        std::string out = "{";
        for (std::size_t i = 0; i < v.size(); ++i) {
            out += (i ? ", " : "") + v[i];
        }
        return (out + "}").c_str();
    }
};
}  // namespace doctest
