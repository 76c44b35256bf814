#include "source/yaml_split.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <iterator>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "util/parallel.h"

namespace km::source {

namespace {

constexpr std::size_t npos = std::string_view::npos;

bool key_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
}

/// "key:" alone on its line, a comment after it at most: a top-level key whose value starts on
/// the next line.
bool bare_key(std::string_view line) {
    if (line.empty() || !(std::isalnum(static_cast<unsigned char>(line[0])) || line[0] == '_')) {
        return false;
    }
    std::size_t n = 0;
    while (n < line.size() && key_char(line[n])) {
        ++n;
    }
    if (n == line.size() || line[n] != ':') {
        return false;
    }
    std::size_t rest = line.find_first_not_of(' ', n + 1);
    return rest == npos || (line[rest] == '#' && rest > n + 1);
}

/// A block sequence item whose "-" is at `column`.
bool item_at(std::string_view line, std::size_t column) {
    return column < line.size() && line[column] == '-' &&
           (column + 1 == line.size() || line[column + 1] == ' ');
}

/// Calls `f(line, start, number)` for each line of the text, without its line break (and a
/// carriage return before it), with the offset where it starts and its number from 0, until `f`
/// returns false. The number of lines read, or nothing when `f` stopped.
template <class F>
std::optional<std::uint32_t> each_line(std::string_view text, F&& f) {
    std::uint32_t number = 0;
    for (std::size_t start = 0; start < text.size(); ++number) {
        std::size_t stop = text.find('\n', start);
        std::size_t next = stop == npos ? text.size() : stop + 1;
        std::string_view line = text.substr(start, (stop == npos ? text.size() : stop) - start);
        if (line.ends_with('\r')) {
            line.remove_suffix(1);
        }
        if (!f(line, start, number)) {
            return std::nullopt;
        }
        start = next;
    }
    return number;
}

/// Reads a text line by line and collects its cuts.
class CutFinder {
  public:
    /// False when the text cannot be cut at all.
    bool line(std::string_view line, std::size_t start, std::uint32_t number) {
        if (line.starts_with('%') || line.starts_with("...")) {
            return false;  // a directive, or a document's end: one parse reads those
        }
        if (line.starts_with("---")) {
            // Only the marker that opens the one document, before any content.
            return !m_content && line.find_first_not_of(' ', 3) == npos;
        }
        std::size_t column = line.find_first_not_of(' ');
        if (column == npos || line[column] == '#') {
            return true;
        }
        if (!m_content) {
            m_content = true;
            if (!bare_key(line.substr(0, line.find(':') + 1)) || column != 0) {
                return false;  // not a block mapping at the first column
            }
        }
        if (m_state == State::first_item) {
            m_state = State::outside;
            if (item_at(line, column)) {
                m_state = State::items;
                m_indent = static_cast<std::uint32_t>(column);
                m_items.assign(1, start);
                return true;
            }
        }
        if (column == 0 && !(m_state == State::items && m_indent == 0 && item_at(line, 0))) {
            close(start, number);
            if (bare_key(line)) {
                m_state = State::first_item;
            }
            return true;
        }
        if (m_state != State::items) {
            return true;
        }
        if (column < m_indent) {
            m_open.clear();  // out of the sequence's alignment: no cut in it
            m_state = State::outside;
        } else if (column == m_indent && item_at(line, column)) {
            m_open.push_back(Cut{start, 0, number, 0, m_indent});
            m_items.push_back(start);
        }
        return true;
    }

    /// The open sequence ends before `end`, on line `end_line` (from 0).
    void close(std::size_t end, std::uint32_t end_line) {
        // The open cuts are at the sequence's items after its first, in order.
        for (std::size_t k = 0; k < m_open.size(); ++k) {
            Cut& cut = m_open[k];
            cut.end = end;
            cut.end_line = end_line;
            cut.item_before = m_items[k];
            cut.item_after = k + 2 < m_items.size() ? m_items[k + 2] : end;
            cut.last_item = m_items.back();
            m_cuts.push_back(cut);
        }
        m_open.clear();
        m_state = State::outside;
    }

    std::vector<Cut> take() { return std::move(m_cuts); }

