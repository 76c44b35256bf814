#include "source/yaml_loader.h"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <istream>
#include <iterator>
#include <map>
#include <optional>
#include <streambuf>
#include <string>
#include <string_view>

#include "source/input_scan.h"
#include "source/yaml_split.h"

namespace km::source {

std::string_view kind_name(NodeKind kind) {
    switch (kind) {
        case NodeKind::null:
            return "null";
        case NodeKind::scalar:
            return "a scalar";
        case NodeKind::sequence:
            return "a sequence";
        case NodeKind::mapping:
            return "a mapping";
    }
    return "a scalar";
}

namespace {

// Thrown from the event handler to stop yaml-cpp before it recurses any deeper.
struct LimitExceeded {
    YAML::Mark mark;
    std::string what;
    diag::Code code = diag::Code::KM105;
};

bool is_null_word(const std::string& s) {
    return s == "~" || s == "null" || s == "Null" || s == "NULL";
}

class TreeBuilder : public YAML::EventHandler {
  public:
    /// `first_line`: the lines of the file before the text parsed (0 for the whole file).
    TreeBuilder(YamlDocument& doc, const LoadLimits& limits, std::uint32_t first_line = 0)
        : m_doc(doc), m_limits(limits), m_first_line(first_line) {}

    std::size_t bytes() const { return m_bytes; }
    /// Where the last scalar starts (at its anchor or tag when it has one), -1 for none.
    int last_scalar() const { return m_last_scalar; }
    std::size_t alias_nodes() const { return m_alias_nodes; }

    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}

    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        add(make(NodeKind::null, mark), anchor);
    }

