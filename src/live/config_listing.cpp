#include "live/config_listing.h"

#include <fmt/format.h>

namespace km::live {

// kafka-configs.sh --describe --entity-type users
//
// ConfigCommand (core/src/main/scala/kafka/admin/ConfigCommand.scala in 3.x,
// tools/.../ConfigCommand.java in 4.x, describeQuotaConfigs) prints
//   "Quota configs for " + entity + " are " + key=value joined by ", "
// with entity "user-principal '<name>'" (or "the default user-principal", and ", client-id
// '<id>'" for a user and client pair), then, per user, "SCRAM credential configs for
// user-principal '<name>' are SCRAM-SHA-512=iterations=4096".

namespace {

/// "key=value, key=value": the quotas of one user.
LiveQuotas read_quota_values(const LineReader& r, std::string_view values, diag::Location at) {
    LiveQuotas q;
    q.location = at;
    while (!values.empty()) {
        std::size_t comma = values.find(", ");
        std::string_view item = values.substr(0, comma);
        std::size_t eq = item.find('=');
        if (eq == std::string_view::npos) {
            r.sink.report(diag::Code::KM701, at, fmt::format("'{}' is not key=value", item));
            break;
        }
        q.values[std::string(item.substr(0, eq))] = std::string(item.substr(eq + 1));
        values = comma == std::string_view::npos ? std::string_view{} : values.substr(comma + 2);
    }
    return q;
}

/// One user's quotas, or its SCRAM credential, which names the user.
void read_configs_line(const LineReader& r, std::string_view line, diag::Location at,
                       LiveState& state) {
    bool quota = line.starts_with("Quota configs for ");
    bool scram = line.starts_with("SCRAM credential configs for ");
    if (!quota && !scram) {
        if (line.starts_with("Error retrieving SCRAM credential configs")) {
            return;  // a user with quotas and no credential
        }
        r.sink.report(diag::Code::KM701, at,
                      "a line that kafka-configs.sh --describe --entity-type users does not "
                      "print");
        return;
    }
    std::size_t are = line.find(" are");
    std::string_view entity = line.substr(0, are);
    std::size_t open = entity.find("user-principal '");
    if (are == std::string_view::npos || open == std::string_view::npos) {
        if (entity.find("the default user-principal") != std::string_view::npos) {
            r.sink.report(diag::Code::KM703, at,
                          "a default user quota is not something a topology declares; it is "
                          "left out");
            return;
        }
        r.sink.report(diag::Code::KM701, at,
                      "a line without \"user-principal '<name>'\" and \" are\"");
        return;
    }
    std::string_view rest = entity.substr(open + 16);
    std::size_t close = rest.find('\'');
    if (close == std::string_view::npos) {
        r.sink.report(diag::Code::KM701, at, "an unterminated user-principal name");
        return;
    }
    std::string user(rest.substr(0, close));
    if (rest.find("client-id", close) != std::string_view::npos) {
        r.sink.report(diag::Code::KM703, at,
                      fmt::format("a quota for user '{}' and one client id is not something a "
                                  "topology declares; it is left out",
                                  user));
        return;
    }
    LivePrincipal& p = state.principal("User:" + user);
    if (!p.location.known()) {
        p.location = at;
    }
    if (p.user.empty()) {
        p.user = user;
    }
    state.parts.insert(Part::users);
    if (scram) {
        return;
    }
    LiveQuotas q = read_quota_values(r, trim(line.substr(are + 4)), at);
    if (!q.values.empty()) {
        p.quotas = std::move(q);
    }
}

}  // namespace

void read_configs_text(const LineReader& r, LiveState& state) {
    for_each_line(r.sources.file(r.file).text, [&](std::uint32_t number, std::string_view raw) {
        std::string_view line = trim(raw);
        if (line.empty() || line.starts_with("#")) {
            return;
        }
        read_configs_line(r, line, r.at(number, indent_of(raw)), state);
    });
}

}  // namespace km::live
