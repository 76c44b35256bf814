#include "parse/field_table.h"

namespace km::parse {
namespace {

// Every object of the format, from schema/topology.schema.json (field_table_gen): a field is
// declared once, in the schema that editors and the parser share.
const std::vector<ObjectFields> k_fields = {
#include "parse/schema_fields.inc"
};

}  // namespace

const std::vector<std::string>& fields_of(std::string_view path) {
    for (const ObjectFields& f : k_fields) {
        if (f.path == path) {
            return f.fields;
        }
    }
    static const std::vector<std::string> none;
    return none;
}

const std::vector<ObjectFields>& object_fields() {
    return k_fields;
}

}  // namespace km::parse