    void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        auto it = m_anchors.find(anchor);
        if (it == m_anchors.end()) {
            // yaml-cpp knows the anchor, so the alias sits inside the collection it names.
            throw LimitExceeded{mark, "an alias cannot refer to a collection that contains it",
                                diag::Code::KM101};
        }
        if (m_stack.size() + m_height[it->second] > m_limits.max_depth) {
            throw LimitExceeded{
                mark, fmt::format("nesting is deeper than {} levels once aliases are expanded",
                                  m_limits.max_depth)};
        }
        add(copy(it->second, mark), 0);
    }

    void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  const std::string& value) override {
        bool quoted = tag == "!";
        m_last_scalar = mark.pos;
        if (value.size() > m_limits.max_scalar_bytes) {
            throw LimitExceeded{mark,
                                fmt::format("a string of {} bytes; the limit is {}", value.size(),
                                            m_limits.max_scalar_bytes),
                                diag::Code::KM108};
        }
        NodeId id;
        if (!quoted && is_null_word(value)) {
            id = make(NodeKind::null, mark);
        } else {
            id = make(NodeKind::scalar, mark);
            m_doc.nodes[id].quoted = quoted;
            m_doc.nodes[id].value = value;
            count_bytes(value.size(), mark);
            auto length = value.size() + (quoted ? 2 : 0);
            m_doc.nodes[id].location.length =
                value.find('\n') == std::string::npos ? static_cast<std::uint32_t>(length) : 0;
        }
        add(id, anchor);
    }

    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override {
        open(make(NodeKind::sequence, mark), anchor, mark);
    }
    void OnSequenceEnd() override { close(); }

    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override {
        open(make(NodeKind::mapping, mark), anchor, mark);
    }
    void OnMapEnd() override { close(); }

  private:
    NodeId make(NodeKind kind, const YAML::Mark& mark) {
        if (m_limits.used_nodes + m_doc.nodes.size() >= m_limits.max_nodes) {
            throw LimitExceeded{mark, fmt::format("the input has more than {} YAML nodes once "
                                                  "aliases are expanded",
                                                  m_limits.max_nodes)};
        }
        m_height.push_back(0);
        YamlNode node;
        node.kind = kind;
        // yaml-cpp marks are 0-based; this is the one place they become 1-based.
        node.location =
            diag::Location{m_doc.file, static_cast<std::uint32_t>(mark.line + 1) + m_first_line,
                           static_cast<std::uint32_t>(mark.column + 1), 0};
        m_doc.nodes.push_back(std::move(node));
        return static_cast<NodeId>(m_doc.nodes.size() - 1);
    }

    void add(NodeId id, YAML::anchor_t anchor) {
        if (anchor != 0) {
            m_anchors[anchor] = id;
        }
        if (m_stack.empty()) {
            m_doc.root = id;
        } else {
            m_pending.push_back(id);
        }
    }

    void open(NodeId id, YAML::anchor_t anchor, const YAML::Mark& mark) {
        if (m_stack.size() >= m_limits.max_depth) {
            throw LimitExceeded{
                mark, fmt::format("nesting is deeper than {} levels", m_limits.max_depth)};
        }
        add(id, 0);
        m_stack.push_back(Open{id, anchor, m_pending.size()});
    }

    void count_bytes(std::size_t bytes, const YAML::Mark& mark) {
        m_bytes += bytes;
        if (m_bytes > m_limits.max_expanded_bytes) {
            throw LimitExceeded{mark, fmt::format("the strings add up to more than {} bytes once "
                                                  "aliases are expanded",
                                                  m_limits.max_expanded_bytes)};
        }
    }

    void close() {
        Open top = m_stack.back();
        m_stack.pop_back();
        std::uint32_t height = 0;
        for (std::size_t i = top.pending_start; i < m_pending.size(); ++i) {
            height = std::max(height, m_height[m_pending[i]]);
        }
        m_height[top.id] = height + 1;
        // The collection is complete: its children move from the pending stack to their run.
        set_children(top.id, m_pending.begin() + static_cast<std::ptrdiff_t>(top.pending_start),
                     m_pending.end());
        m_pending.resize(top.pending_start);
        // An anchor names a collection only once it is complete.
        if (top.anchor != 0) {
            m_anchors[top.anchor] = top.id;
        }
    }

    // Expands an alias by copying the anchored subtree; the node budget bounds the expansion.
    NodeId copy(NodeId from, const YAML::Mark& mark) {
        // Real content may be large; what aliases multiply is bounded much tighter, so an alias
        // bomb stops in a fraction of a second rather than at the size of a whole topology.
        if (++m_alias_nodes > m_limits.max_alias_nodes) {
            throw LimitExceeded{mark, fmt::format("aliases expand to more than {} YAML nodes",
                                                  m_limits.max_alias_nodes)};
        }
        NodeId id = make(m_doc.nodes[from].kind, mark);
        m_doc.nodes[id].quoted = m_doc.nodes[from].quoted;
        m_doc.nodes[id].value = m_doc.nodes[from].value;
        m_doc.nodes[id].location = m_doc.nodes[from].location;
        m_height[id] = m_height[from];
        count_bytes(m_doc.nodes[from].value.size(), mark);
        std::span<const NodeId> original = m_doc.children(from);
        std::vector<NodeId> children(original.begin(), original.end());
        for (NodeId& child : children) {
            child = copy(child, mark);
        }
        set_children(id, children.begin(), children.end());
        return id;
    }

    template <class It>
    void set_children(NodeId id, It first, It last) {
        YamlNode& node = m_doc.nodes[id];
        node.first_child = static_cast<std::uint32_t>(m_doc.child_ids.size());
        node.child_count = static_cast<std::uint32_t>(last - first);
        m_doc.child_ids.insert(m_doc.child_ids.end(), first, last);
    }

    struct Open {
        NodeId id;
        YAML::anchor_t anchor;
        std::size_t pending_start;  ///< where its children begin on m_pending
    };
    std::vector<NodeId> m_pending;  ///< children of the open collections, innermost last
    std::size_t m_alias_nodes = 0;
    YamlDocument& m_doc;
    const LoadLimits& m_limits;
    std::uint32_t m_first_line;
    std::vector<Open> m_stack;
    std::vector<std::uint32_t> m_height;  ///< per node: collections on its deepest path
    std::size_t m_bytes = 0;
    int m_last_scalar = -1;
    std::map<YAML::anchor_t, NodeId> m_anchors;
};

/// A read-only stream buffer over text that outlives it.
class TextBuffer : public std::streambuf {
  public:
    explicit TextBuffer(std::string_view text) {
        char* begin = const_cast<char*>(text.data());  // only ever read: no put area is set
        setg(begin, begin, begin + text.size());
    }
};

