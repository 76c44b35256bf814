#include "diff/settings_diff.h"

#include <fmt/format.h>

#include <map>
#include <set>

namespace km::diff {
namespace {

std::string yes_text(bool v) {
    return v ? "true" : "false";
}

class SettingsDiffer {
  public:
    SettingsDiffer(const DiffSide& base, const DiffSide& head, DiffReport& report)
        : m_base(base), m_head(head), m_report(report) {}

    void mesh_settings(const model::Mesh& b, const model::Mesh& h) {
        std::vector<Change>& out = m_report.settings;
        auto mtls = [](const model::Mesh& m) {
            return std::string(m.mtls == model::MtlsMode::strict ? "STRICT" : "PERMISSIVE");
        };
        compare(out, "mesh.trustDomain", b.trust_domain.value, h.trust_domain.value);
        compare(out, "mesh.clusterDomain", b.cluster_domain.value, h.cluster_domain.value);
        compare(out, "mesh.mtls", mtls(b), mtls(h));
        compare(out, "mesh.dataplane",
                b.dataplane == model::Dataplane::sidecar ? "sidecar" : "ambient",
                h.dataplane == model::Dataplane::sidecar ? "sidecar" : "ambient");
        compare(out, "mesh.defaultDeny", yes_text(b.default_deny), yes_text(h.default_deny));
        auto enforcement = [](const model::Mesh& m) {
            return std::string(m.enforcement == model::Enforcement::dry_run ? "dry-run"
                                                                            : "enforce");
        };
        auto revision = [](const model::Mesh& m) {
            return m.revision ? m.revision->value : std::string();
        };
        compare(out, "mesh.enforcement", enforcement(b), enforcement(h));
        compare(out, "mesh.revision", revision(b), revision(h));
        compare(out, "mesh.rootNamespace", b.root_namespace.value, h.root_namespace.value);
        if (b.enforcement == model::Enforcement::dry_run &&
            h.enforcement == model::Enforcement::enforce) {
            flag(
                diag::Code::KM610,
                place(m_head, h.enforcement_location.known() ? h.enforcement_location : h.location),
                "mesh.enforcement",
                "the AuthorizationPolicies go from dry run to enforcement: what the dry run "
                "logged as denied is denied from now on");
        }
        if (b.mtls == model::MtlsMode::strict && h.mtls != model::MtlsMode::strict) {
            flag(diag::Code::KM608, place(m_head, h.location), "mesh.mtls",
                 "mesh mTLS goes from STRICT to PERMISSIVE: plaintext clients are accepted");
        }
        if (b.default_deny && !h.default_deny) {
            flag(diag::Code::KM609, place(m_head, h.location), "mesh.defaultDeny",
                 "the allow-nothing policy of the Kafka namespace is removed");
        }
    }

    void namespace_settings() {
        const model::Topology& b = m_base.topology;
        const model::Topology& h = m_head.topology;
        std::vector<Change>& out = m_report.settings;
        std::map<std::string, std::pair<const model::Namespace*, const model::Namespace*>> nss;
        for (const model::Namespace& n : b.namespaces) {
            nss[n.name.value].first = &n;
        }
        for (const model::Namespace& n : h.namespaces) {
            nss[n.name.value].second = &n;
        }
        for (const auto& [name, pair] : nss) {
            compare(out, "namespace '" + name + "'", pair.first ? "declared" : "",
                    pair.second ? "declared" : "");
            if (pair.first && !pair.second) {
                // The Namespace document leaves the output; a pruning apply deletes it, and
                // Kubernetes deletes everything in a Namespace with it.
                flag(diag::Code::KM615, place(m_base, pair.first->name.location), name,
                     fmt::format("namespace '{}' is no longer declared: its Namespace leaves the "
                                 "output, and deleting a Namespace deletes every workload in it",
                                 name));
            }
            if (pair.first && pair.second) {
                compare(out, "namespace '" + name + "' defaultDeny",
                        yes_text(pair.first->default_deny), yes_text(pair.second->default_deny));
                auto ns_mtls = [](const model::Namespace& n) {
                    return !n.mtls                              ? std::string()
                           : *n.mtls == model::MtlsMode::strict ? std::string("STRICT")
                                                                : std::string("PERMISSIVE");
                };
                compare(out, "namespace '" + name + "' managed", yes_text(pair.first->managed),
                        yes_text(pair.second->managed));
                compare(out, "namespace '" + name + "' mtls", ns_mtls(*pair.first),
                        ns_mtls(*pair.second));
                if (pair.first->default_deny && !pair.second->default_deny) {
                    flag(
                        diag::Code::KM609, place(m_head, pair.second->location), name,
                        fmt::format("the allow-nothing policy of namespace '{}' is removed", name));
                }
            }
        }
    }