  private:
    enum class State : std::uint8_t { outside, first_item, items };
    State m_state = State::outside;
    bool m_content = false;
    std::uint32_t m_indent = 0;
    std::vector<Cut> m_open;           ///< the open sequence's, until its end is known
    std::vector<std::size_t> m_items;  ///< where the open sequence's items start
    std::vector<Cut> m_cuts;
};

/// Appends the nodes of `part` but its root to `doc`, numbered on after doc's last, and the
/// children of part's root to those of `parent`. Part is emptied as its nodes move, a block at a
/// time, so the two are never held whole together.
void join(YamlDocument& doc, NodeId parent, YamlDocument& part) {
    NodeId shift = static_cast<NodeId>(doc.nodes.size() - 1);  // part's node 1 follows doc's last
    auto base = static_cast<std::uint32_t>(doc.child_ids.size());
    for (NodeId id : part.child_ids) {
        doc.child_ids.push_back(id + shift);
    }
    std::span<const NodeId> before = doc.children(parent);
    std::vector<NodeId> joined(before.begin(), before.end());
    for (NodeId id : part.children(part.root)) {
        joined.push_back(id + shift);
    }
    std::vector<NodeId>().swap(part.child_ids);
    bool root = true;
    part.nodes.drain([&](YamlNode&& node) {
        if (!std::exchange(root, false)) {
            node.first_child += base;
            doc.nodes.push_back(std::move(node));
        }
    });
    doc.nodes[parent].first_child = static_cast<std::uint32_t>(doc.child_ids.size());
    doc.nodes[parent].child_count = static_cast<std::uint32_t>(joined.size());
    doc.child_ids.insert(doc.child_ids.end(), joined.begin(), joined.end());
}

struct Part {
    std::string_view text;
    std::uint32_t first_line = 0;
    LoadLimits limits;
    std::optional<std::vector<YamlDocument>> docs;
    PartCounts counts;
};

/// Parses the parts on two cores: the first on one, the others in turn on the other.
void parse_parts(std::vector<Part>& parts, std::uint32_t file) {
    util::run_indices(parts.size(), 2, [&](std::size_t i) {
        Part& part = parts[i];
        part.docs = parse_part(part.text, file, part.first_line, part.limits, part.counts);
    });
}

/// Whether the parts are what the cut promises: a document each, a mapping ending in the block
/// sequence, the sequence's further items at the same column, and the keys after it at the
/// first column.
bool shapes_hold(const std::vector<Part>& parts, const Cut& cut) {
    for (const Part& part : parts) {
        if (!part.docs || part.docs->size() != 1) {
            return false;
        }
    }
    const YamlDocument& head = parts[0].docs->front();
    const YamlNode& root = head.node(head.root);
    if (root.kind != NodeKind::mapping || root.child_count == 0) {
        return false;
    }
    const YamlNode& sequence = head.node(head.value(head.root, head.entry_count(head.root) - 1));
    const YamlNode& items = parts[1].docs->front().node(parts[1].docs->front().root);
    if (sequence.kind != NodeKind::sequence || items.kind != NodeKind::sequence ||
        sequence.location.column != cut.indent + 1 || items.location.column != cut.indent + 1 ||
        items.location.line != cut.at_line + 1) {
        return false;
    }
    if (parts.size() < 3) {
        return true;
    }
    const YamlNode& tail = parts[2].docs->front().node(parts[2].docs->front().root);
    return tail.kind == NodeKind::mapping && tail.location.column == 1 &&
           tail.location.line == cut.end_line + 1;
}

/// Whether the parts of one document together stay within the limits of the whole file.
bool within_limits(const std::vector<Part>& parts, const LoadLimits& limits) {
    std::size_t nodes = limits.used_nodes;
    std::size_t bytes = 0;
    std::size_t alias_nodes = 0;
    for (const Part& part : parts) {
        nodes += part.docs->front().nodes.size() - 1;  // each root but the first joins another
        bytes += part.counts.bytes;
        alias_nodes += part.counts.alias_nodes;
    }
    return nodes + 1 <= limits.max_nodes && bytes <= limits.max_expanded_bytes &&
           alias_nodes <= limits.max_alias_nodes;
}

/// Whether `lines`, under a key of their own, parse as that key's sequence of `items` items and
/// `keys` - 1 more keys: the seam of a cut read as one text.
bool seam_holds(std::string_view lines, std::uint32_t file, std::size_t items, std::size_t keys,
                const LoadLimits& limits) {
    std::string text = "seam:\n";
    text += lines;
    PartCounts counts;
    auto docs = parse_part(text, file, 0, limits, counts);
    if (!docs || docs->size() != 1) {
        return false;
    }
    const YamlDocument& doc = docs->front();
    const YamlNode& root = doc.node(doc.root);
    if (root.kind != NodeKind::mapping || doc.entry_count(doc.root) != keys) {
        return false;
    }
    const YamlNode& sequence = doc.node(doc.value(doc.root, 0));
    return sequence.kind == NodeKind::sequence && sequence.child_count == items;
}

/// Whether the items on both sides of the cut read as two items together, and the sequence's
/// last item with the line after the sequence as an item and a key.
bool seams_hold(std::string_view text, std::uint32_t file, const Cut& cut,
                const LoadLimits& limits) {
    if (!seam_holds(text.substr(cut.item_before, cut.item_after - cut.item_before), file, 2, 1,
                    limits)) {
        return false;
    }
    if (cut.end == text.size()) {
        return true;
    }
    std::size_t line_end = text.find('\n', cut.end);
    line_end = line_end == npos ? text.size() : line_end + 1;
    return seam_holds(text.substr(cut.last_item, line_end - cut.last_item), file, 1, 2, limits);
}

/// The cut nearest the middle of the text.
const Cut& middle_of(const std::vector<Cut>& cuts, std::size_t size) {
    auto distance = [&](const Cut& c) {
        return std::abs(2 * static_cast<long long>(c.at) - static_cast<long long>(size));
    };
    const Cut* middle = &cuts.front();
    for (const Cut& cut : cuts) {
        if (distance(cut) < distance(*middle)) {
            middle = &cut;
        }
    }
    return *middle;
}

}  // namespace

