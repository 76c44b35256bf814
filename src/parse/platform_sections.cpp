#include "parse/platform_sections.h"

#include <algorithm>

#include "parse/value_formats.h"

namespace km::parse {

using diag::Code;
using source::NodeId;
using source::NodeKind;

void parse_metadata(Reader& r, NodeId id, model::Topology& t) {
    model::Metadata m;
    m.location = r.where(id);
    r.fields(id, "/metadata", {"name"}, [&](std::string_view, NodeId v) {
        auto name = r.string(v);
        r.check_format(name, util::is_dns_label, k_dns_label);
        set(std::move(name), m.name);
    });
    t.metadata = std::move(m);
}

namespace {

void parse_filters(Reader& r, NodeId id, model::Mesh& mesh) {
    model::Filters f;
    f.location = r.where(id);
    r.fields(id, "/mesh/filters", {}, [&](std::string_view name, NodeId v) {
        if (name == "kafkaMetrics") {
            f.kafka_metrics_location = r.where(v);
            r.fields(v, "/mesh/filters/kafkaMetrics", {"proxyImage"},
                     [&](std::string_view, NodeId image) {
                         f.kafka_metrics_proxy_image = r.string(image);
                     });
        } else if (name == "identity") {
            f.identity_location = r.where(v);
            r.fields(v, "/mesh/filters/identity", {"image"},
                     [&](std::string_view, NodeId image) { f.identity_image = r.string(image); });
        } else if (auto b = r.boolean(v)) {
            f.access_logs = *b;
            f.access_logs_location = r.where(v);
        }
    });
    mesh.filters = std::move(f);
}

}  // namespace

void parse_mesh(Reader& r, NodeId id, model::Topology& t) {
    model::Mesh& m = t.mesh;
    t.has_mesh = true;
    m.location = r.where(id);
    r.fields(id, "/mesh", {}, [&](std::string_view name, NodeId v) {
        if (name == "trustDomain") {
            auto td = r.string(v);
            r.check_format(td, util::is_dns_subdomain, "a valid trust domain (a DNS name)");
            set(std::move(td), m.trust_domain);
        } else if (name == "clusterDomain") {
            auto domain = r.string(v);
            r.check_format(domain, util::is_dns_subdomain, "a DNS domain such as cluster.local");
            set(std::move(domain), m.cluster_domain);
        } else if (name == "mtls") {
            m.mtls_location = r.where(v);
            if (auto e = r.mtls_mode(v)) {
                m.mtls = *e;
            }
        } else if (name == "dataplane") {
            m.dataplane_location = r.where(v);
            if (auto e =
                    r.enumeration<model::Dataplane>(v, {{"sidecar", model::Dataplane::sidecar},
                                                        {"ambient", model::Dataplane::ambient}})) {
                m.dataplane = *e;
            }
        } else if (name == "istioVersion") {
            auto version = r.version_string(v);
            if (version && !is_istio_version(version->value) &&
                std::count(version->value.begin(), version->value.end(), '.') == 2 &&
                is_istio_version(version->value.substr(0, version->value.rfind('.')))) {
                // What `istioctl version` prints: a patch release, where a minor is expected.
                version->invalid = true;
                std::string minor = version->value.substr(0, version->value.rfind('.'));
                auto& d = r.sink().report(
                    Code::KM205, version->location,
                    fmt::format("'{}' is a patch release; istioVersion is the minor version",
                                version->value));
                diag::add_help(d, fmt::format("write the minor version, '{}'", minor));
            } else {
                r.check_format(version, is_istio_version,
                               "an Istio minor version such as \"1.29\"");
            }
            set(std::move(version), m.istio_version);
        } else if (name == "idleTimeout") {
            auto timeout = r.string(v);
            r.check_format(timeout, is_duration, "a duration such as 1h or 90m");
            set(std::move(timeout), m.idle_timeout);
        } else if (name == "defaultDeny") {
            m.default_deny_location = r.where(v);
            if (auto b = r.boolean(v)) {
                m.default_deny = *b;
            }
        } else if (name == "revision") {
            // An empty revision is the default revision: istio-injection: enabled.
            auto revision = r.string(v);
            if (revision && !revision->empty()) {
                r.check_format(revision, util::is_dns_label,
                               "a valid Istio revision (a DNS-1123 label such as 1-29 or stable)");
                m.revision = std::move(revision);
            }
        } else if (name == "rootNamespace") {
            auto text = r.string(v);
            r.check_format(text, util::is_dns_label, k_dns_label);
            set(std::move(text), m.root_namespace);
        } else if (name == "enforcement") {
            m.enforcement_location = r.where(v);
            if (auto e = r.enumeration<model::Enforcement>(
                    v, {{"enforce", model::Enforcement::enforce},
                        {"dry-run", model::Enforcement::dry_run}})) {
                m.enforcement = *e;
            }
        } else if (name == "nativeSidecars") {
            m.native_sidecars_location = r.where(v);
            if (auto b = r.boolean(v)) {
                m.native_sidecars = *b;
            }
        } else if (name == "filters") {
            parse_filters(r, v, m);
        } else if (name == "acknowledge") {
            parse_acknowledge(r, v, id, "/mesh", t);
        }
    });
}

namespace {

void parse_storage(Reader& r, NodeId v, model::Storage& storage) {
    r.fields(v, "/kafka/storage", {"size"}, [&](std::string_view field, NodeId sv) {
        auto text = r.string(sv);
        if (field == "size") {
            r.check_format(text, is_quantity, "a storage size such as 10Gi");
            set(std::move(text), storage.size);
        } else {
            r.check_format(text, util::is_dns_subdomain, "a valid storage class name");
            storage.storage_class = std::move(text);
        }
    });
}

model::BrokerPods parse_broker_pods(Reader& r, NodeId v) {
    model::BrokerPods pods;
    pods.location = r.key_location();
    r.fields(v, "/kafka/brokerPods", {}, [&](std::string_view field, NodeId pv) {
        if (field == "labels") {
            pods.labels = r.labels(pv);
        } else {
            auto text = r.string(pv);
            r.check_format(text, util::is_dns_subdomain, "a valid service account name");
            pods.service_account = std::move(text);
        }
    });
    return pods;
}

/// kafka.ownership: the principals and topics plan and apply own beyond the declared ones.
model::Ownership parse_ownership(Reader& r, NodeId v) {
    model::Ownership o;
    o.location = r.key_location();
    r.fields(v, "/kafka/ownership", {}, [&](std::string_view field, NodeId lv) {
        bool principals = field == "principals";
        for (model::Text& entry : r.strings(lv)) {
            std::optional<model::Text> text = std::move(entry);
            if (principals) {
                r.check_format(text, is_owned_principal_pattern,
                               "a principal User:<name>, or a prefix User:<prefix>*");
            } else {
                r.check_format(text, is_owned_topic_pattern,
                               "a topic name, or a prefix written name*");
            }
            (principals ? o.principals : o.topics).push_back(std::move(*text));
        }
    });
    return o;
}

model::StrimziOptions parse_strimzi(Reader& r, NodeId v) {
    model::StrimziOptions s;
    s.location = r.key_location();
    r.fields(v, "/kafka/strimzi", {}, [&](std::string_view field, NodeId sv) {
        if (field == "api") {
            if (auto e = r.enumeration<model::StrimziApi>(
                    sv, {{"v1", model::StrimziApi::v1}, {"v1beta2", model::StrimziApi::v1beta2}})) {
                s.api = *e;
            }
        } else if (field == "operatorNamespace") {
            auto text = r.string(sv);
            r.check_format(text, util::is_dns_label, k_dns_label);
            set(std::move(text), s.operator_namespace);
        } else if (auto b = r.boolean(sv)) {
            (field == "operatorInMesh" ? s.operator_in_mesh : s.access_operator) = *b;
        }
    });
    return s;
}

/// The account the reconciler administers the cluster with: kafka.bitnami.admin.
void parse_bitnami_admin(Reader& r, NodeId v, model::BitnamiOptions& b) {
    r.fields(v, "/kafka/bitnami/admin", {}, [&](std::string_view f, NodeId av) {
        if (f == "mechanism") {
            if (auto e = r.enumeration<bool>(av, {{"plain", false}, {"scram-sha-512", true}})) {
                b.admin_scram = *e;
            }
            return;
        }
        auto text = r.string(av);
        if (f == "key") {
            r.check_format(text, is_secret_key, "a Secret key");
        } else {
            r.check_format(text, util::is_dns_subdomain,
                           f == "user" ? "a Kafka user name" : "a Secret name");
        }
        (f == "user"     ? b.admin_user
         : f == "secret" ? b.admin_secret
                         : b.admin_key) = std::move(text);
    });
}

/// kafka.serviceAccountToken.
model::ServiceAccountToken parse_service_account_token(Reader& r, NodeId v) {
    model::ServiceAccountToken a;
    a.location = r.key_location();
    r.fields(v, "/kafka/serviceAccountToken", {}, [&](std::string_view field, NodeId tv) {
        if (field == "expirationSeconds") {
            if (auto n = r.integer(tv, 600, 86400)) {
                a.expiration_seconds = static_cast<int>(*n);
            }
            return;
        }
        auto text = r.string(tv);
        if (field == "audience") {
            r.check_format(text, is_token_audience,
                           "an audience of letters, digits and . _ : / - such as 'kafka'");
            set(std::move(text), a.audience);
        } else if (field == "issuer") {
            r.check_format(
                text, [](std::string_view s) { return is_property_url(s, false); },
                "the issuer URL of the cluster's service-account tokens");
            a.issuer = std::move(text);
        } else {
            r.check_format(
                text, [](std::string_view s) { return is_property_url(s, true); },
                "an https URL such as 'https://kubernetes.default.svc/openid/v1/jwks'");
            set(std::move(text), a.jwks_url);
        }
    });
    return a;
}

/// kafka.apply. The image is checked with the other images (KM534), the service reference with
/// the token checks (KM354).
model::ApplyJob parse_apply_job(Reader& r, NodeId v) {
    model::ApplyJob a;
    a.location = r.key_location();
    r.fields(v, "/kafka/apply", {}, [&](std::string_view field, NodeId av) {
        set(r.string(av), field == "image" ? a.image : a.service);
    });
    return a;
}

model::BitnamiOptions parse_bitnami(Reader& r, NodeId v) {
    model::BitnamiOptions b;
    b.location = r.key_location();
    r.fields(v, "/kafka/bitnami", {}, [&](std::string_view field, NodeId bv) {
        if (field == "chart") {
            if (auto n = r.integer(bv, 32, 32)) {
                b.chart = static_cast<int>(*n);
            }
        } else if (field == "release") {
            auto text = r.string(bv);
            r.check_format(text, util::is_dns_label, k_dns_label);
            set(std::move(text), b.release);
        } else if (field == "existingSecret") {
            auto text = r.string(bv);
            r.check_format(text, util::is_dns_subdomain, "a valid Secret name");
            b.existing_secret = std::move(text);
        } else if (field == "bootstrap") {
            auto text = r.string(bv);
            r.check_format(text, is_bootstrap,
                           "host:port of the client listener, e.g. 'kafka.kafka:9092'");
            b.bootstrap = std::move(text);
        } else if (field == "admin") {
            b.admin_location = r.key_location();
            parse_bitnami_admin(r, bv, b);
        } else {
            // Image references are checked with the other destinations (KM534), the
            // pattern where it is read (check_bitnami).
            (field == "image"           ? b.image
             : field == "operatorImage" ? b.operator_image
                                        : b.ignored_users) = r.string(bv);
        }
    });
    return b;
}

}  // namespace

void parse_kafka(Reader& r, NodeId id, model::Topology& t) {
    model::Kafka k;
    k.location = r.where(id);
    r.fields(id, "/kafka", {"name", "namespace"}, [&](std::string_view name, NodeId v) {
        if (name == "name" || name == "namespace") {
            auto text = r.string(v);
            r.check_format(text, util::is_dns_label, k_dns_label);
            set(std::move(text), name == "name" ? k.name : k.ns);
        } else if (name == "distribution") {
            k.distribution_location = r.where(v);
            if (auto e = r.enumeration<model::Distribution>(
                    v, {{"strimzi", model::Distribution::strimzi},
                        {"bitnami", model::Distribution::bitnami}})) {
                k.distribution = *e;
            }
        } else if (name == "managed") {
            k.managed_location = r.where(v);
            if (auto b = r.boolean(v)) {
                k.managed = *b;
            }
        } else if (name == "version") {
            k.version_location = r.where(v);
            auto version = r.version_string(v);
            if (auto* d = r.check_format(version, is_kafka_version,
                                         "a Kafka version such as \"4.3.1\"")) {
                diag::add_help(*d,
                               "write the full release, major.minor.patch, for example "
                               "'4.3.1'");
            }
            set(std::move(version), k.version);
        } else if (name == "nodes") {
            k.nodes_location = r.where(v);
            if (auto n = r.integer(v, 1, 1000)) {
                k.nodes = static_cast<int>(*n);
            }
        } else if (name == "storage") {
            k.storage_location = r.key_location();
            parse_storage(r, v, k.storage);
        } else if (name == "authentication") {
            k.authentication_location = r.where(v);
            if (auto e = r.enumeration<model::Authentication>(
                    v, {{"scram-sha-512", model::Authentication::scram_sha_512},
                        {"tls", model::Authentication::tls},
                        {"mesh", model::Authentication::mesh},
                        {"service-account-token", model::Authentication::service_account_token}})) {
                k.authentication = *e;
            }
        } else if (name == "listenerPort") {
            k.listener_port_location = r.where(v);
            if (auto n = r.integer(v, 1, 65535)) {
                k.listener_port = static_cast<int>(*n);
            }
        } else if (name == "listenerName") {
            // Strimzi's listener name pattern (Kafka CRD, spec.kafka.listeners[].name).
            auto text = r.string(v);
            r.check_format(text, is_listener_name,
                           "a valid listener name (at most 11 lowercase letters and digits)");
            k.listener_name = std::move(text);
        } else if (name == "superUsers") {
            k.super_users_location = r.key_location();
            k.super_users = r.strings(v);
        } else if (name == "config") {
            k.config_location = r.key_location();
            k.config = r.config(v);
        } else if (name == "brokerPods") {
            k.broker_pods = parse_broker_pods(r, v);
        } else if (name == "acknowledge") {
            parse_acknowledge(r, v, id, "/kafka", t);
        } else if (name == "strimzi") {
            k.strimzi = parse_strimzi(r, v);
        } else if (name == "bitnami") {
            k.bitnami = parse_bitnami(r, v);
        } else if (name == "apply") {
            k.apply_job = parse_apply_job(r, v);
        } else if (name == "serviceAccountToken") {
            k.service_account_token = parse_service_account_token(r, v);
        } else if (name == "ownership") {
            k.ownership = parse_ownership(r, v);
        }
    });
    t.kafka = std::move(k);
}

}  // namespace km::parse
