#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "graph/access_graph.h"
#include "model/derived.h"
#include "model/identities.h"
#include "util/parallel.h"

namespace km::graph {

using model::Operation;
using model::ResourceType;

std::string_view rule_name(Rule rule) {
    switch (rule) {
        case Rule::produces:
            return "produces";
        case Rule::consumes:
            return "consumes";
        case Rule::consume_group:
            return "consumer group";
        case Rule::transactional_id:
            return "transactionalId";
        case Rule::streams_internal_topics:
            return "streams internal topics";
        case Rule::streams_group:
            return "streams group";
        case Rule::streams_exactly_once:
            return "streams exactly-once";
        case Rule::connect_worker_group:
            return "connect worker group";
        case Rule::connect_storage_topic:
            return "connect storage topic";
        case Rule::connector_produces:
            return "connector produces";
        case Rule::connector_consumes:
            return "connector consumes";
        case Rule::connector_group:
            return "connector group";
        case Rule::role_grant:
            return "role grant";
    }
    return "grant";
}

bool Identity::has_allow() const {
    return std::any_of(acls.begin(), acls.end(),
                       [](const AclEntry& e) { return e.effect == model::Effect::allow; });
}

const std::vector<AclEntry>& kafka_acls(const Identity& id) {
    static const std::vector<AclEntry> none;
    return id.super_user ? none : id.acls;
}

namespace {

class Expander {
  public:
    Expander(const model::Topology& t, std::vector<AclEntry>& out) : m_topology(t), m_out(out) {}

    void service(const model::Service& s) {
        switch (s.kind) {
            case model::ServiceKind::app:
                app(s);
                break;
            case model::ServiceKind::streams:
                streams(s);
                break;
            case model::ServiceKind::connect:
                connect(s);
                break;
        }
        for (const model::Text& role_name : s.roles) {
            for (const model::Role& role : m_topology.roles) {
                if (role.name.value == role_name.value) {
                    grants(role);
                }
            }
        }
    }

  private:
    void add(ResourceType type, std::string_view ref, std::initializer_list<Operation> ops,
             Rule rule, diag::Location where, const std::string& via,
             model::Effect effect = model::Effect::allow) {
        model::Reference r = model::parse_reference(ref);
        if (r.kind == model::Reference::Kind::invalid) {
            return;  // reported by the checks
        }
        for (Operation op : ops) {
            AclEntry e;
            e.type = type;
            e.pattern = r.kind == model::Reference::Kind::prefix ? model::PatternType::prefix
                                                                 : model::PatternType::literal;
            e.name = r.name;
            e.effect = effect;
            e.operation = op;
            e.sources.push_back(Provenance{rule, where, via});
            m_out.push_back(std::move(e));
        }
    }

    void produces_and_consumes(const model::Service& s) {
        for (const model::Text& t : s.produces) {
            add(ResourceType::topic, t.value, {Operation::Write, Operation::Describe},
                Rule::produces, t.location, s.name.value);
        }
        for (const model::Consume& c : s.consumes) {
            add(ResourceType::topic, c.topic.value, {Operation::Read, Operation::Describe},
                Rule::consumes, c.topic.location, s.name.value);
        }
    }

    void app(const model::Service& s) {
        produces_and_consumes(s);
        for (const model::Consume& c : s.consumes) {
            add(ResourceType::group, model::consume_group_id(s, c), {Operation::Read},
                Rule::consume_group, c.group ? c.group->location : c.location, s.name.value);
        }
        if (s.transactional_id) {
            add(ResourceType::transactional_id, s.transactional_id->value,
                {Operation::Write, Operation::Describe}, Rule::transactional_id,
                s.transactional_id->location, s.name.value);
        }
    }

    void streams(const model::Service& s) {
        produces_and_consumes(s);
        std::string id = model::streams_application_id(s);
        diag::Location where = s.application_id ? s.application_id->location : s.name.location;
        add(ResourceType::topic, model::streams_prefix(s) + "*",
            {Operation::Create, Operation::Delete, Operation::Describe, Operation::DescribeConfigs,
             Operation::Read, Operation::Write},
            Rule::streams_internal_topics, where, s.name.value);
        add(ResourceType::group, id, {Operation::Read}, Rule::streams_group, where, s.name.value);
        if (s.exactly_once.value_or(false)) {
            add(ResourceType::transactional_id, model::streams_prefix(s) + "*",
                {Operation::Write, Operation::Describe}, Rule::streams_exactly_once,
                s.exactly_once_location, s.name.value);
        }
    }

