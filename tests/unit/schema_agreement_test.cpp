// schema/topology.schema.json (for editors) and the parser must accept the same fields.
#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "parse/field_table.h"

namespace {

using nlohmann::json;

/// Follows a parser path ("/services/*/connect") through the schema's properties, items and $refs.
const json* resolve(const json& root, const json* node, const std::string& path) {
    auto deref = [&](const json* n) {
        while (n && n->contains("$ref")) {
            std::string ref = (*n)["$ref"].get<std::string>();  // "#/definitions/x" or "#/$defs/x"
            n = &root.at(json::json_pointer(ref.substr(1)));
        }
        return n;
    };
    node = deref(node);
    std::size_t start = 1;
    while (node && start <= path.size() && !path.empty()) {
        std::size_t slash = path.find('/', start);
        std::string part =
            path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
        start = slash == std::string::npos ? path.size() + 1 : slash + 1;
        if (part == "*") {
            // A list's items, or the entries of a map of names (environments).
            node = node->contains("items") ? &(*node)["items"]
                   : node->contains("additionalProperties") &&
                           (*node)["additionalProperties"].is_object()
                       ? &(*node)["additionalProperties"]
                       : nullptr;
        } else {
            node = node->contains("properties") && (*node)["properties"].contains(part)
                       ? &(*node)["properties"][part]
                       : nullptr;
        }
        node = deref(node);
        // A field that takes a string or an object (consumes entries) holds the object in
        // oneOf/anyOf.
        for (const char* alt : {"oneOf", "anyOf"}) {
            if (node && !node->contains("properties") && node->contains(alt)) {
                for (const json& option : (*node)[alt]) {
                    const json* o = deref(&option);
                    if (o->contains("properties")) {
                        node = o;
                        break;
                    }
                }
            }
        }
    }
    return node;
}

}  // namespace

TEST_SUITE("parse") {
    TEST_CASE("schema agrees with the parser's fields") {
        std::ifstream in(std::string(KAFKAMESH_SOURCE_DIR) + "/schema/topology.schema.json");
        REQUIRE(in.good());
        json schema = json::parse(in);
        for (const auto& object : km::parse::object_fields()) {
            CAPTURE(object.path);
            const json* node = resolve(schema, &schema, object.path);
            REQUIRE(node != nullptr);
            REQUIRE(node->contains("properties"));
            std::set<std::string> in_schema;
            for (const auto& [key, value] : (*node)["properties"].items()) {
                in_schema.insert(key);
            }
            std::set<std::string> in_parser(object.fields.begin(), object.fields.end());
            CHECK(in_schema == in_parser);
            CHECK((*node)["additionalProperties"] == false);
        }
    }
}