/// A character iterator over the source text that tells the reader of nlohmann's events how far
/// the JSON lexer has read (nlohmann's SAX interface gives no positions). It passes over the
/// indentation after a line break at once: a JSON string holds no raw line break, so what
/// follows one is white space between tokens, which the lexer would skip a character at a time
/// (about half of what `kubectl get -o json` writes).
class TrackedIterator {
  public:
    using iterator_category = std::input_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char*;
    using reference = const char&;

    TrackedIterator(const char* at, const char* end, const char** read_to)
        : m_at(at), m_end(end), m_read_to(read_to) {}
    reference operator*() const { return *m_at; }
    TrackedIterator& operator++() {
        if (*m_at++ == '\n') {
            while (m_at != m_end && (*m_at == ' ' || *m_at == '\t')) {
                ++m_at;
            }
        }
        *m_read_to = m_at;
        return *this;
    }
    friend bool operator==(const TrackedIterator& a, const TrackedIterator& b) {
        return a.m_at == b.m_at;
    }

  private:
    const char* m_at;
    const char* m_end;
    const char** m_read_to;
};

/// nlohmann's SAX events of a JSON text, given to the TreeBuilder as the YAML events yaml-cpp
/// makes of the same text (JSON is YAML), each at the line and column where its token starts:
/// the same tree, limits and diagnostics, without yaml-cpp's cost per character.
class JsonEvents {
  public:
    using string_t = std::string;

    JsonEvents(std::string_view text, const char* const& read_to, TreeBuilder& builder)
        : m_text(text), m_read_to(read_to), m_builder(builder) {}

    bool null() {
        m_builder.OnNull(mark(read() - 4), 0);
        return true;
    }
    bool boolean(bool value) {
        m_builder.OnScalar(mark(read() - (value ? 4 : 5)), "?", 0, value ? "true" : "false");
        return true;
    }
    bool number_integer(std::int64_t) { return number(); }
    bool number_unsigned(std::uint64_t) { return number(); }
    bool number_float(double, const string_t&) { return number(); }
    bool string(string_t& value) { return quoted(value); }
    bool key(string_t& value) { return quoted(value); }
    bool binary(nlohmann::json::binary_t&) { return false; }  // JSON text has none
    bool start_object(std::size_t) {
        m_builder.OnMapStart(mark(read() - 1), "?", 0, YAML::EmitterStyle::Flow);
        return true;
    }
    bool end_object() {
        m_builder.OnMapEnd();
        return true;
    }
    bool start_array(std::size_t) {
        m_builder.OnSequenceStart(mark(read() - 1), "?", 0, YAML::EmitterStyle::Flow);
        return true;
    }
    bool end_array() {
        m_builder.OnSequenceEnd();
        return true;
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::json::exception&) {
        return false;
    }

  private:
    static bool number_char(char c) {
        return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
    }

    std::size_t read() const { return static_cast<std::size_t>(m_read_to - m_text.data()); }

    /// A number is written exactly as it stands in the text, as yaml-cpp gives it. The lexer
    /// has read one character past it (or reached the end), and the indentation after that
    /// character when it was a line break: nothing of a number.
    bool number() {
        std::size_t end = read();
        while (end > 0 && !number_char(m_text[end - 1])) {
            --end;
        }
        std::size_t start = end;
        while (start > 0 && number_char(m_text[start - 1])) {
            --start;
        }
        m_builder.OnScalar(mark(start), "?", 0, std::string(m_text.substr(start, end - start)));
        return true;
    }

