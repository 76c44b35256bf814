// Fields that only one service kind uses: a field on the wrong kind would be silently ignored.
#include <fmt/format.h>

#include "check/checks.h"
#include "model/derived.h"

namespace km::check {
namespace {

void wrong_kind(diag::DiagnosticSink& sink, const model::Service& s, diag::Location where,
                std::string_view field, std::string_view kinds) {
    auto& d = sink.report(diag::Code::KM318, where,
                          fmt::format("'{}' is used by {} services, but '{}' is kind '{}'", field,
                                      kinds, s.name.value, model::service_kind_name(s.kind)));
    if (s.kind_location.known()) {
        diag::add_note(d, s.kind_location, "the kind is set here");
    }
}

}  // namespace

void check_service_kinds(const model::Topology& t, diag::DiagnosticSink& sink) {
    for (const model::Service& s : t.services) {
        if (s.kind_invalid) {
            continue;  // the parser reported the kind; which fields fit it is unknown
        }
        if (s.kind != model::ServiceKind::streams) {
            if (s.application_id) {
                wrong_kind(sink, s, s.application_id->location, "applicationId", "streams");
            }
            if (s.exactly_once) {
                wrong_kind(sink, s, s.exactly_once_location, "exactlyOnce", "streams");
            }
        }
        if (s.kind != model::ServiceKind::connect && s.connect) {
            wrong_kind(sink, s, s.connect->location, "connect", "connect");
        }
        if (s.kind != model::ServiceKind::app && s.transactional_id) {
            wrong_kind(sink, s, s.transactional_id->location, "transactionalId", "app");
        }
        if (s.kind == model::ServiceKind::streams) {
            for (const model::Consume& c : s.consumes) {
                if (c.group) {
                    auto& d = sink.report(
                        diag::Code::KM318, c.group->location,
                        fmt::format("a streams service consumes as group '{}' (its applicationId)",
                                    c.group->value));
                    diag::add_help(d, "remove 'group'; set 'applicationId' to change the group");
                }
            }
        }
        if (s.kind == model::ServiceKind::connect) {
            if (!s.produces.empty()) {
                wrong_kind(sink, s, s.produces.front().location, "produces", "app and streams");
            }
            if (!s.consumes.empty()) {
                wrong_kind(sink, s, s.consumes.front().location, "consumes", "app and streams");
            }
        }
    }
}

}  // namespace km::check
