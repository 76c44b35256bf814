// Topic, group, transactional-id, role and service references.
#include <fmt/format.h>

#include <algorithm>

#include "check/checks.h"
#include "check/name_index.h"
#include "model/derived.h"
#include "util/strings.h"

namespace km::check {
namespace {

class ReferenceChecker {
  public:
    ReferenceChecker(const model::Topology& t, diag::DiagnosticSink& sink)
        : m_sink(sink), m_topology(t) {
        for (const model::Topic& topic : t.topics) {
            if (topic.name.empty()) {
                m_nameless = true;
                continue;
            }
            m_topics.add(topic.name.value, topic.name.location);
        }
        m_topics.seal();
    }

    void topic(const model::Text& ref) {
        if (m_nameless) {
            // A topic without its name (reported as KM203) may be the one referred to: an
            // unknown-topic error here would only send the reader to the wrong fix.
            return;
        }
        model::Reference r = model::parse_reference(ref.value);
        switch (r.kind) {
            case model::Reference::Kind::invalid:
                invalid(ref, "topic");
                break;
            case model::Reference::Kind::wildcard:
                wildcard(ref, "topic");
                break;
            case model::Reference::Kind::prefix:
                if (!m_topics.covers(r.name)) {
                    auto& d = m_sink.report(
                        diag::Code::KM309, ref.location,
                        fmt::format("prefix '{}' covers no declared topic", ref.value));
                    if (auto match = closest_prefix(r.name)) {
                        diag::add_help(d, fmt::format("did you mean '{}*'?", *match));
                    } else {
                        diag::add_help(
                            d, "declare the topics it is meant for, or mark them 'external: true'");
                    }
                }
                break;
            case model::Reference::Kind::literal:
                if (!m_topics.find(r.name)) {
                    auto& d = m_sink.report(diag::Code::KM301, ref.location,
                                            fmt::format("unknown topic '{}'", ref.value));
                    if (m_topics.covers(r.name)) {
                        // 'audit.' with the star forgotten: it begins declared topic names.
                        diag::add_help(d, fmt::format("did you mean the prefix '{}*'?", r.name));
                    } else if (auto match = m_topics.closest(r.name)) {
                        diag::add_help(d, fmt::format("did you mean '{}'?", *match),
                                       *m_topics.find(*match));
                    } else {
                        diag::add_help(d,
                                       "declare it under 'topics', with 'external: true' if it is "
                                       "managed elsewhere");
                    }
                }
                break;
        }
    }

    /// Groups and transactional ids need not be declared; only their form is checked.
    void other(const model::Text& ref, std::string_view what) {
        model::Reference r = model::parse_reference(ref.value);
        if (r.kind == model::Reference::Kind::invalid) {
            invalid(ref, what);
        } else if (r.kind == model::Reference::Kind::wildcard) {
            wildcard(ref, what);
        }
    }

  private:
    /// The declared topic prefix, up to and including a '.', '-' or '_', closest to `prefix`.
    /// Built on the first miss only: a clean topology never pays for it.
    std::optional<std::string> closest_prefix(std::string_view prefix) {
        if (!m_prefixes_built) {
            m_prefixes_built = true;
            for (const model::Topic& topic : m_topology.topics) {
                const std::string& name = topic.name.value;
                for (std::size_t i = 0; i + 1 < name.size(); ++i) {
                    if (name[i] == '.' || name[i] == '-' || name[i] == '_') {
                        m_prefixes.push_back(name.substr(0, i + 1));
                    }
                }
            }
            std::sort(m_prefixes.begin(), m_prefixes.end());
            m_prefixes.erase(std::unique(m_prefixes.begin(), m_prefixes.end()), m_prefixes.end());
        }
        std::vector<std::string_view> candidates(m_prefixes.begin(), m_prefixes.end());
        return util::closest_match(prefix, candidates);
    }

    void invalid(const model::Text& ref, std::string_view what) {
        auto& d = m_sink.report(
            diag::Code::KM308, ref.location,
            fmt::format("{} reference '{}' has '*' where only a trailing '*' is allowed", what,
                        ref.value));
        diag::add_help(d, "write 'name' for one resource, 'name*' for a prefix or '*' for all");
    }

    void wildcard(const model::Text& ref, std::string_view what) {
        m_sink.report(
            diag::Code::KM310, ref.location,
            fmt::format("'*' grants on every {} in the cluster, including ones declared later",
                        what));
    }

    diag::DiagnosticSink& m_sink;
    const model::Topology& m_topology;
    NameIndex m_topics;
    bool m_nameless = false;
    bool m_prefixes_built = false;
    std::vector<std::string> m_prefixes;
};

}  // namespace

void check_references(const model::Topology& t, diag::DiagnosticSink& sink) {
    ReferenceChecker refs(t, sink);
    NameIndex roles;
    for (const model::Role& role : t.roles) {
        roles.add(role.name.value, role.name.location);
    }
    roles.seal();

    for (const model::Service& s : t.services) {
        for (const model::Text& topic : s.produces) {
            refs.topic(topic);
        }
        for (const model::Consume& c : s.consumes) {
            refs.topic(c.topic);
            if (c.group) {
                refs.other(*c.group, "group");
            }
        }
        if (s.transactional_id) {
            refs.other(*s.transactional_id, "transactional id");
        }
        if (s.connect) {
            for (const model::Connector& connector : s.connect->connectors) {
                for (const model::Text& topic : connector.consumes) {
                    refs.topic(topic);
                }
                for (const model::Text& topic : connector.produces) {
                    refs.topic(topic);
                }
            }
        }
        for (const model::Text& role : s.roles) {
            if (roles.find(role.value)) {
                continue;
            }
            auto& d = sink.report(diag::Code::KM304, role.location,
                                  fmt::format("unknown role '{}'", role.value));
            if (auto match = roles.closest(role.value)) {
                diag::add_help(d, fmt::format("did you mean '{}'?", *match), *roles.find(*match));
            }
        }
    }
    for (const model::Role& role : t.roles) {
        for (const model::Grant& g : role.grants) {
            for (const model::Text& name : g.names) {
                if (g.resource == model::GrantResource::topic) {
                    refs.topic(name);
                } else {
                    refs.other(name, g.resource == model::GrantResource::group
                                         ? "group"
                                         : "transactional id");
                }
            }
        }
    }

    if (!t.kafka) {
        return;
    }
    NameIndex services;
    for (const model::Service& s : t.services) {
        services.add(s.ns.value + "/" + s.name.value, s.name.location);
    }
    services.seal();
    for (const model::Text& ref : t.kafka->super_users) {
        if (ref.value.find('/') == std::string::npos) {
            auto& d = sink.report(
                diag::Code::KM205, ref.location,
                fmt::format("super user '{}' is not a service reference 'namespace/name'",
                            ref.value));
            diag::add_help(d, "name the service, for example 'ops/kafka-admin'");
        } else if (!services.find(ref.value)) {
            auto& d =
                sink.report(diag::Code::KM305, ref.location,
                            fmt::format("super user '{}' names no declared service", ref.value));
            if (auto match = services.closest(ref.value)) {
                diag::add_help(d, fmt::format("did you mean '{}'?", *match),
                               *services.find(*match));
            }
        }
    }
}

}  // namespace km::check
