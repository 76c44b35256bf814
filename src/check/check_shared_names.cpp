// Names that are cluster-wide in Kafka but that kafkamesh derives per service: consumer groups,
// Streams application ids (their group, internal-topic prefix and transactional ids) and Connect
// groups. Two identities must not share one by accident, and a Streams prefix must not reach
// into topics its service does not use.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "check/checks.h"
#include "model/derived.h"

namespace km::check {
namespace {

struct GroupUse {
    const model::Service* service;
    std::string what;  ///< "consumer group", "Streams application id", ...
    bool is_explicit;
    diag::Location location;
};

std::string service_ref(const model::Service& s) {
    return s.ns.value + "/" + s.name.value;
}

void collect(const model::Service& s, std::map<std::string, std::vector<GroupUse>>& groups) {
    auto add = [&](const std::string& name, std::string what, const model::Text* written,
                   diag::Location fallback) {
        if (name.empty() || model::parse_reference(name).kind != model::Reference::Kind::literal) {
            return;  // prefixes and wildcards are grants the user wrote, not derived names
        }
        groups[name].push_back(GroupUse{&s, std::move(what), written != nullptr,
                                        written ? written->location : fallback});
    };
    switch (s.kind) {
        case model::ServiceKind::app:
            for (const model::Consume& c : s.consumes) {
                add(c.group ? c.group->value : s.name.value, "consumer group",
                    c.group ? &*c.group : nullptr, c.location);
            }
            break;
        case model::ServiceKind::streams:
            add(model::streams_application_id(s), "Streams application id",
                s.application_id ? &*s.application_id : nullptr, s.name.location);
            break;
        case model::ServiceKind::connect: {
            const model::Text* group_id =
                s.connect && s.connect->group_id ? &*s.connect->group_id : nullptr;
            add(model::connect_group_id(s), "Connect group id", group_id, s.name.location);
            if (s.connect) {
                // Sink connectors consume as group "connect-<connector>" (Kafka Connect's
                // SinkUtils), a name nobody writes down.
                for (const model::Connector& c : s.connect->connectors) {
                    if (!c.consumes.empty()) {
                        add("connect-" + c.name.value, "sink connector group", nullptr,
                            c.name.location);
                    }
                }
            }
            break;
        }
    }
}

void check_groups(const model::Topology& t, diag::DiagnosticSink& sink) {
    std::map<std::string, std::vector<GroupUse>> groups;
    for (const model::Service& s : t.services) {
        collect(s, groups);
    }
    for (const auto& [name, uses] : groups) {
        const GroupUse& first = uses.front();
        std::string first_identity = model::identity_key(*first.service);
        for (const GroupUse& use : uses) {
            if (model::identity_key(*use.service) == first_identity) {
                continue;
            }
            bool both_explicit = first.is_explicit && use.is_explicit;
            std::string message = fmt::format(
                "services '{}' and '{}' are different identities but share group '{}' ({} of "
                "'{}', {} of '{}'){}",
                service_ref(*first.service), service_ref(*use.service), name, first.what,
                first.service->name.value, use.what, use.service->name.value,
                both_explicit ? "" : "; at least one takes it by default");
            auto& d = sink.report(both_explicit ? diag::Code::KM349 : diag::Code::KM348,
                                  use.location, message);
            diag::add_subject_note(d, first.location, "the other use is here");
            // Every further identity sharing the name is part of the same finding.
            std::set<std::string> named = {first_identity, model::identity_key(*use.service)};
            for (const GroupUse& more : uses) {
                if (named.insert(model::identity_key(*more.service)).second) {
                    diag::add_subject_note(d, more.location, "another use is here");
                }
            }
            diag::add_help(d, both_explicit
                                  ? "group names are cluster-wide: both join one group, split "
                                    "its partitions and can commit each other's offsets; keep "
                                    "it only if they are meant to"
                                  : fmt::format("group names are cluster-wide; write a name for "
                                                "each, such as '{}-{}'",
                                                use.service->ns.value, name));
            break;  // one report per shared name
        }
    }
}

bool service_uses_topic(const model::Service& s, const std::string& topic) {
    auto covers = [&](const model::Text& ref) {
        model::Reference r = model::parse_reference(ref.value);
        switch (r.kind) {
            case model::Reference::Kind::literal:
                return r.name == topic;
            case model::Reference::Kind::prefix:
                return topic.compare(0, r.name.size(), r.name) == 0;
            case model::Reference::Kind::wildcard:
                return true;
            case model::Reference::Kind::invalid:
                return false;
        }
        return false;
    };
    for (const model::Text& p : s.produces) {
        if (covers(p)) {
            return true;
        }
    }
    for (const model::Consume& c : s.consumes) {
        if (covers(c.topic)) {
            return true;
        }
    }
    return false;
}

/// The declared topics in name order, for the topics a prefix covers as one range: a Streams
/// prefix costs log n plus the topics it covers, not one comparison per topic.
std::vector<const model::Topic*> topics_by_name(const model::Topology& t) {
    std::vector<const model::Topic*> sorted;
    sorted.reserve(t.topics.size());
    for (const model::Topic& topic : t.topics) {
        sorted.push_back(&topic);
    }
    std::stable_sort(
        sorted.begin(), sorted.end(),
        [](const model::Topic* a, const model::Topic* b) { return a->name.value < b->name.value; });
    return sorted;
}

/// The topics whose name starts with `prefix`, in declaration order.
std::vector<const model::Topic*> topics_with_prefix(const std::vector<const model::Topic*>& sorted,
                                                    const std::string& prefix) {
    auto first = std::lower_bound(
        sorted.begin(), sorted.end(), prefix,
        [](const model::Topic* topic, const std::string& p) { return topic->name.value < p; });
    std::vector<const model::Topic*> covered;
    for (auto it = first; it != sorted.end() && (*it)->name.value.starts_with(prefix); ++it) {
        covered.push_back(*it);
    }
    std::sort(covered.begin(), covered.end());  // pointers into t.topics: declaration order
    return covered;
}

void check_streams_prefixes(const model::Topology& t, diag::DiagnosticSink& sink) {
    std::vector<const model::Topic*> sorted;
    for (const model::Service& s : t.services) {
        if (s.kind != model::ServiceKind::streams) {
            continue;
        }
        if (model::streams_application_id(s).empty()) {
            continue;  // KM340
        }
        if (sorted.empty()) {
            sorted = topics_by_name(t);
        }
        std::string prefix = model::streams_prefix(s);
        diag::Location where = s.application_id ? s.application_id->location : s.name.location;
        for (const model::Topic* topic : topics_with_prefix(sorted, prefix)) {
            const std::string& name = topic->name.value;
            if (service_uses_topic(s, name)) {
                continue;
            }
            auto& d = sink.report(
                diag::Code::KM347, where,
                fmt::format("the internal-topic prefix '{}*' of Streams service '{}' covers "
                            "topic '{}', which the service neither produces nor consumes",
                            prefix, service_ref(s), name));
            diag::add_note(d, topic->name.location, "the topic is declared here");
            diag::add_help(d,
                           "the prefix grants Create, Delete, Read and Write on it; choose "
                           "an applicationId whose prefix covers only the service's own "
                           "topics, or rename the topic");
        }
    }
}

}  // namespace

void check_shared_names(const model::Topology& t, diag::DiagnosticSink& sink) {
    check_groups(t, sink);
    check_streams_prefixes(t, sink);
}

}  // namespace km::check
