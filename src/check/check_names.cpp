// Duplicate declarations, undeclared namespaces and labels kafkamesh reserves.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "check/checks.h"
#include "check/name_index.h"

namespace km::check {
namespace {

/// Reports every name after its first declaration, pointing back at the first.
template <class T, class KeyFn>
void report_duplicates(const std::vector<T>& items, KeyFn key, std::string_view what,
                       diag::DiagnosticSink& sink) {
    std::map<std::string, const T*> first;
    for (const T& item : items) {
        std::string k = key(item);
        if (k.empty()) {
            continue;
        }
        auto [it, inserted] = first.emplace(k, &item);
        if (!inserted) {
            auto& d = sink.report(diag::Code::KM302, item.name.location,
                                  fmt::format("{} '{}' is declared twice", what, k));
            diag::add_note(d, it->second->name.location, "first declared here");
        }
    }
}

/// Kafka's metric names replace '.' with '_', so the controller refuses a topic whose name
/// equals an existing one up to that (apache/kafka ReplicationControlManager, "collides with
/// existing topic"; Topic.hasCollision).
void report_colliding_topics(const std::vector<model::Topic>& topics, diag::DiagnosticSink& sink) {
    std::map<std::string, const model::Topic*> first;
    for (const model::Topic& topic : topics) {
        std::string key = topic.name.value;
        std::replace(key.begin(), key.end(), '.', '_');
        auto [it, inserted] = first.emplace(key, &topic);
        if (inserted || it->second->name.value == topic.name.value) {
            continue;  // the same name twice is KM302
        }
        auto& d = sink.report(diag::Code::KM341, topic.name.location,
                              fmt::format("topic '{}' collides with topic '{}' in Kafka",
                                          topic.name.value, it->second->name.value));
        diag::add_note(d, it->second->name.location, "the other topic is declared here");
        diag::add_help(d,
                       "Kafka treats '.' and '_' alike in topic names and refuses the second "
                       "one; rename one of them");
    }
}

/// The namespaces Kubernetes owns (kubernetes/kubernetes pkg/apis/core/types.go:
/// NamespaceSystem, NamespacePublic, NamespaceNodeLease). kafkamesh would label them for
/// injection and write allow-nothing policies into them: refused as client or Kafka namespaces,
/// each once, where it is first written (KM334).
void check_system_namespaces(const model::Topology& t, diag::DiagnosticSink& sink) {
    static const std::vector<std::string_view> system = {"kube-system", "kube-public",
                                                         "kube-node-lease"};
    std::set<std::string> reported;
    auto report = [&](const model::Text& name, std::string_view role) {
        if (std::find(system.begin(), system.end(), name.value) == system.end() ||
            !name.location.known() || !reported.insert(name.value).second) {
            return;
        }
        auto& d = sink.report(
            diag::Code::KM334, name.location,
            fmt::format("'{}' cannot be {}: it belongs to Kubernetes", name.value, role));
        diag::add_help(d, "run the workloads in a namespace of their own");
    };
    for (const model::Namespace& ns : t.namespaces) {
        if (!ns.implicit) {
            report(ns.name, "a namespace of this topology");
        }
    }
    if (t.kafka) {
        report(t.kafka->ns, "the Kafka namespace");
    }
    for (const model::Service& s : t.services) {
        report(s.ns, "a client namespace");
    }
}

/// `import` writes the Kafka users whose mesh identity it cannot tell in the namespace
/// 'replace-me' (KM713): left as it is, the topology admits ns/replace-me/sa/<sa>, an identity
/// no pod has, and the user's real clients stay out (KM335, once, at the namespace).
void check_placeholder_namespace(const model::Topology& t, diag::DiagnosticSink& sink) {
    const model::Text* where = nullptr;
    for (const model::Namespace& ns : t.namespaces) {
        if (!ns.implicit && ns.name.value == "replace-me") {
            where = &ns.name;
            break;
        }
    }
    for (const model::Service& s : t.services) {
        if (!where && s.ns.value == "replace-me") {
            where = &s.ns;
        }
    }
    if (!where) {
        return;
    }
    auto& d = sink.report(diag::Code::KM335, where->location,
                          "namespace 'replace-me' is the placeholder of kafkamesh import: its "
                          "services are admitted to the brokers as an identity no pod has");
    diag::add_help(d,
                   "set each such service's namespace and serviceAccount to where its "
                   "clients run");
}

}  // namespace

void check_names(const model::Topology& t, diag::DiagnosticSink& sink) {
    check_system_namespaces(t, sink);
    check_placeholder_namespace(t, sink);
    std::vector<model::Namespace> explicit_namespaces;
    std::copy_if(t.namespaces.begin(), t.namespaces.end(), std::back_inserter(explicit_namespaces),
                 [](const model::Namespace& ns) { return !ns.implicit; });
    report_duplicates(
        explicit_namespaces, [](const model::Namespace& n) { return n.name.value; }, "namespace",
        sink);
    report_duplicates(
        t.services,
        [](const model::Service& s) {
            return s.name.empty() ? "" : s.ns.value + "/" + s.name.value;
        },
        "service", sink);
    std::vector<model::Topic> declared_topics;
    std::copy_if(t.topics.begin(), t.topics.end(), std::back_inserter(declared_topics),
                 [](const model::Topic& topic) { return !topic.implicit; });
    report_duplicates(
        declared_topics, [](const model::Topic& topic) { return topic.name.value; }, "topic", sink);
    report_duplicates(
        t.roles, [](const model::Role& r) { return r.name.value; }, "role", sink);
    report_colliding_topics(t.topics, sink);
    for (const model::Service& s : t.services) {
        if (s.connect) {
            report_duplicates(
                s.connect->connectors, [](const model::Connector& c) { return c.name.value; },
                "connector", sink);
        }
    }

    NameIndex namespaces;
    for (const model::Namespace& ns : t.namespaces) {
        namespaces.add(ns.name.value, ns.name.location);
    }
    namespaces.seal();
    for (const model::Service& s : t.services) {
        if (s.ns.empty() || namespaces.find(s.ns.value)) {
            continue;
        }
        auto& d =
            sink.report(diag::Code::KM303, s.ns.location,
                        fmt::format("service '{}' lives in namespace '{}', which is not declared",
                                    s.name.value, s.ns.value));
        if (auto match = namespaces.closest(s.ns.value)) {
            diag::add_help(d, fmt::format("did you mean '{}'?", *match), *namespaces.find(*match));
        } else {
            diag::add_help(d, fmt::format("add '- name: {}' to 'namespaces'", s.ns.value));
        }
    }

    // What a managed Namespace document carries: the ownership labels, and exactly one injection
    // label, chosen by mesh.dataplane and mesh.revision. The other two injection labels would
    // contradict it (istio-injection wins over istio.io/rev), so they are refused as well.
    std::string injection = t.mesh.dataplane == model::Dataplane::ambient
                                ? "istio.io/dataplane-mode"
                            : t.mesh.revision ? "istio.io/rev"
                                              : "istio-injection";
    static const std::vector<std::string_view> ownership = {"app.kubernetes.io/managed-by",
                                                            "kafkamesh.io/topology"};
    static const std::vector<std::string_view> injection_labels = {
        "istio-injection", "istio.io/dataplane-mode", "istio.io/rev"};
    for (const model::Namespace& ns : t.namespaces) {
        if (!ns.managed) {
            if (!ns.labels.empty()) {
                auto& d = sink.report(
                    diag::Code::KM333, ns.labels.front().key.location,
                    fmt::format("namespace '{}' is not managed: its labels are not applied",
                                ns.name.value));
                diag::add_note(d, {},
                               "no Namespace document is emitted for a namespace with "
                               "managed: false");
                diag::add_help(d, "label the namespace where it is owned, or remove 'labels'");
            }
            continue;
        }
        for (const model::Label& label : ns.labels) {
            const std::string& key = label.key.value;
            if (std::find(ownership.begin(), ownership.end(), key) != ownership.end()) {
                auto& d = sink.report(
                    diag::Code::KM322, label.key.location,
                    fmt::format("label '{}' is set by kafkamesh and cannot be overridden", key));
                diag::add_help(d, "remove it: kafkamesh marks the namespaces it emits with it");
            } else if (std::find(injection_labels.begin(), injection_labels.end(), key) !=
                       injection_labels.end()) {
                auto& d = sink.report(
                    diag::Code::KM322, label.key.location,
                    key == injection
                        ? fmt::format("label '{}' is set by kafkamesh and cannot be overridden",
                                      key)
                        : fmt::format("label '{}' contradicts the injection label kafkamesh sets "
                                      "('{}')",
                                      key, injection));
                diag::add_help(d,
                               "mesh.dataplane and mesh.revision choose the injection label; "
                               "remove this one");
            }
        }
    }
}

}  // namespace km::check
