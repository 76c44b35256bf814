#include "live/import_topology.h"

#include "emit/manifest_writer.h"
#include "live/import_steps.h"

namespace km::live {
namespace {

using emit::Value;

/// The namespaces given, their services and the services' roles, as one document's lists.
Value team_document(const std::vector<std::string>& namespaces, const WrittenServices& written) {
    Value doc = Value::mapping();
    Value ns_list = Value::sequence();
    Value svc_list = Value::sequence();
    Value role_list = Value::sequence();
    for (const std::string& ns : namespaces) {
        Value n = Value::mapping();
        n.set("name", Value::string(ns));
        // The namespaces exist: the topology references them and emits nothing in them.
        n.set("managed", Value::boolean(false));
        if (ns == k_placeholder_ns) {
            n.comment("KM713: placeholder for Kafka users whose mesh identity is unknown");
        }
        ns_list.push(std::move(n));
        for (const ServiceOut* s : written.by_ns.at(ns)) {
            svc_list.push(s->value);
            if (s->role) {
                role_list.push(*s->role);
            }
        }
    }
    doc.set("namespaces", std::move(ns_list));
    if (!svc_list.empty()) {
        doc.set("services", std::move(svc_list));
    }
    if (!role_list.empty()) {
        doc.set("roles", std::move(role_list));
    }
    return doc;
}

/// One document for stdout, and for a directory the platform and a file per namespace.
ImportResult write_documents(const Value& platform, const WrittenServices& written) {
    std::vector<std::string> namespaces;
    for (const auto& [ns, list] : written.by_ns) {
        namespaces.push_back(ns);
    }
    ImportResult result;
    Value all = platform;
    Value teams = team_document(namespaces, written);
    for (const auto& [key, value] : teams.entries()) {
        if (!value.empty()) {
            all.set(key, value);
        }
    }
    result.single = emit::write_yaml(all);
    result.document = std::move(all);
    result.files.emplace_back("platform.yaml", emit::write_yaml(platform));
    for (const std::string& ns : namespaces) {
        Value doc = Value::mapping();
        doc.set("apiVersion", Value::string("kafkamesh.io/v1alpha1"));
        doc.set("kind", Value::string("Topology"));
        Value team = team_document({ns}, written);
        for (const auto& [key, value] : team.entries()) {
            doc.set(key, value);
        }
        result.files.emplace_back(ns + ".yaml", emit::write_yaml(doc));
    }
    return result;
}

}  // namespace

std::optional<ImportResult> import_topology(const LiveState& state, diag::DiagnosticSink& sink) {
    std::vector<std::string> platform_comments;
    Listener listener = read_listener(state);
    report_policies(state, listener, sink, platform_comments);
    Identities ids = map_identities(state, listener);
    std::vector<ServiceOut> services = name_services(state, listener, ids, sink, platform_comments);
    WrittenServices written = express_services(state, listener, ids, services, sink);
    report_unexplained(state, ids, sink, platform_comments);
    Value platform = express_platform(state, listener, ids, services, written.literal_topics,
                                      std::move(platform_comments));
    return write_documents(platform, written);
}

}  // namespace km::live