    /// A string or a key: the lexer has read its closing quote; it starts at the first quote
    /// before it that no odd run of backslashes escapes.
    bool quoted(const string_t& value) {
        std::size_t start = read() - 1;
        // Most strings carry no escape: then the text between the quotes is the value itself.
        // A quote before a stretch without a backslash is this string's own opening quote (one
        // inside a string is escaped, and the stretch would hold this string's own).
        std::size_t plain = start >= value.size() + 1 ? start - value.size() - 1 : start;
        std::string_view between = m_text.substr(plain + 1, value.size());
        if (plain != start && m_text[plain] == '"' &&
            between.find('\\') == std::string_view::npos && between == value) {
            m_builder.OnScalar(mark(plain), "!", 0, value);
            return true;
        }
        while (start > 0) {
            --start;
            if (m_text[start] != '"') {
                continue;
            }
            std::size_t slashes = 0;
            while (slashes < start && m_text[start - 1 - slashes] == '\\') {
                ++slashes;
            }
            if (slashes % 2 == 0) {
                break;
            }
        }
        m_builder.OnScalar(mark(start), "!", 0, value);
        return true;
    }

    /// Tokens arrive in text order, so the line advances from the last one; the column counts
    /// bytes from the line's start, as yaml-cpp's marks do.
    YAML::Mark mark(std::size_t offset) {
        // Each byte is looked at once, and none past the token: a compact JSON text is a
        // single line.
        while (m_scanned < offset) {
            std::size_t end = m_text.substr(0, offset).find('\n', m_scanned);
            if (end == std::string_view::npos) {
                m_scanned = offset;
                break;
            }
            ++m_line;
            m_line_start = m_scanned = end + 1;
        }
        YAML::Mark m;
        m.pos = static_cast<int>(offset);
        m.line = m_line;
        m.column = static_cast<int>(offset - m_line_start);
        return m;
    }

    std::string_view m_text;
    const char* const& m_read_to;
    TreeBuilder& m_builder;
    std::size_t m_line_start = 0;
    std::size_t m_scanned = 0;  ///< no line break after m_line_start before this
    int m_line = 0;
};

/// A JSON text (`kubectl get -o json`) as one document, or nothing when it is not valid JSON:
/// the YAML parser then reads it and reports what is wrong in YAML's terms.
std::optional<YamlDocument> load_json(std::string_view text, std::uint32_t file,
                                      const LoadLimits& limits) {
    YamlDocument doc;
    doc.file = file;
    TreeBuilder builder(doc, limits);
    const char* read_to = text.data();
    JsonEvents events(text, read_to, builder);
    const char* end = text.data() + text.size();
    bool ok = nlohmann::json::sax_parse(TrackedIterator(text.data(), end, &read_to),
                                        TrackedIterator(end, end, &read_to), &events);
    if (!ok || doc.root == no_node) {
        return std::nullopt;
    }
    return doc;
}

/// Whether the text's first character other than white space opens a JSON object.
bool starts_json_object(std::string_view text) {
    std::size_t first = text.find_first_not_of(" \t\r\n");
    return first != std::string_view::npos && text[first] == '{';
}

diag::Location at(std::uint32_t file, const YAML::Mark& mark) {
    if (mark.is_null()) {
        return diag::Location{file, 0, 0, 0};
    }
    return diag::Location{file, static_cast<std::uint32_t>(mark.line + 1),
                          static_cast<std::uint32_t>(mark.column + 1), 0};
}

/// The column (from 0) where the line's key or value starts, after any "- " of a list item.
std::size_t indent_of(std::string_view line) {
    std::size_t n = line.find_first_not_of(' ');
    while (n != std::string_view::npos && n + 1 < line.size() && line[n] == '-' &&
           line[n + 1] == ' ') {
        n = line.find_first_not_of(' ', n + 1);
    }
    return n == std::string_view::npos ? line.size() : n;
}

bool blank_or_comment(std::string_view line) {
    std::size_t n = line.find_first_not_of(' ');
    return n == std::string_view::npos || line[n] == '#';
}

