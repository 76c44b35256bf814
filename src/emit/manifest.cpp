#include "emit/manifest.h"

namespace km::emit {

Value Value::string(std::string s) {
    Value v;
    v.m_kind = Kind::string;
    v.m_text = std::move(s);
    return v;
}

Value Value::number(std::string text) {
    Value v;
    v.m_kind = Kind::number;
    v.m_text = std::move(text);
    return v;
}

Value Value::integer(std::int64_t n) {
    return number(std::to_string(n));
}

Value Value::boolean(bool b) {
    Value v;
    v.m_kind = Kind::boolean;
    v.m_text = b ? "true" : "false";
    return v;
}

Value Value::sequence() {
    Value v;
    v.m_kind = Kind::sequence;
    return v;
}

Value Value::mapping() {
    Value v;
    v.m_kind = Kind::mapping;
    return v;
}

Value Value::block(std::string s) {
    Value v = string(std::move(s));
    v.m_block = true;
    return v;
}

Value& Value::set(std::string_view key, Value v) {
    m_kind = Kind::mapping;
    for (auto& [k, existing] : m_entries) {
        if (k == key) {
            existing = std::move(v);
            return existing;
        }
    }
    if (m_entries.empty()) {
        m_entries.reserve(4);  // most documents' mappings hold a handful of keys
    }
    m_entries.emplace_back(key, std::move(v));
    return m_entries.back().second;
}

Value* Value::find(std::string_view key) {
    for (auto& [k, v] : m_entries) {
        if (k == key) {
            return &v;
        }
    }
    return nullptr;
}

const Value* Value::find(std::string_view key) const {
    return const_cast<Value*>(this)->find(key);
}

const std::string& Value::comment() const {
    static const std::string none;
    return m_comment ? *m_comment : none;
}

Value& Value::push(Value v) {
    m_kind = Kind::sequence;
    if (m_items.empty()) {
        m_items.reserve(4);
    }
    m_items.push_back(std::move(v));
    return m_items.back();
}

}  // namespace km::emit
