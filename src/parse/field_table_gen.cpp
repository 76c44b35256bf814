// Build-time generator of the parser's field table: reads schema/topology.schema.json and writes
// one `{path, {fields...}},` line per object of the format, in the schema's order, so that a
// field is written once, in the schema. Fails the build on an object the schema leaves open.
//
// usage: field_table_gen SCHEMA OUTPUT
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace {

using Json = nlohmann::ordered_json;

struct Object {
    std::string path;  ///< "", "/mesh", "/services/*", ...
    std::vector<std::string> fields;
};

/// Follows "$ref": "#/definitions/x" (or "#/$defs/x") to the definition.
const Json* resolve(const Json& root, const Json* node) {
    while (node && node->is_object() && node->contains("$ref")) {
        std::string ref = (*node)["$ref"].get<std::string>();
        node = &root.at(Json::json_pointer(ref.substr(1)));
    }
    return node;
}

/// A field that takes a string or an object (consumes entries) holds the object in oneOf/anyOf.
const Json* object_form(const Json& root, const Json* node) {
    if (node->contains("properties")) {
        return node;
    }
    for (const char* alt : {"oneOf", "anyOf"}) {
        if (!node->contains(alt)) {
            continue;
        }
        for (const Json& option : (*node)[alt]) {
            const Json* o = resolve(root, &option);
            if (o->is_object() && o->contains("properties")) {
                return o;
            }
        }
    }
    return node;
}

/// Every object with properties under `node`, depth first: its fields, then its fields'
/// objects, a list's items and a map's values ("/*").
void walk(const Json& root, const Json* node, const std::string& path, std::vector<Object>& out,
          std::vector<std::string>& open) {
    node = resolve(root, node);
    if (!node || !node->is_object()) {
        return;
    }
    node = object_form(root, node);
    if (node->contains("properties")) {
        if (!node->contains("additionalProperties") || (*node)["additionalProperties"] != false) {
            open.push_back(path.empty() ? "/" : path);
        }
        Object object{path, {}};
        for (const auto& entry : (*node)["properties"].items()) {
            object.fields.push_back(entry.key());
        }
        out.push_back(std::move(object));
        for (const auto& entry : (*node)["properties"].items()) {
            walk(root, &entry.value(), path + "/" + entry.key(), out, open);
        }
    }
    if (node->contains("items") && (*node)["items"].is_object()) {
        walk(root, &(*node)["items"], path + "/*", out, open);
    }
    if (node->contains("additionalProperties") && (*node)["additionalProperties"].is_object()) {
        walk(root, &(*node)["additionalProperties"], path + "/*", out, open);
    }
}

std::string quoted(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    return out + "\"";
}

std::string table_text(const std::vector<Object>& objects) {
    std::ostringstream out;
    out << "// Generated from schema/topology.schema.json by field_table_gen; do not edit.\n";
    for (const Object& o : objects) {
        out << "{" << quoted(o.path) << ", {";
        for (std::size_t i = 0; i < o.fields.size(); ++i) {
            out << (i == 0 ? "" : ", ") << quoted(o.fields[i]);
        }
        out << "}},\n";
    }
    return out.str();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: field_table_gen SCHEMA OUTPUT\n";
        return 2;
    }
    std::ifstream in(argv[1]);
    Json schema = in.is_open() ? Json::parse(in, nullptr, false) : Json(Json::value_t::discarded);
    if (schema.is_discarded()) {
        std::cerr << argv[1] << ": not a JSON document\n";
        return 1;
    }
    std::vector<Object> objects;
    std::vector<std::string> open;
    walk(schema, &schema, "", objects, open);
    for (const std::string& path : open) {
        // The parser reports every field it does not know (KM201): the schema must say the same.
        std::cerr << argv[1] << ": object " << path
                  << " does not set \"additionalProperties\": false\n";
    }
    if (!open.empty()) {
        return 1;
    }
    std::ofstream file(argv[2]);
    file << table_text(objects);
    return file ? 0 : 1;
}