    void connect(const model::Service& s) {
        std::string group = model::connect_group_id(s);
        diag::Location where =
            s.connect && s.connect->group_id ? s.connect->group_id->location : s.name.location;
        add(ResourceType::group, group, {Operation::Read}, Rule::connect_worker_group, where,
            s.name.value);
        model::StorageTopics storage = model::connect_storage_topics(s);
        for (const std::string& topic : {storage.configs, storage.offsets, storage.status}) {
            add(ResourceType::topic, topic,
                {Operation::Create, Operation::Describe, Operation::DescribeConfigs,
                 Operation::Read, Operation::Write},
                Rule::connect_storage_topic, s.connect ? s.connect->location : s.name.location,
                s.name.value);
        }
        if (!s.connect) {
            return;
        }
        for (const model::Connector& c : s.connect->connectors) {
            for (const model::Text& t : c.produces) {
                add(ResourceType::topic, t.value, {Operation::Write, Operation::Describe},
                    Rule::connector_produces, t.location, s.name.value);
            }
            for (const model::Text& t : c.consumes) {
                add(ResourceType::topic, t.value, {Operation::Read, Operation::Describe},
                    Rule::connector_consumes, t.location, s.name.value);
            }
            if (!c.consumes.empty()) {
                // Sink connectors consume as group "connect-<connector name>" (Kafka Connect's
                // SinkUtils).
                add(ResourceType::group, "connect-" + c.name.value, {Operation::Read},
                    Rule::connector_group, c.name.location, s.name.value);
            }
        }
    }

    void grants(const model::Role& role) {
        for (const model::Grant& g : role.grants) {
            ResourceType type = model::resource_type_of(g.resource);
            std::vector<std::string> names;
            for (const model::Text& n : g.names) {
                names.push_back(n.value);
            }
            if (g.resource == model::GrantResource::cluster) {
                names.push_back("kafka-cluster");
            }
            for (const std::string& name : names) {
                for (const model::Text& op_text : g.operations) {
                    auto op = model::parse_operation(op_text.value);
                    if (op && model::operation_valid_for(type, *op)) {
                        add(type, name, {*op}, Rule::role_grant, op_text.location, role.name.value,
                            g.effect);
                    }
                }
            }
        }
    }

