#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "source/yaml_loader.h"
#include "source/yaml_split.h"

using km::source::Cut;
using km::source::LoadLimits;
using km::source::YamlDocument;

namespace {

LoadLimits whole_file() {
    LoadLimits limits;
    limits.split_above = SIZE_MAX;
    return limits;
}

using Documents = std::optional<std::vector<YamlDocument>>;

Documents listed(std::optional<YamlDocument> doc) {
    if (!doc) {
        return std::nullopt;
    }
    std::vector<YamlDocument> docs;
    docs.push_back(std::move(*doc));
    return docs;
}

/// Each cut of the text, at an item of a top-level list or (`stream`) at a document marker:
/// parsed in parts, it is refused or it gives one parse's documents.
struct CutsOf {
    explicit CutsOf(const std::string& text, bool stream = false) {
        km::source::SourceManager sources;
        std::uint32_t file = sources.add("input.yaml", text);
        km::diag::DiagnosticSink sink;
        Documents whole = stream ? km::source::load_yaml_stream(sources, file, sink, whole_file())
                                 : listed(km::source::load_yaml(sources, file, sink, whole_file()));
        for (const Cut& cut :
             stream ? km::source::find_document_cuts(text) : km::source::find_cuts(text)) {
            Documents parts = stream ? km::source::load_document_cut(sources, file, cut, {})
                                     : listed(km::source::load_cut(sources, file, cut, {}));
            if (!parts) {
                refused.push_back(cut.at_line + 1);
                continue;
            }
            joined.push_back(cut.at_line + 1);
            bool same = whole && whole->size() == parts->size();
            for (std::size_t i = 0; same && i < parts->size(); ++i) {
                same = km::source::same_document((*parts)[i], (*whole)[i]);
            }
            if (!same) {
                differ.push_back(cut.at_line + 1);
            }
        }
    }
    std::vector<std::uint32_t> joined;   ///< lines of the cuts that parsed in parts
    std::vector<std::uint32_t> refused;  ///< lines of the cuts that did not
    std::vector<std::uint32_t> differ;   ///< lines of the cuts that gave other documents
};

/// The diagnostics ("KMnnn@line") of reading the text as one, then in parts where it can be cut.
std::vector<std::vector<std::string>> both_ways(const std::string& text, LoadLimits limits,
                                                bool stream = false) {
    std::vector<std::vector<std::string>> out;
    for (std::size_t split_above : {std::size_t{SIZE_MAX}, std::size_t{0}}) {
        km::source::SourceManager sources;
        km::diag::DiagnosticSink sink;
        limits.split_above = split_above;
        std::uint32_t file = sources.add("input.yaml", text);
        if (stream) {
            km::source::load_yaml_stream(sources, file, sink, limits);
        } else {
            km::source::load_yaml(sources, file, sink, limits);
        }
        std::vector<std::string> codes;
        for (const km::diag::Diagnostic& d : sink.raw()) {
            codes.push_back(std::string(km::diag::code_string(d.code)) + "@" +
                            std::to_string(d.location.line));
        }
        out.push_back(codes);
    }
    return out;
}

std::vector<std::uint32_t> lines_of(const std::vector<Cut>& cuts) {
    std::vector<std::uint32_t> lines;
    for (const Cut& cut : cuts) {
        lines.push_back(cut.at_line + 1);
    }
    return lines;
}

using Lines = std::vector<std::uint32_t>;

}  // namespace

