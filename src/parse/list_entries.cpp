#include "parse/list_entries.h"

#include <cstdint>
#include <limits>

#include "parse/value_formats.h"

namespace km::parse {

using diag::Code;
using source::NodeId;
using source::NodeKind;

void parse_namespace(Reader& r, NodeId id, model::Topology& t) {
    model::Namespace ns;
    ns.location = r.where(id);
    r.fields(id, "/namespaces/*", {"name"}, [&](std::string_view name, NodeId v) {
        if (name == "name") {
            auto text = r.string(v);
            r.check_format(text, util::is_dns_label, k_dns_label);
            set(std::move(text), ns.name);
        } else if (name == "labels") {
            ns.labels = r.labels(v);
        } else if (name == "managed") {
            ns.managed_location = r.where(v);
            if (auto b = r.boolean(v)) {
                ns.managed = *b;
            }
        } else if (name == "mtls") {
            ns.mtls_location = r.where(v);
            ns.mtls = r.mtls_mode(v);
        } else if (name == "acknowledge") {
            parse_acknowledge(r, v, id, "/namespaces/*", t);
        } else if (name == "limitEgress") {
            ns.limit_egress_location = r.where(v);
            if (auto b = r.boolean(v)) {
                ns.limit_egress = *b;
            }
        } else if (auto b = r.boolean(v)) {
            ns.default_deny = *b;
        }
    });
    t.namespaces.push_back(std::move(ns));
}

namespace {

void parse_quotas(Reader& r, NodeId id, model::Service& s) {
    model::Quotas q;
    q.location = r.key_location();
    r.fields(id, "/services/*/quotas", {}, [&](std::string_view name, NodeId v) {
        if (name == "controllerMutationRate") {
            q.controller_mutation_rate = r.number(v, 0);
            return;
        }
        auto n = r.integer(v, 0, std::numeric_limits<std::int32_t>::max());
        (name == "producerByteRate"   ? q.producer_byte_rate
         : name == "consumerByteRate" ? q.consumer_byte_rate
                                      : q.request_percentage) = n;
    });
    s.quotas = std::move(q);
}

void parse_connect(Reader& r, NodeId id, model::Service& s) {
    model::ConnectOptions c;
    c.location = r.key_location();
    r.fields(id, "/services/*/connect", {}, [&](std::string_view name, NodeId v) {
        if (name == "groupId") {
            c.group_id = r.string(v);
        } else if (name == "storageTopics") {
            r.fields(v, "/services/*/connect/storageTopics", {},
                     [&](std::string_view field, NodeId tv) {
                         auto text = r.string(tv);
                         r.check_format(text, is_topic_name, "a valid Kafka topic name");
                         (field == "configs"   ? c.configs_topic
                          : field == "offsets" ? c.offsets_topic
                                               : c.status_topic) = std::move(text);
                     });
        } else if (name == "connectors") {
            r.items(v, [&](NodeId item) {
                model::Connector connector;
                connector.location = r.where(item);
                r.fields(item, "/services/*/connect/connectors/*", {"name"},
                         [&](std::string_view field, NodeId cv) {
                             if (field == "name") {
                                 set(r.string(cv), connector.name);
                             } else {
                                 (field == "consumes" ? connector.consumes : connector.produces) =
                                     r.strings(cv);
                             }
                         });
                c.connectors.push_back(std::move(connector));
            });
        }
    });
    s.connect = std::move(c);
}

}  // namespace

void parse_service(Reader& r, NodeId id, model::Topology& t) {
    model::Service s;
    s.location = r.where(id);
    r.fields(id, "/services/*", {"name", "namespace"}, [&](std::string_view name, NodeId v) {
        if (name == "name" || name == "namespace") {
            auto text = r.string(v);
            r.check_format(text, util::is_dns_label, k_dns_label);
            set(std::move(text), name == "name" ? s.name : s.ns);
        } else if (name == "serviceAccount") {
            s.service_account = r.string(v);
            r.check_format(s.service_account, util::is_dns_subdomain,
                           "a valid service account name");
        } else if (name == "user") {
            s.user = r.string(v);
        } else if (name == "kind") {
            s.kind_location = r.where(v);
            if (auto e = r.enumeration<model::ServiceKind>(
                    v, {{"app", model::ServiceKind::app},
                        {"streams", model::ServiceKind::streams},
                        {"connect", model::ServiceKind::connect}})) {
                s.kind = *e;
            } else {
                s.kind_invalid = true;
            }
        } else if (name == "produces") {
            s.produces = r.strings(v);
        } else if (name == "consumes") {
            s.consumes.reserve(r.node(v).child_count);
            r.items(v, [&](NodeId item) {
                model::Consume c;
                c.location = r.where(item);
                if (r.node(item).kind == NodeKind::mapping) {
                    r.fields(item, "/services/*/consumes/*", {"topic"},
                             [&](std::string_view field, NodeId cv) {
                                 if (field == "topic") {
                                     set(r.string(cv), c.topic);
                                 } else {
                                     c.group = r.string(cv);
                                 }
                             });
                } else if (auto topic = r.string(item)) {
                    c.topic = std::move(*topic);
                } else {
                    return;
                }
                s.consumes.push_back(std::move(c));
            });
        } else if (name == "transactionalId") {
            s.transactional_id = r.string(v);
        } else if (name == "roles") {
            s.roles = r.strings(v);
        } else if (name == "quotas") {
            parse_quotas(r, v, s);
        } else if (name == "applicationId") {
            s.application_id = r.string(v);
        } else if (name == "exactlyOnce") {
            s.exactly_once_location = r.where(v);
            s.exactly_once = r.boolean(v);
        } else if (name == "connect") {
            parse_connect(r, v, s);
        } else if (name == "authentication") {
            s.authentication_location = r.where(v);
            s.authentication = r.enumeration<model::Authentication>(
                v, {{"scram-sha-512", model::Authentication::scram_sha_512},
                    {"tls", model::Authentication::tls}});
        } else if (name == "password") {
            s.password_location = r.where(v);
            r.fields(v, "/services/*/password", {"secret"}, [&](std::string_view field, NodeId pv) {
                auto text = r.string(pv);
                if (field == "secret") {
                    r.check_format(text, util::is_dns_subdomain, "a valid Secret name");
                    s.password_secret = std::move(text);
                } else {
                    s.password_key = std::move(text);
                }
            });
        } else if (name == "acknowledge") {
            parse_acknowledge(r, v, id, "/services/*", t);
        }
    });
    t.services.push_back(std::move(s));
}

void parse_topic(Reader& r, NodeId id, model::Topology& t) {
    model::Topic topic;
    topic.location = r.where(id);
    r.fields(id, "/topics/*", {"name"}, [&](std::string_view name, NodeId v) {
        if (name == "name") {
            auto text = r.string(v);
            r.check_format(text, is_topic_name,
                           "a valid Kafka topic name (letters, digits, '.', '_' and '-', 1 to 249 "
                           "characters, not "
                           "'.' or '..')");
            set(std::move(text), topic.name);
        } else if (name == "partitions" || name == "replicas") {
            auto n = r.integer(v, 1, 32767);
            if (name == "partitions") {
                topic.partitions_location = r.where(v);
                if (n) {
                    topic.partitions = static_cast<int>(*n);
                }
            } else {
                topic.replicas_location = r.where(v);
                if (n) {
                    topic.replicas = static_cast<int>(*n);
                }
            }
        } else if (name == "config") {
            topic.config = r.config(v);
        } else if (name == "resourceName") {
            topic.resource_name = r.string(v);
            r.check_format(topic.resource_name, util::is_dns_subdomain,
                           "a valid Kubernetes resource name");
        } else if (name == "acknowledge") {
            parse_acknowledge(r, v, id, "/topics/*", t);
        } else if (auto b = r.boolean(v)) {
            topic.external = *b;
        }
    });
    t.topics.push_back(std::move(topic));
}

namespace {

void parse_grant(Reader& r, NodeId id, model::Role& role) {
    model::Grant g;
    g.location = r.where(id);
    std::vector<std::string_view> selectors;
    r.fields(id, "/roles/*/grants/*", {"operations"}, [&](std::string_view name, NodeId v) {
        if (name == "operations") {
            g.operations = r.strings(v);
        } else if (name == "effect") {
            if (auto e = r.enumeration<model::Effect>(
                    v, {{"allow", model::Effect::allow}, {"deny", model::Effect::deny}})) {
                g.effect = *e;
            }
        } else {
            selectors.push_back(name);
            if (name == "cluster") {
                g.resource = model::GrantResource::cluster;
                if (auto b = r.boolean(v); b && !*b) {
                    r.sink().report(Code::KM205, r.where(v),
                                    "'cluster' can only be true; leave it out instead");
                }
            } else {
                g.resource = name == "topics"   ? model::GrantResource::topic
                             : name == "groups" ? model::GrantResource::group
                                                : model::GrantResource::transactional_id;
                g.names = r.strings(v);
                if (r.node(v).kind == NodeKind::sequence && r.node(v).child_count == 0) {
                    r.sink().report(Code::KM205, r.where(v),
                                    fmt::format("'{}' lists nothing", name));
                }
            }
        }
    });
    if (selectors.size() != 1 && r.node(id).kind == NodeKind::mapping) {
        auto& d = r.sink().report(
            Code::KM203, g.location,
            selectors.empty()
                ? std::string(
                      "a grant needs one of 'topics', 'groups', 'transactionalIds' or 'cluster'")
                : fmt::format("a grant names one kind of resource, found {}",
                              fmt::format("'{}' and '{}'", selectors[0], selectors[1])));
        diag::add_help(d, "split it into one grant per kind of resource");
        return;
    }
    role.grants.push_back(std::move(g));
}

}  // namespace

void parse_role(Reader& r, NodeId id, model::Topology& t) {
    model::Role role;
    role.location = r.where(id);
    r.fields(id, "/roles/*", {"name", "grants"}, [&](std::string_view name, NodeId v) {
        if (name == "name") {
            set(r.string(v), role.name);
        } else if (name == "acknowledge") {
            parse_acknowledge(r, v, id, "/roles/*", t);
        } else {
            r.items(v, [&](NodeId item) { parse_grant(r, item, role); });
        }
    });
    t.roles.push_back(std::move(role));
}

}  // namespace km::parse