    const model::Topology& m_topology;
    std::vector<AclEntry>& m_out;
};

/// Sorts entries and folds identical ones together, keeping every source.
void normalise(std::vector<AclEntry>& acls) {
    std::stable_sort(acls.begin(), acls.end(),
                     [](const AclEntry& a, const AclEntry& b) { return a.key() < b.key(); });
    std::vector<AclEntry> out;
    out.reserve(acls.size());
    for (AclEntry& e : acls) {
        if (!out.empty() && out.back().key() == e.key()) {
            auto& sources = out.back().sources;
            sources.insert(sources.end(), e.sources.begin(), e.sources.end());
        } else {
            out.push_back(std::move(e));
        }
    }
    out.shrink_to_fit();  // held for the whole run: keep no growth slack per identity
    acls = std::move(out);
}

void report_cancelled_allows(const Identity& id, diag::DiagnosticSink& sink) {
    for (const AclEntry& deny : id.acls) {
        if (deny.effect != model::Effect::deny) {
            continue;
        }
        auto allow = std::find_if(id.acls.begin(), id.acls.end(), [&](const AclEntry& e) {
            return e.effect == model::Effect::allow && e.type == deny.type &&
                   e.pattern == deny.pattern && e.name == deny.name &&
                   e.operation == deny.operation;
        });
        if (allow == id.acls.end()) {
            continue;
        }
        auto& d =
            sink.report(diag::Code::KM316, deny.sources.front().location,
                        fmt::format("deny of {} on {} '{}' for '{}' cancels an allow of the same",
                                    model::operation_name(deny.operation),
                                    model::resource_type_name(deny.type), deny.name, id.key));
        diag::add_note(
            d, allow->sources.front().location,
            fmt::format("the allow comes from {} of '{}'", rule_name(allow->sources.front().rule),
                        allow->sources.front().via));
    }
}

/// One identity with its normalised ACL entries; reports into `sink` only.
Identity build_identity(const model::Topology& t, model::IdentityInfo& info,
                        const std::set<std::string>& super_services, Sources sources,
                        diag::DiagnosticSink& sink) {
    Identity id;
    // The info is read once: its strings move into the identity.
    id.key = std::move(info.key);
    id.ns = std::move(info.ns);
    id.service_account = std::move(info.service_account);
    id.user = std::move(info.user);
    model::Service principal_of = *info.services.front();
    if (info.user_source) {
        principal_of.user = *info.user_source;
    }
    id.principal_name = model::kafka_principal_name(t.kafka->authentication, principal_of);
    id.authentication = principal_of.authentication.value_or(t.kafka->authentication);
    if (id.authentication == model::Authentication::service_account_token) {
        // No KafkaUser exists: the user Kafka and Kubernetes both know is the service
        // account's own user name, which every review output then shows.
        id.user = id.principal_name;
    }
    for (const model::Service* s : info.services) {
        if (s->password_secret && id.password_secret.empty()) {
            id.password_secret = s->password_secret->value;
            id.password_key = s->password_key ? s->password_key->value : "password";
        }
    }
    id.mesh_principal = model::mesh_principal(t.mesh.trust_domain.value, id.ns, id.service_account);
    if (info.quotas) {
        id.quotas = *info.quotas;
    }
    Expander expander(t, id.acls);
    for (const model::Service* s : info.services) {
        id.services.push_back(s->name.value);
        if (s->kind == model::ServiceKind::connect &&
            t.kafka->distribution == model::Distribution::strimzi &&
            s->account() == model::strimzi_connect_name(s->name.value)) {
            id.strimzi_connects.push_back(s->name.value);
        }
        id.super_user =
            id.super_user || super_services.count(s->ns.value + "/" + s->name.value) != 0;
        expander.service(*s);
    }
    std::sort(id.services.begin(), id.services.end());
    std::sort(id.strimzi_connects.begin(), id.strimzi_connects.end());
    normalise(id.acls);
    report_cancelled_allows(id, sink);
    if (sources == Sources::dropped) {
        for (AclEntry& e : id.acls) {
            std::vector<Provenance>().swap(e.sources);
        }
    }
    std::vector<const model::Service*>().swap(info.services);
    return id;
}

}  // namespace

AccessGraph build_access_graph(const model::Topology& t, diag::DiagnosticSink& sink,
                               Sources sources) {
    AccessGraph graph;
    if (!t.kafka) {
        return graph;
    }
    std::set<std::string> super_services([&] {
        std::set<std::string> s;
        for (const model::Text& ref : t.kafka->super_users) {
            s.insert(ref.value);
        }
        return s;
    }());
    std::vector<model::IdentityInfo> identities = model::collect_identities(t);
    // Each identity reads the topology and writes only itself: the two halves are built on two
    // cores, their diagnostics joined in identity order, as one thread would report them.
    graph.identities.resize(identities.size());
    std::size_t half = identities.size() / 2;
    diag::DiagnosticSink first_half, second_half;
    auto build = [&](std::size_t first, std::size_t last, diag::DiagnosticSink& into) {
        for (std::size_t i = first; i < last; ++i) {
            graph.identities[i] = build_identity(t, identities[i], super_services, sources, into);
        }
    };
    util::run_beside([&] { build(0, half, first_half); },
                     [&] { build(half, identities.size(), second_half); });
    sink.append(std::move(first_half));
    sink.append(std::move(second_half));
    return graph;
}

std::string dump(const AccessGraph& graph) {
    std::string out;
    for (const Identity& id : graph.identities) {
        out += fmt::format("{} user={} principal=User:{} mesh={}{}\n", id.key, id.user,
                           id.principal_name, id.mesh_principal, id.super_user ? " super" : "");
        for (const AclEntry& e : id.acls) {
            out += fmt::format("  {} {} {} {} {}\n", model::resource_type_name(e.type),
                               model::pattern_type_name(e.pattern), e.name,
                               e.effect == model::Effect::allow ? "allow" : "deny",
                               model::operation_name(e.operation));
        }
    }
    return out;
}

}  // namespace km::graph
