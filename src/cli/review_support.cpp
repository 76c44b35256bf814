#include "cli/review_support.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <map>

#include "util/strings.h"

namespace km::cli {

review::Format parse_format(const std::string& name) {
    if (name == "markdown") {
        return review::Format::markdown;
    }
    if (name == "json") {
        return review::Format::json;
    }
    if (name == "csv") {
        return review::Format::csv;
    }
    return review::Format::text;
}

bool use_colour(std::FILE* stream) {
    const char* no_colour = std::getenv("NO_COLOR");
    if (no_colour && *no_colour) {
        return false;
    }
    return isatty(fileno(stream)) != 0;
}

std::optional<std::string> resolve_service(const FrontEnd& front, const std::string& wanted,
                                           Session& session) {
    std::vector<std::string> qualified;
    std::vector<std::string> same_name;
    std::map<std::string, diag::Location> declared;
    for (const model::Service& s : front.topology.services) {
        std::string key = s.ns.value + "/" + s.name.value;
        if (key == wanted) {
            return key;
        }
        if (s.name.value == wanted) {
            same_name.push_back(key);
        }
        declared.emplace(key, s.name.location);
        qualified.push_back(std::move(key));
    }
    if (same_name.size() == 1) {
        return same_name.front();
    }
    if (same_name.empty()) {
        for (const graph::Identity& id : front.graph.identities) {
            if (id.user == wanted && !id.services.empty()) {
                return id.ns + "/" + id.services.front();
            }
        }
    }
    std::sort(same_name.begin(), same_name.end());
    auto& d = session.sink.report(
        diag::Code::KM007, {},
        same_name.empty()
            ? fmt::format("no service '{}' is declared", wanted)
            : fmt::format("service '{}' is declared in {} namespaces", wanted, same_name.size()));
    if (!same_name.empty()) {
        diag::add_help(
            d, fmt::format("name one as 'namespace/name': '{}'", fmt::join(same_name, "', '")));
        return std::nullopt;
    }
    std::vector<std::string_view> candidates(qualified.begin(), qualified.end());
    if (std::optional<std::string> near = util::closest_match(wanted, candidates)) {
        // Located at the declaration, so the answer points into the topology.
        diag::add_help(d, fmt::format("did you mean '{}'?", *near), declared[*near]);
    } else {
        diag::add_help(d,
                       "name the service as 'namespace/name', by its name alone, or by its "
                       "Kafka user");
    }
    return std::nullopt;
}

}  // namespace km::cli
