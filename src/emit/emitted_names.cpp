#include "emit/emitted_names.h"

#include <optional>

#include <fmt/format.h>

#include <algorithm>
#include <string_view>

#include "emit/mesh_names.h"
#include "parse/value_formats.h"
#include "util/strings.h"

namespace km::emit {
namespace {

/// `<trust domain>/ns/<namespace>/sa/<service account>`, with no wildcard: Istio reads '*' at
/// either end of a principal as a prefix or suffix match.
bool is_principal(std::string_view p) {
    auto ns = p.find("/ns/");
    auto sa = p.find("/sa/");
    if (ns == std::string_view::npos || sa == std::string_view::npos || sa < ns + 4) {
        return false;
    }
    return util::is_dns_subdomain(p.substr(0, ns)) &&
           util::is_dns_label(p.substr(ns + 4, sa - ns - 4)) &&
           util::is_dns_subdomain(p.substr(sa + 4));
}

bool is_host(std::string_view host) {
    if (!util::is_dns_subdomain(host)) {
        return false;
    }
    while (!host.empty()) {
        auto dot = host.find('.');
        if (!util::is_dns_label(host.substr(0, dot))) {
            return false;
        }
        host = dot == std::string_view::npos ? std::string_view{} : host.substr(dot + 1);
    }
    return true;
}

/// An ACL resource name: Kafka's name alphabet, a prefix's '*' or the literal '*'.
bool is_acl_resource(std::string_view s) {
    if (s.empty() || s.size() > 250) {
        return false;
    }
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '_' || c == '-' || c == '*';
    });
}

class Checker {
  public:
    Checker(const DocumentHead& head, const Value& document, const model::Topology& topology,
            diag::DiagnosticSink& sink)
        : m_manifest(head), m_document(document), m_topology(topology), m_sink(sink) {}

    void run() {
        const Value& doc = m_document;
        const Value* metadata = doc.find("metadata");
        if (!metadata) {
            fail("metadata", "", "a Kubernetes object with metadata");
            return;
        }
        bool cluster_scoped =
            m_manifest.kind == "Namespace" || m_manifest.kind == "ClusterRoleBinding";
        text(*metadata, "name", "metadata.name",
             m_manifest.kind == "Namespace" ? util::is_dns_label : util::is_dns_subdomain,
             "a Kubernetes object name");
        if (!cluster_scoped) {
            text(*metadata, "namespace", "metadata.namespace", util::is_dns_label,
                 "a namespace name");
        }
        label_map(metadata->find("labels"), "metadata.labels", true);
        label_map(metadata->find("annotations"), "metadata.annotations", false);
        if (m_manifest.kind == "AuthorizationPolicy") {
            authorization_policy(doc);
        } else if (m_manifest.kind == "DestinationRule") {
            if (const Value* spec = doc.find("spec")) {
                text(*spec, "host", "spec.host", is_host, "a host name");
            }
        } else if (m_manifest.kind == "KafkaUser") {
            kafka_user(doc);
        }
    }

  private:
    void fail(std::string_view path, std::string_view value, std::string_view destination) {
        auto& d = m_sink.report(
            diag::Code::KM530, {},
            fmt::format("internal error: {} '{}' of {} '{}/{}' is not {}", path, value,
                        m_manifest.kind, m_manifest.ns, m_manifest.name, destination));
        diag::add_note(d, {}, "nothing was written; this is a bug in kafkamesh, please report it");
    }

    void text(const Value& map, const std::string& key, std::string_view path,
              bool (*valid)(std::string_view), std::string_view destination) {
        const Value* v = map.find(key);
        if (!v || v->kind() != Value::Kind::string || !valid(v->text())) {
            fail(path, v ? v->text() : "", destination);
        }
    }

    void label_map(const Value* map, std::string_view path, bool labels) {
        if (!map) {
            return;
        }
        for (const auto& [key, value] : map->entries()) {
            if (!parse::is_label_key(key)) {
                fail(path, key, labels ? "a label key" : "an annotation key");
            } else if (labels && !parse::is_label_value(value.text())) {
                fail(path, value.text(), "a label value");
            }
        }
    }