/// What a yaml-cpp structure error most likely means, for the help line: its messages name the
/// parser's state ("end of map not found"), not the mistake (a line out of alignment).
std::optional<std::string> structure_hint(const SourceManager& sources, std::uint32_t file,
                                          std::uint32_t line, std::string_view message) {
    if (message.find("alias not found") != std::string_view::npos ||
        message.find("anchor not found") != std::string_view::npos) {
        return std::string(
            "'*' starts a YAML alias; write a wildcard or prefix reference "
            "in quotes: '*' or 'name.*'");
    }
    bool flow = message.find("flow") != std::string_view::npos;
    if (flow) {
        return std::string("a '[' or '{' is not closed: check the brackets on this line");
    }
    bool indentation = message == "illegal map value" ||
                       message.find("end of map not found") != std::string_view::npos ||
                       message.find("end of sequence not found") != std::string_view::npos ||
                       message.find("block sequence entries") != std::string_view::npos;
    if (!indentation || line == 0) {
        return std::nullopt;
    }
    // The line the parser stopped on against the closest non-blank line above it.
    std::string_view here = sources.line(file, line);
    for (std::uint32_t above = line - 1; above >= 1; --above) {
        std::string_view before = sources.line(file, above);
        if (blank_or_comment(before)) {
            continue;
        }
        std::size_t a = indent_of(before);
        std::size_t b = indent_of(here);
        if (b > a && message == "illegal map value") {
            return fmt::format(
                "this line is indented deeper ({} spaces) than line {} above it "
                "({}); align it with its sibling keys, or quote a value holding "
                "': '",
                b, above, a);
        }
        if (b != a) {
            return fmt::format(
                "this line is indented {} ({} spaces) than line {} above it ({}); "
                "the keys of one mapping, and the '-' of one list, line up in one "
                "column",
                b > a ? "deeper" : "less", b, above, a);
        }
        break;
    }
    return std::string(
        "a line here is out of alignment with its siblings: the keys of one "
        "mapping, and the '-' of one list, line up in one column");
}

void check_duplicate_keys(const YamlDocument& doc, diag::DiagnosticSink& sink) {
    for (NodeId id = 0; id < doc.nodes.size(); ++id) {
        const YamlNode& node = doc.nodes[id];
        if (node.kind != NodeKind::mapping || node.child_count < 4) {
            continue;
        }
        std::vector<NodeId> keys;
        bool ascending = true;  // kubectl writes every mapping's keys sorted: nothing to sort
        for (std::size_t i = 0; i < doc.entry_count(id); ++i) {
            if (doc.node(doc.key(id, i)).kind == NodeKind::scalar) {
                ascending = ascending && (keys.empty() || doc.node(keys.back()).value <
                                                              doc.node(doc.key(id, i)).value);
                keys.push_back(doc.key(id, i));
            }
        }
        if (ascending) {
            continue;
        }
        std::stable_sort(keys.begin(), keys.end(),
                         [&](NodeId a, NodeId b) { return doc.node(a).value < doc.node(b).value; });
        for (std::size_t i = 1; i < keys.size(); ++i) {
            const YamlNode& first = doc.node(keys[i - 1]);
            const YamlNode& again = doc.node(keys[i]);
            if (first.value == again.value) {
                auto& d = sink.report(diag::Code::KM102, again.location,
                                      fmt::format("duplicate key '{}' in mapping", again.value));
                diag::add_note(d, first.location, "first defined here");
            }
        }
    }
}

}  // namespace