TEST_SUITE("source") {
    TEST_CASE("a node array hands its nodes on in order and is empty after") {
        km::source::NodeArray nodes;
        std::size_t count = 3 * km::source::NodeArray::block_nodes + 5;
        for (std::size_t i = 0; i < count; ++i) {
            km::source::YamlNode node;
            node.value = std::to_string(i);
            nodes.push_back(std::move(node));
        }
        std::vector<std::string> values;
        nodes.drain([&](km::source::YamlNode&& node) { values.push_back(std::move(node.value)); });
        REQUIRE(values.size() == count);
        CHECK(values.front() == "0");
        CHECK(values[km::source::NodeArray::block_nodes] ==
              std::to_string(km::source::NodeArray::block_nodes));
        CHECK(values.back() == std::to_string(count - 1));
        CHECK(nodes.size() == 0);
        km::source::YamlNode again;
        again.value = "again";
        nodes.push_back(std::move(again));
        CHECK(nodes[0].value == "again");
    }

    TEST_CASE("a large file parsed in parts: the cuts") {
        SUBCASE("every item of a top-level block sequence but its first, at any indentation") {
            std::string text =
                "apiVersion: v1\n"      // 1
                "services:\n"           // 2
                "  - name: a\n"         // 3
                "    roles: [x]\n"      // 4
                "  - name: b\n"         // 5
                "  # a comment\n"       // 6
                "  - name: c\n"         // 7
                "topics:\n"             // 8
                "- one\n"               // 9
                "- two\n"               // 10
                "metadata:\n"           // 11
                "  name: m\n"           // 12
                "roles:  # the last\n"  // 13
                "  -\n"                 // 14
                "    name: r\n"         // 15
                "  - {name: s}\n";      // 16
            std::vector<Cut> cuts = km::source::find_cuts(text);
            CHECK(lines_of(cuts) == Lines{5, 7, 10, 16});
            REQUIRE(cuts.size() == 4);
            CHECK(cuts[0].end_line + 1 == 8);
            CHECK(cuts[0].indent == 2);
            CHECK(cuts[2].indent == 0);
            CHECK(cuts[2].end_line + 1 == 11);
            CHECK(cuts[3].end == text.size());
            CutsOf parsed(text);
            CHECK(parsed.joined == Lines{5, 7, 10, 16});
            CHECK(parsed.differ.empty());
        }
        SUBCASE("no cut where one parse must read the file") {
            CHECK(km::source::find_cuts("- a\n- b\n").empty());                // a list
            CHECK(km::source::find_cuts("  k:\n    - a\n    - b\n").empty());  // indented
            CHECK(km::source::find_cuts("%YAML 1.2\n---\nk:\n  - a\n  - b\n").empty());
            CHECK(km::source::find_cuts("k:\n  - a\n---\nk:\n  - a\n  - b\n").empty());
            CHECK(km::source::find_cuts("k:\n  - a\n  - b\n...\n").empty());
            CHECK(km::source::find_cuts("{k: [a,\n  b]}\n").empty());
            CHECK(lines_of(km::source::find_cuts("---\nk:\n  - a\n  - b\n")) == Lines{4});
            // A line less indented than the items leaves the sequence's alignment.
            CHECK(lines_of(km::source::find_cuts("k:\n    - a\n    - b\n  - c\n    - d\n")) ==
                  Lines{});
        }
    }

    TEST_CASE("same_document tells a value, a place or a child apart") {
        km::source::SourceManager sources;
        km::diag::DiagnosticSink sink;
        auto doc = [&](const std::string& text) {
            return *km::source::load_yaml(sources, sources.add("s.yaml", text), sink);
        };
        // Every file added gets a number of its own: compare texts of one file number.
        auto same = [&](const std::string& a, const std::string& b) {
            YamlDocument x = doc(a);
            YamlDocument y = doc(b);
            y.file = x.file;
            return km::source::same_document(x, y);
        };
        CHECK(same("k: [a, b]\n", "k: [a, b]\n"));
        CHECK_FALSE(same("k: [a, b]\n", "k: [a, c]\n"));
        CHECK_FALSE(same("k: [a, b]\n", "k: [a,  b]\n"));
        CHECK_FALSE(same("k: [a, b]\n", "k: [a, 'b']\n"));
        CHECK_FALSE(same("k: [a, b]\n", "k: [[a], b]\n"));
        CHECK_FALSE(same("k: [a, b]\n", "k: [b, a]\n"));
    }

    TEST_CASE("a large file parsed in parts is the tree one parse gives, or is refused") {
        SUBCASE("what a cut can break is refused") {
            // A double-quoted string and a flow sequence over the cut, an alias to an anchor
            // before it, a second document after it.
            CutsOf quoted("k:\n  - \"a\n  - b\"\n  - c\n");
            CHECK(quoted.refused == Lines{3});
            CHECK(quoted.joined == Lines{4});
            // Multi-byte characters before it, an anchor and a tag on it, single quotes.
            CutsOf marked("k:\n  - \u00e9t\u00e9: &x !!str 'a\n  - b'\n  - c\n");
            CHECK(marked.refused == Lines{3});
            CHECK(marked.joined == Lines{4});
            CutsOf flow("k:\n  - [a,\n  - b]\n  - c\n");
            CHECK(flow.refused == Lines{3, 4});  // yaml-cpp reads no '- ' in a flow
            CutsOf alias("base: &b {x: 1}\nk:\n  - a\n  - *b\n  - c\n  - d\n");
            CHECK(alias.refused == Lines{4, 5});  // the second: the seam before it has the alias
            CHECK(alias.joined == Lines{6});
            CutsOf alias_after("k:\n  - &b a\n  - c\nafter: *b\n");
            CHECK(alias_after.refused == Lines{3});
            CHECK(quoted.differ.empty());
            CHECK(marked.differ.empty());
            CHECK(flow.differ.empty());
            CHECK(alias.differ.empty());
            CHECK(alias_after.differ.empty());
        }
        SUBCASE("a key without ':' before the cut, which one parse rejects at the next ': '") {
            CutsOf before_item("k:\n  - a: b\n    c\n  - d: e\n");
            CHECK(before_item.refused == Lines{4});
            CutsOf before_key("k:\n  - x\n  - a: b\n    c\nm: 1\n");
            CHECK(before_key.refused == Lines{3});
            CutsOf fine("k:\n  - a: b\n    c\n  - d\n");  // one parse reads 'c: null'
            CHECK(fine.joined == Lines{4});
            // An empty value before the cut is a null at the next "-" in one parse.
            CutsOf empty("k:\n  - a: b\n    c:\n\n  # next\n  - d\n");
            CHECK(empty.joined == Lines{6});
            CHECK(empty.differ.empty());
            CHECK(before_item.differ.empty());
            CHECK(before_key.differ.empty());
            CHECK(fine.differ.empty());
        }
        SUBCASE("block scalars, folded lines and comments around the cut") {
            CutsOf parsed(
                "k:\n  - |\n    text\n      more\n  - >-\n    folded\n    line\n  - a\n"
                "    continued\n\n  # note\n  - 'single\n    quoted'\n  - last\nafter:\n  x: 1\n");
            CHECK(parsed.joined == Lines{5, 8, 12, 14});
            CHECK(parsed.differ.empty());
        }
        SUBCASE("a duplicate key across the cut is reported as one parse reports it") {
            std::vector<std::string> km102{"KM102@4"};
            CHECK(both_ways("k:\n  - a\n  - b\nk: again\n", {}) ==
                  std::vector<std::vector<std::string>>{km102, km102});
        }
        SUBCASE("parts that each keep a limit but together pass it are read as one") {
            LoadLimits limits;
            limits.max_nodes = 8;  // the file has 9 nodes, no part more than 6
            std::vector<std::string> km105{"KM105@6"};
            CHECK(both_ways("k:\n  - a\n  - b\n  - c\n  - d\nafter: 1\n", limits) ==
                  std::vector<std::vector<std::string>>{km105, km105});
        }
    }

    TEST_CASE("a stream of documents parsed in parts") {
        SUBCASE("cut at every document marker but one that opens the text") {
            std::string text =
                "# live\n---\na: 1\n---\nb: 2\n--- \n\n---  # empty\nc: |\n  x\n"
                "---\nd: [1,\n  2]\n";
            CHECK(lines_of(km::source::find_document_cuts(text)) == Lines{4, 6, 8, 11});
            CutsOf parsed(text, true);
            CHECK(parsed.joined == Lines{4, 6, 8, 11});
            CHECK(parsed.differ.empty());
            CHECK(km::source::find_document_cuts("%YAML 1.2\n---\na: 1\n---\nb: 2\n").empty());
            CHECK(km::source::find_document_cuts("a: 1\n...\n---\nb: 2\n").empty());
        }
        SUBCASE("an empty tagged document before the marker is an empty string, as in one parse") {
            CutsOf tagged("!!str # nothing\n\n---\na:\n  - b\n", true);
            CHECK(tagged.joined == Lines{3});
            CHECK(tagged.differ.empty());
            CHECK(lines_of(km::source::find_document_cuts("a: 1\n--- {b: 2}\n")) == Lines{});
        }
        SUBCASE("a string or a flow over the marker is refused") {
            // One parse reads both as an error (a document marker inside), so the later cut is
            // refused too; the first cuts through the string or the flow.
            CutsOf quoted("a: 'x\n---\n  y'\n---\nb: 2\n", true);
            CHECK(quoted.refused == Lines{2, 4});
            CHECK(quoted.differ.empty());
            CutsOf flow("a: [x,\n---\n  y]\n---\nb: 2\n", true);
            CHECK(flow.refused == Lines{2, 4});
            CHECK(flow.differ.empty());
        }
        SUBCASE("the node limit over both halves is reported as one parse reports it") {
            LoadLimits limits;
            limits.max_nodes = 7;  // 8 nodes, 4 a document
            std::vector<std::string> km105{"KM105@3"};
            CHECK(both_ways("a: [1, 2]\n---\nb: [3, 4]\n", limits, true) ==
                  std::vector<std::vector<std::string>>{km105, km105});
        }
    }

    TEST_CASE("every YAML file of the project parses in parts as in one") {
        // Topologies, goldens, live exports and the hostile corpus: each cut of each file, in
        // a list or at a document marker, gives one parse's trees or is refused.
        std::size_t joined = 0;
        std::size_t documents = 0;
        std::size_t files = 0;
        for (const char* dir : {"examples", "golden", "tests"}) {
            for (const auto& entry : std::filesystem::recursive_directory_iterator(
                     std::filesystem::path(KAFKAMESH_SOURCE_DIR) / dir)) {
                auto ext = entry.path().extension();
                if (!entry.is_regular_file() || (ext != ".yaml" && ext != ".yml") ||
                    entry.path().string().find("node_modules") != std::string::npos) {
                    continue;
                }
                std::ifstream in(entry.path(), std::ios::binary);
                std::stringstream text;
                text << in.rdbuf();
                CutsOf parsed(text.str());
                CutsOf stream(text.str(), true);
                INFO(entry.path().string());
                CHECK(parsed.differ.empty());
                CHECK(stream.differ.empty());
                joined += parsed.joined.size();
                documents += stream.joined.size();
                ++files;
            }
        }
        CHECK(files > 300);
        CHECK(joined > 400);
        CHECK(documents > 150);
    }
}