std::vector<Cut> find_cuts(std::string_view text) {
    CutFinder finder;
    std::optional<std::uint32_t> lines =
        each_line(text, [&](std::string_view line, std::size_t start, std::uint32_t number) {
            return finder.line(line, start, number);
        });
    if (!lines) {
        return {};
    }
    finder.close(text.size(), *lines);
    return finder.take();
}

std::optional<YamlDocument> load_cut(const SourceManager& sources, std::uint32_t file,
                                     const Cut& cut, const LoadLimits& limits) {
    std::string_view text = sources.file(file).text;
    if (cut.at == 0 || cut.at >= cut.end || cut.end > text.size() || limits.max_depth == 0) {
        return std::nullopt;
    }
    // The items are one level less deep in their own document than in the file.
    LoadLimits items = limits;
    items.max_depth = limits.max_depth - 1;
    std::vector<Part> parts;
    parts.push_back(Part{text.substr(0, cut.at), 0, limits, {}, {}});
    parts.push_back(Part{text.substr(cut.at, cut.end - cut.at), cut.at_line, items, {}, {}});
    if (cut.end < text.size()) {
        parts.push_back(Part{text.substr(cut.end), cut.end_line, limits, {}, {}});
    }
    parse_parts(parts, file);
    if (!shapes_hold(parts, cut) || !within_limits(parts, limits) ||
        !seams_hold(text, file, cut, limits)) {
        return std::nullopt;
    }
    YamlDocument doc = std::move(parts[0].docs->front());
    // A value left empty at the head's end ("key:" before the cut) is a null at the next
    // token: the cut's "-" in one parse, the end of the head's text in its part. Those nulls
    // are the head's last nodes.
    for (std::size_t id = doc.nodes.size(); id-- > 0;) {
        YamlNode& node = doc.nodes[id];
        if (node.kind != NodeKind::null || node.location.line != cut.at_line + 1) {
            break;
        }
        node.location.column = cut.indent + 1;
    }
    NodeId sequence = doc.value(doc.root, doc.entry_count(doc.root) - 1);
    join(doc, sequence, parts[1].docs->front());
    if (parts.size() == 3) {
        join(doc, doc.root, parts[2].docs->front());
    }
    return doc;
}