namespace {

/// Where the content of `file` starts: the first line that is not blank, a comment or a
/// document marker, at its first character that is not a space.
diag::Location first_content(const SourceManager& sources, std::uint32_t file) {
    for (std::uint32_t line = 1;; ++line) {
        std::string_view text = sources.line(file, line);
        std::size_t column = text.find_first_not_of(" \t\r");
        bool skip = column == std::string_view::npos || text[column] == '#' ||
                    text.substr(column, 3) == "---" || text.substr(column, 3) == "...";
        if (!skip || line >= sources.file(file).line_starts.size()) {
            return diag::Location{
                file, line,
                static_cast<std::uint32_t>(column == std::string_view::npos ? 1 : column + 1), 1};
        }
    }
}

/// yaml-cpp's error as KM101, or KM112 when a tab in the indentation is the cause.
void report_parse_error(const SourceManager& sources, std::uint32_t file, const YAML::Exception& e,
                        diag::DiagnosticSink& sink) {
    diag::Location where = at(file, e.mark);
    // yaml-cpp's message for tab indentation names a symptom; YAML forbids the tab itself.
    for (std::uint32_t line : {where.line, where.line - 1}) {
        if (std::uint32_t column = tab_in_indentation(sources.line(file, line))) {
            auto& d = sink.report(diag::Code::KM112, diag::Location{file, line, column, 1},
                                  "a tab in the indentation; YAML indents with spaces only");
            diag::add_help(d, "replace the tabs at the start of the line with spaces");
            return;
        }
        if (line <= 1) {
            break;
        }
    }
    // Rendered from the mark and message: e.what() carries yaml-cpp's own prefix.
    auto& d = sink.report(diag::Code::KM101, where, e.msg);
    if (auto hint = structure_hint(sources, file, where.line, e.msg)) {
        diag::add_help(d, std::move(*hint));
    }
}

/// Reads a JSON text into `docs` (true), or reports a limit it breaks (false); nothing when it
/// is not JSON, for yaml-cpp to read.
std::optional<bool> read_as_json(std::string_view text, std::uint32_t file,
                                 diag::DiagnosticSink& sink, const LoadLimits& limits,
                                 std::vector<YamlDocument>& docs) {
    try {
        std::optional<YamlDocument> doc = load_json(text, file, limits);
        if (!doc) {
            return std::nullopt;
        }
        check_duplicate_keys(*doc, sink);
        docs.push_back(std::move(*doc));
        return true;
    } catch (const LimitExceeded& e) {
        sink.report(e.code, at(file, e.mark), e.what);
        return false;
    }
}

/// One parse of `file`: the first document only (a topology), or every document of the stream.
std::optional<std::vector<YamlDocument>> load(const SourceManager& sources, std::uint32_t file,
                                              diag::DiagnosticSink& sink, const LoadLimits& limits,
                                              bool stream_of_documents) {
    const SourceFile& source = sources.file(file);
    if (!scan_input(sources, file, sink)) {
        return std::nullopt;
    }
    std::vector<YamlDocument> docs;
    if (stream_of_documents && starts_json_object(source.text)) {
        if (std::optional<bool> json = read_as_json(source.text, file, sink, limits, docs)) {
            return *json ? std::optional(std::move(docs)) : std::nullopt;
        }
    }
    if (source.text.size() >= limits.split_above) {
        if (auto parsed = load_in_parts(sources, file, limits, stream_of_documents)) {
            for (const YamlDocument& doc : *parsed) {
                check_duplicate_keys(doc, sink);
            }
            return parsed;
        }
    }
    // yaml-cpp reads from a stream; this one reads the source text in place instead of a copy.
    TextBuffer buffer(source.text);
    std::istream stream(&buffer);
    try {
        YAML::Parser parser(stream);
        LoadLimits used = limits;
        // Every real empty document takes a "---" of its own. yaml-cpp 0.7 reports empty
        // documents without end and without reading on after a stray flow indicator (a file
        // starting with ","): more of them than the text has room for means it is stuck.
        std::size_t empty_documents = 0;
        auto stalled = [&] {
            if (++empty_documents <= source.text.size() / 3 + 1) {
                return false;
            }
            sink.report(diag::Code::KM101, first_content(sources, file),
                        "the YAML parser cannot read on from here: a ',', ']' or '}' outside a "
                        "flow collection?");
            return true;
        };
        while (true) {
            YamlDocument doc;
            doc.file = file;
            TreeBuilder builder(doc, used);
            bool more = parser.HandleNextDocument(builder);
            if (!stream_of_documents && more && !docs.empty()) {
                // An empty document after the last "---" is accepted, as kubectl accepts it: a
                // file ending in "---" is a habit, not a second topology.
                if (doc.root == no_node || doc.node(doc.root).kind == NodeKind::null) {
                    if (stalled()) {
                        return std::nullopt;
                    }
                    continue;
                }
                diag::Location where = doc.node(doc.root).location;
                sink.report(diag::Code::KM103, where,
                            "a topology file holds one YAML document; split the others into files "
                            "of their own");
                return std::nullopt;
            }
            if (!more || (!stream_of_documents && doc.root == no_node)) {
                break;
            }
            // A stream skips a document that is empty or null ("---" alone, "--- ~"): it
            // declares nothing. yaml-cpp stuck after a stray flow indicator reports null
            // documents without end, so they count towards the stall too.
            if (doc.root == no_node ||
                (stream_of_documents && doc.node(doc.root).kind == NodeKind::null)) {
                if (stalled()) {
                    return std::nullopt;
                }
                continue;
            }
            used.used_nodes += doc.nodes.size();
            docs.push_back(std::move(doc));
        }
        if (docs.empty()) {
            sink.report(diag::Code::KM104, diag::Location{file, 0, 0, 0},
                        "the file holds no YAML document");
            return std::nullopt;
        }
    } catch (const YAML::Exception& e) {
        report_parse_error(sources, file, e, sink);
        return std::nullopt;
    } catch (const LimitExceeded& e) {
        sink.report(e.code, at(file, e.mark), e.what);
        return std::nullopt;
    }
    for (const YamlDocument& doc : docs) {
        check_duplicate_keys(doc, sink);
    }
    return docs;
}

/// Whether the scalar that starts at `at` (after its anchor and tag) is a quoted string that
/// closes in `text`, or is not quoted. yaml-cpp 0.7 takes a quoted string that the text ends
/// inside of as closed there, so a part cut inside a quoted string parses without error.
bool quote_closes(std::string_view text, std::size_t at) {
    while (at < text.size() && (text[at] == '&' || text[at] == '!')) {
        at = text.find_first_of(" \n", at);
        at = at == std::string_view::npos ? at : text.find_first_not_of(" \n", at);
    }
    if (at >= text.size()) {
        return false;
    }
    char quote = text[at];
    if (quote != '"' && quote != '\'') {
        // Plain and block scalars end where the indentation does: never past an item of their
        // sequence.
        return true;
    }
    for (std::size_t i = at + 1; i < text.size(); ++i) {
        if (quote == '"' && text[i] == '\\') {
            ++i;
        } else if (text[i] == quote) {
            if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
                ++i;  // '' is a quote inside a single-quoted string
            } else {
                return true;
            }
        }
    }
    return false;
}

}  // namespace

