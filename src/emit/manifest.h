// An ordered document tree for output. Keys keep the order the emitter inserts them in, which is
// the canonical order; nothing here iterates a hash map.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/boxed.h"
#include "util/spool.h"

namespace km::emit {

class Value {
  public:
    enum class Kind : std::uint8_t { null, string, number, boolean, sequence, mapping };

    Value() = default;
    static Value string(std::string s);
    /// A number written exactly as given (already validated as a YAML number).
    static Value number(std::string text);
    static Value integer(std::int64_t n);
    static Value boolean(bool b);
    static Value sequence();
    static Value mapping();
    /// A string emitted as a literal block (multi-line scripts).
    static Value block(std::string s);

    Kind kind() const { return m_kind; }
    const std::string& text() const { return m_text; }
    bool is_block() const { return m_block; }
    const std::vector<Value>& items() const { return m_items; }
    const std::vector<std::pair<std::string, Value>>& entries() const { return m_entries; }

    /// Sets a key of a mapping, replacing an existing value in place (order is kept).
    Value& set(std::string_view key, Value v);
    /// The value of a key, or nullptr.
    Value* find(std::string_view key);
    const Value* find(std::string_view key) const;
    /// Appends to a sequence and returns the new item.
    Value& push(Value v);
    bool empty() const { return m_items.empty() && m_entries.empty(); }

    /// A comment written on its own lines before this value's key or item ("# ..." per line of
    /// `text`). Documents for the cluster carry none; a topology written by import does.
    Value& comment(std::string text) {
        m_comment = std::move(text);
        return *this;
    }
    const std::string& comment() const;

  private:
    Kind m_kind = Kind::null;
    bool m_block = false;
    std::string m_text;
    util::Boxed<std::string> m_comment;  ///< seldom set: a pointer, not a string, in every node
    std::vector<Value> m_items;
    std::vector<std::pair<std::string, Value>> m_entries;
};

/// One Kubernetes document and where it goes in apply order. The document is serialised as
/// soon as it is made, so a large topology never holds every document's tree at once; given a
/// spool that wants it, the text waits there rather than in memory.
struct Manifest {
    Manifest(int rank, std::string kind, std::string ns, std::string name, const Value& document,
             util::Spool* spool = nullptr);

    int rank = 0;  ///< apply-order position of its kind (see emit/emit.h)
    std::string kind;
    std::string ns;
    std::string name;
    std::string yaml;  ///< the document, without a document marker; empty when spooled
    /// The spool holding the text instead of `yaml`, and where in it; none for a text in memory.
    const util::Spool* spool = nullptr;
    util::Spool::Span spooled;
    /// The namespace whose team owns the document (`compile -o DIR --layout by-namespace` puts it
    /// under teams/<owner>/); empty: the platform's. See owning_namespace in emit/emit.h.
    std::string owner;

    /// The document's text, read back from the spool when it waits there (nothing when it
    /// cannot be read).
    std::optional<std::string> text() const;
};

}  // namespace km::emit