    void authorization_policy(const Value& doc) {
        const Value* spec = doc.find("spec");
        const Value* action = spec ? spec->find("action") : nullptr;
        if (!action || action->text() != "ALLOW") {
            return;  // allow-nothing and DENY policies only narrow access
        }
        const Value* rules = spec->find("rules");
        if (!rules) {
            return;  // an ALLOW without rules matches nothing: it admits nobody
        }
        if (rules->items().empty()) {
            fail("spec.rules", "", "a non-empty list of rules");
            return;
        }
        for (const Value& rule : rules->items()) {
            const Value* from = rule.find("from");
            std::vector<std::string> ports;
            if (const Value* to = rule.find("to")) {
                for (const Value& t : to->items()) {
                    const Value* op = t.find("operation");
                    const Value* list = op ? op->find("ports") : nullptr;
                    for (const Value& p : list ? list->items() : std::vector<Value>{}) {
                        ports.push_back(p.text());
                    }
                }
            }
            if (ports.empty()) {
                fail("spec.rules[].to", "", "a rule limited to ports");
            }
            if (!from || from->items().empty()) {
                fail("spec.rules[].from", "", "a rule that names its sources");
                continue;
            }
            for (const Value& f : from->items()) {
                const Value* source = f.find("source");
                if (source && source->entries().size() == 1 && source->find("notPrincipals")) {
                    peers_without_identity(*source->find("notPrincipals"), ports);
                    continue;
                }
                const Value* principals = source ? source->find("principals") : nullptr;
                if (!principals || principals->items().empty() || source->entries().size() != 1) {
                    fail("spec.rules[].from", "", "a source naming principals only");
                    continue;
                }
                for (const Value& p : principals->items()) {
                    if (!is_principal(p.text())) {
                        fail("spec.rules[].from.source.principals", p.text(),
                             "an exact mesh principal");
                    }
                }
            }
        }
    }

    /// `notPrincipals: ["*"]` admits the peers without a mesh identity: only Strimzi's operator
    /// outside the mesh, and only on its own ports.
    void peers_without_identity(const Value& not_principals,
                                const std::vector<std::string>& ports) {
        if (not_principals.items().size() != 1 || not_principals.items().front().text() != "*") {
            fail("spec.rules[].from.source.notPrincipals", "", "exactly [\"*\"]");
            return;
        }
        for (const std::string& port : ports) {
            if (std::find(open_ports().begin(), open_ports().end(), std::atoi(port.c_str())) ==
                open_ports().end()) {
                fail("spec.rules[].to.ports", port, "a port of an operator outside the mesh");
            }
        }
    }

    void kafka_user(const Value& doc) {
        const Value* spec = doc.find("spec");
        const Value* authorization = spec ? spec->find("authorization") : nullptr;
        const Value* acls = authorization ? authorization->find("acls") : nullptr;
        if (!acls) {
            return;
        }
        for (const Value& acl : acls->items()) {
            const Value* resource = acl.find("resource");
            const Value* name = resource ? resource->find("name") : nullptr;
            if (name && !is_acl_resource(name->text())) {
                fail("spec.authorization.acls[].resource.name", name->text(),
                     "a Kafka ACL resource name");
            }
        }
    }

    /// Strimzi's own ports, open to peers without a mesh identity when its operator is outside
    /// the mesh; only
    /// AuthorizationPolicies need them, so they are derived on first use.
    const std::vector<int>& open_ports() {
        if (!m_open_ports) {
            m_open_ports =
                m_topology.kafka ? mesh_names(m_topology).operator_ports : std::vector<int>{};
            // The same operator also manages KafkaConnect clusters through their REST API.
            if (!m_open_ports->empty()) {
                m_open_ports->push_back(model::k_connect_rest_port);
            }
        }
        return *m_open_ports;
    }

    const DocumentHead& m_manifest;
    const Value& m_document;
    const model::Topology& m_topology;
    std::optional<std::vector<int>> m_open_ports;
    diag::DiagnosticSink& m_sink;
};

}  // namespace

void check_emitted_document(const DocumentHead& head, const Value& document,
                            const model::Topology& topology, diag::DiagnosticSink& sink) {
    Checker(head, document, topology, sink).run();
}

}  // namespace km::emit
