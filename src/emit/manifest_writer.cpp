#include "emit/manifest_writer.h"

#include <yaml-cpp/emitter.h>

#include "util/strings.h"

namespace km::emit {
namespace {

void write_string(YAML::Emitter& out, const std::string& s, bool block) {
    if (block && s.find('\n') != std::string::npos) {
        out << YAML::Literal << s;
    } else if (util::needs_quotes_for_yaml11(s)) {
        // kubectl and Helm read YAML 1.1, where "9092", "on" and "2001-01-01" are not strings.
        out << YAML::DoubleQuoted << s;
    } else {
        out << s;  // yaml-cpp quotes whatever cannot stand plain (newlines, '#', ': ', '---', ...)
    }
}

void write_value(YAML::Emitter& out, const Value& v) {
    switch (v.kind()) {
        case Value::Kind::null:
            out << YAML::Null;
            break;
        case Value::Kind::string:
            write_string(out, v.text(), v.is_block());
            break;
        case Value::Kind::number:
        case Value::Kind::boolean:
            out << v.text();
            break;
        case Value::Kind::sequence:
            out << (v.items().empty() ? YAML::Flow : YAML::Block) << YAML::BeginSeq;
            for (const Value& item : v.items()) {
                write_value(out, item);
            }
            out << YAML::EndSeq;
            break;
        case Value::Kind::mapping:
            out << (v.entries().empty() ? YAML::Flow : YAML::Block) << YAML::BeginMap;
            for (const auto& [key, value] : v.entries()) {
                out << YAML::Key;
                write_string(out, key, false);
                out << YAML::Value;
                write_value(out, value);
            }
            out << YAML::EndMap;
            break;
    }
}

}  // namespace

std::string write_yaml(const Value& document) {
    YAML::Emitter out;
    out.SetIndent(2);
    out.SetMapFormat(YAML::Block);
    out.SetSeqFormat(YAML::Block);
    write_value(out, document);
    std::string text = out.c_str();
    if (text.empty() || text.back() != '\n') {
        text += '\n';
    }
    return text;
}

std::string write_stream(const std::vector<Manifest>& manifests) {
    std::string out;
    for (const Manifest& m : manifests) {
        out += "---\n";
        out += write_yaml(m.document);
    }
    return out;
}

}  // namespace km::emit