std::vector<Cut> find_document_cuts(std::string_view text) {
    std::vector<Cut> cuts;
    bool content = false;
    std::optional<std::uint32_t> lines =
        each_line(text, [&](std::string_view line, std::size_t start, std::uint32_t number) {
            if (line.starts_with('%') || line.starts_with("...")) {
                return false;  // a directive, or a document's end: one parse reads those
            }
            std::size_t after = line.find_first_not_of(' ', 3);
            if (line.starts_with("---") && (line.size() == 3 || line[3] == ' ') &&
                (after == npos || line[after] == '#')) {
                if (content) {
                    cuts.push_back(Cut{start, text.size(), number, 0, 0});
                }
            } else if (std::size_t column = line.find_first_not_of(' ');
                       column != npos && line[column] != '#') {
                content = true;
            }
            return true;
        });
    if (!lines) {
        return {};
    }
    for (Cut& cut : cuts) {
        cut.end_line = *lines;
    }
    return cuts;
}

std::optional<std::vector<YamlDocument>> load_document_cut(const SourceManager& sources,
                                                           std::uint32_t file, const Cut& cut,
                                                           const LoadLimits& limits) {
    std::string_view text = sources.file(file).text;
    if (cut.at == 0 || cut.at >= text.size()) {
        return std::nullopt;
    }
    // The head keeps the marker: its last document then ends at a marker, as in one parse
    // (an empty node yaml-cpp reads as a null at the end of a text is an empty string before a
    // marker), and the empty document the marker opens is skipped.
    std::size_t marker_end = text.find('\n', cut.at);
    marker_end = marker_end == npos ? text.size() : marker_end + 1;
    std::vector<Part> parts;
    parts.push_back(Part{text.substr(0, marker_end), 0, limits, {}, {}});
    parts.push_back(Part{text.substr(cut.at), cut.at_line, limits, {}, {}});
    parse_parts(parts, file);
    std::size_t nodes = limits.used_nodes;
    for (const Part& part : parts) {
        if (!part.docs) {
            return std::nullopt;
        }
        for (const YamlDocument& doc : *part.docs) {
            nodes += doc.nodes.size();
        }
    }
    if (nodes > limits.max_nodes || (parts[0].docs->empty() && parts[1].docs->empty())) {
        return std::nullopt;  // one parse reports the limit, or a stream without a document
    }
    std::vector<YamlDocument> docs = std::move(*parts[0].docs);
    std::move(parts[1].docs->begin(), parts[1].docs->end(), std::back_inserter(docs));
    return docs;
}

bool same_document(const YamlDocument& a, const YamlDocument& b) {
    if (a.root != b.root || a.file != b.file || a.nodes.size() != b.nodes.size()) {
        return false;
    }
    for (NodeId id = 0; id < a.nodes.size(); ++id) {
        const YamlNode& x = a.node(id);
        const YamlNode& y = b.node(id);
        std::span<const NodeId> xs = a.children(id);
        std::span<const NodeId> ys = b.children(id);
        if (x.kind != y.kind || x.quoted != y.quoted || x.value != y.value ||
            x.location.line != y.location.line || x.location.column != y.location.column ||
            x.location.length != y.location.length ||
            !std::equal(xs.begin(), xs.end(), ys.begin(), ys.end())) {
            return false;
        }
    }
    return true;
}

std::optional<std::vector<YamlDocument>> load_in_parts(const SourceManager& sources,
                                                       std::uint32_t file, const LoadLimits& limits,
                                                       bool stream_of_documents) {
    std::string_view text = sources.file(file).text;
    if (stream_of_documents) {
        std::vector<Cut> cuts = find_document_cuts(text);
        if (!cuts.empty()) {
            return load_document_cut(sources, file, middle_of(cuts, text.size()), limits);
        }
    }
    // One document (a topology, or kubectl's List): cut at an item near its middle.
    std::vector<Cut> cuts = find_cuts(text);
    if (cuts.empty()) {
        return std::nullopt;
    }
    std::optional<YamlDocument> doc = load_cut(sources, file, middle_of(cuts, text.size()), limits);
    if (!doc) {
        return std::nullopt;
    }
    std::vector<YamlDocument> docs;
    docs.push_back(std::move(*doc));
    return docs;
}

}  // namespace km::source
