// A large file parsed on two cores. yaml-cpp parses one text on one thread, and a topology in
// one file is most of the time a compile takes. Its text is cut in two at an item of a top-level
// block sequence (the services, say): the file up to the cut, the sequence's items after it (a
// block sequence of their own), and the top-level keys after the sequence are each parsed as a
// document of their own, and the three trees are joined into the one a single parse gives: the
// same nodes, in the same order, at the same lines and columns. A stream of documents (a live
// export) is cut at a document marker, each half's documents parsed on a core of its own.
//
// When a part does not parse on its own (an error, a quoted string or flow collection cut in
// two, an alias whose anchor is in another part, a limit), or the parts do not have the shapes
// the cut promises, nothing is returned and the whole file is parsed as one, so every
// diagnostic is the one a single parse reports. yaml-cpp 0.7 reads a line that ends a mapping
// without a ':' (a dangling key) as an error only once the next ': ' comes, which may be past
// the cut: the items on both sides of the cut, and the sequence's last item with the line after
// it, are parsed once more as one text each, and a seam that does not read as two items (or
// an item and a key) refuses the cut.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "source/source_manager.h"
#include "source/yaml_loader.h"
#include "source/yaml_tree.h"

namespace km::source {

/// A place to cut a text: [0, at) ends with an item of a top-level block sequence, [at, end)
/// holds the sequence's items after it, from a line that starts with `indent` spaces and "-",
/// and [end, size) the top-level keys after the sequence (nothing when it is the last).
struct Cut {
    std::size_t at = 0;
    std::size_t end = 0;
    std::uint32_t at_line = 0;   ///< lines before `at`
    std::uint32_t end_line = 0;  ///< lines before `end`
    std::uint32_t indent = 0;
    /// Where the sequence's items before and after the one at `at` start (`end` for none
    /// after), and its last item: the seams that are parsed once more across the cut.
    std::size_t item_before = 0;
    std::size_t item_after = 0;
    std::size_t last_item = 0;
};

/// Every item of a top-level block sequence, but each sequence's first, at which the text can
/// be cut, in text order. None when the text does not start with a block mapping at the first
/// column, or holds a directive or a document marker after its start.
std::vector<Cut> find_cuts(std::string_view text);

/// The document `file` holds, parsed in parts at `cut` on two cores; nothing when a part does
/// not parse on its own or the parts together pass a limit of the whole file. Its characters
/// have passed scan_input, as for one parse.
std::optional<YamlDocument> load_cut(const SourceManager& sources, std::uint32_t file,
                                     const Cut& cut, const LoadLimits& limits);

/// Whether two documents hold the same nodes, numbered alike, each of the same kind, quoting,
/// value and place and with the same children: what load_cut promises against one parse.
bool same_document(const YamlDocument& a, const YamlDocument& b);

/// Every line but the first that opens a document ("---" at the first column, a comment after
/// it at most) of a stream, where it can be cut ([at, end) the documents from there on). None when
/// the text holds a directive or a document end marker.
std::vector<Cut> find_document_cuts(std::string_view text);

/// The documents of the stream `file` holds, parsed in two parts at `cut` on two cores, empty
/// ones skipped; nothing when a part does not parse on its own or the parts together pass the
/// node limit.
std::optional<std::vector<YamlDocument>> load_document_cut(const SourceManager& sources,
                                                           std::uint32_t file, const Cut& cut,
                                                           const LoadLimits& limits);

/// The file's documents parsed in parts at the cut nearest the middle of its text: a stream at
/// a document marker when `stream_of_documents` and it has one, else its one document at an
/// item of a top-level list. Nothing when the text has no cut or the parts do not hold.
std::optional<std::vector<YamlDocument>> load_in_parts(const SourceManager& sources,
                                                       std::uint32_t file, const LoadLimits& limits,
                                                       bool stream_of_documents);

}  // namespace km::source