std::optional<std::vector<YamlDocument>> parse_part(std::string_view text, std::uint32_t file,
                                                    std::uint32_t first_line,
                                                    const LoadLimits& limits, PartCounts& counts) {
    TextBuffer buffer(text);
    std::istream stream(&buffer);
    try {
        YAML::Parser parser(stream);
        LoadLimits used = limits;
        std::vector<YamlDocument> docs;
        std::size_t empty_documents = 0;
        int last_scalar = -1;
        counts = PartCounts{};
        while (true) {
            YamlDocument doc;
            doc.file = file;
            doc.nodes.map_blocks();  // parsed on a helper thread, freed by the main one
            TreeBuilder builder(doc, used, first_line);
            if (!parser.HandleNextDocument(builder)) {
                break;
            }
            if (doc.root == no_node || doc.node(doc.root).kind == NodeKind::null) {
                if (++empty_documents > text.size() / 3 + 1) {
                    return std::nullopt;  // stuck: one parse reports it
                }
                continue;
            }
            last_scalar = builder.last_scalar() >= 0 ? builder.last_scalar() : last_scalar;
            counts.bytes += builder.bytes();
            counts.alias_nodes += builder.alias_nodes();
            used.used_nodes += doc.nodes.size();
            docs.push_back(std::move(doc));
        }
        if (last_scalar >= 0 && !quote_closes(text, static_cast<std::size_t>(last_scalar))) {
            return std::nullopt;
        }
        return docs;
    } catch (const YAML::Exception&) {
        return std::nullopt;
    } catch (const LimitExceeded&) {
        return std::nullopt;
    }
}

std::optional<YamlDocument> load_yaml(const SourceManager& sources, std::uint32_t file,
                                      diag::DiagnosticSink& sink, const LoadLimits& limits) {
    auto docs = load(sources, file, sink, limits, false);
    if (!docs) {
        return std::nullopt;
    }
    return std::move(docs->front());
}

std::optional<std::vector<YamlDocument>> load_yaml_stream(const SourceManager& sources,
                                                          std::uint32_t file,
                                                          diag::DiagnosticSink& sink,
                                                          const LoadLimits& limits) {
    return load(sources, file, sink, limits, true);
}

}  // namespace km::source
