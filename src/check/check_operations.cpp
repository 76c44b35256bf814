// Role grant operations: known names, and valid for the grant's resource type (Kafka's table).
#include <fmt/format.h>

#include "check/checks.h"
#include "model/acl.h"
#include "util/strings.h"

namespace km::check {

void check_operations(const model::Topology& t, diag::DiagnosticSink& sink) {
    for (const model::Role& role : t.roles) {
        for (const model::Grant& g : role.grants) {
            model::ResourceType type = model::resource_type_of(g.resource);
            std::vector<std::string> valid;
            std::vector<std::string_view> valid_names;
            for (model::Operation v : model::valid_operations(type)) {
                valid.emplace_back(model::operation_name(v));
                valid_names.push_back(model::operation_name(v));
            }
            for (const model::Text& op_text : g.operations) {
                auto op = model::parse_operation(op_text.value);
                if (!op) {
                    auto& d = sink.report(diag::Code::KM204, op_text.location,
                                          fmt::format("unknown operation '{}'", op_text.value));
                    // Kafka's names are case-sensitive here: 'WRITE' is suggested as 'Write'.
                    auto match = util::closest_match(op_text.value, valid_names);
                    if (!match) {
                        match = util::closest_match(op_text.value, model::operation_names());
                    }
                    if (match) {
                        diag::add_help(d, fmt::format("did you mean '{}'?", *match));
                    }
                    diag::add_help(
                        d, fmt::format("Kafka allows on a {}: {}", model::resource_type_name(type),
                                       util::join(valid, ", ")));
                    continue;
                }
                if (model::operation_valid_for(type, *op)) {
                    continue;
                }
                auto& d = sink.report(diag::Code::KM307, op_text.location,
                                      fmt::format("operation '{}' is not valid on a {} resource",
                                                  op_text.value, model::resource_type_name(type)));
                diag::add_help(
                    d, fmt::format("Kafka allows on a {}: {}", model::resource_type_name(type),
                                   util::join(valid, ", ")));
            }
        }
    }
}

}  // namespace km::check