    void kafka_settings(const model::Kafka& kb, const model::Kafka& kh) {
        std::vector<Change>& out = m_report.settings;
        auto auth = [](model::Authentication a) {
            return std::string(a == model::Authentication::tls    ? "tls"
                               : a == model::Authentication::mesh ? "mesh"
                                                                  : "scram-sha-512");
        };
        compare(out, "kafka.name", kb.name.value, kh.name.value);
        compare(out, "kafka.namespace", kb.ns.value, kh.ns.value);
        compare(out, "kafka.distribution",
                kb.distribution == model::Distribution::strimzi ? "strimzi" : "bitnami",
                kh.distribution == model::Distribution::strimzi ? "strimzi" : "bitnami");
        compare(out, "kafka.managed", yes_text(kb.managed), yes_text(kh.managed));
        if (kb.managed != kh.managed) {
            flag(diag::Code::KM611,
                 place(m_head, kh.managed_location.known() ? kh.managed_location : kh.location),
                 "kafka.managed",
                 kb.managed ? "the cluster's own resources (Kafka and node pool, or the chart's "
                              "values) leave the output; kafkamesh does not delete them, but an "
                              "apply that prunes what is no longer emitted would delete the "
                              "running cluster"
                            : "kafkamesh takes over the running cluster's own resources: applying "
                              "them replaces its listeners, nodes and configuration with the "
                              "topology's");
        }
        compare(out, "kafka.version", kb.version.value, kh.version.value);
        compare(out, "kafka.nodes", std::to_string(kb.nodes), std::to_string(kh.nodes));
        compare(out, "kafka.authentication", auth(kb.authentication), auth(kh.authentication));
        compare(out, "kafka.listenerPort", std::to_string(kb.listener_port),
                std::to_string(kh.listener_port));
        bool in_mesh_before = kb.strimzi && kb.strimzi->operator_in_mesh;
        bool in_mesh_after = kh.strimzi && kh.strimzi->operator_in_mesh;
        compare(out, "kafka.strimzi.operatorInMesh", yes_text(in_mesh_before),
                yes_text(in_mesh_after));
        if (in_mesh_before && !in_mesh_after) {
            flag(diag::Code::KM608, place(m_head, kh.location), "kafka.strimzi.operatorInMesh",
                 "the broker's internal ports go from STRICT mTLS to PERMISSIVE");
        }
    }

    void super_user_settings(const model::Kafka& kb, const model::Kafka& kh) {
        std::set<std::string> sb;
        std::set<std::string> sh;
        for (const model::Text& s : kb.super_users) {
            sb.insert(s.value);
        }
        for (const model::Text& s : kh.super_users) {
            sh.insert(s.value);
        }
        auto joined = [](const std::set<std::string>& s) {
            return fmt::format("{}", fmt::join(s, ", "));
        };
        compare(m_report.settings, "kafka.superUsers", joined(sb), joined(sh));
        if (sb != sh) {
            std::vector<std::string> parts;
            for (const std::string& s : sh) {
                if (!sb.count(s)) {
                    parts.push_back("'" + s + "' added");
                }
            }
            for (const std::string& s : sb) {
                if (!sh.count(s)) {
                    parts.push_back("'" + s + "' removed");
                }
            }
            diag::Location where = kh.location;
            for (const model::Text& s : kh.super_users) {
                if (!sb.count(s.value)) {
                    where = s.location;
                    break;
                }
            }
            flag(diag::Code::KM605, place(m_head, where), "kafka.superUsers",
                 fmt::format("super users change ({}): they bypass every ACL",
                             fmt::join(parts, ", ")));
        }
    }

  private:
    static Place place(const DiffSide& side, diag::Location where) {
        return place_of(side.sources, where);
    }

    void flag(diag::Code code, Place where, std::string subject, std::string message) {
        m_report.flags.push_back({code, std::move(where), std::move(subject), std::move(message)});
    }

    const DiffSide& m_base;
    const DiffSide& m_head;
    DiffReport& m_report;
};

}  // namespace

void diff_settings(const DiffSide& base, const DiffSide& head, DiffReport& report) {
    SettingsDiffer differ(base, head, report);
    differ.mesh_settings(base.topology.mesh, head.topology.mesh);
    differ.namespace_settings();
    if (base.topology.kafka && head.topology.kafka) {
        differ.kafka_settings(*base.topology.kafka, *head.topology.kafka);
        differ.super_user_settings(*base.topology.kafka, *head.topology.kafka);
    }
}

}  // namespace km::diff
