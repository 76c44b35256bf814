// The fields each object of the topology format accepts: the table the parser checks every
// mapping against (KM201 for any other key).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace km::parse {

/// The fields each object of the format accepts, keyed by a JSON-pointer-like path
/// ("", "/mesh", "/services/*", ...), generated from the JSON Schema in schema/ at build time.
struct ObjectFields {
    std::string path;
    std::vector<std::string> fields;
};
const std::vector<ObjectFields>& object_fields();

/// The fields of the object at `path`; none for a path the format does not have.
const std::vector<std::string>& fields_of(std::string_view path);

}  // namespace km::parse
