// Duplicate declarations, undeclared namespaces and labels kafkamesh reserves.
#include <fmt/format.h>

#include <algorithm>
#include <map>

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

}  // namespace

void check_names(const model::Topology& t, diag::DiagnosticSink& sink) {
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
