// The mesh section against the pitfalls of running Kafka under Istio (istio-and-kafka.md §2 and
// §8): what would make an emitted policy match nothing, leak plaintext or never take effect.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <string_view>

#include "check/checks.h"
#include "model/derived.h"
#include "parse/value_formats.h"

namespace km::check {
namespace {

using diag::Location;
using model::Dataplane;

// Kafka's CONNECTIONS_MAX_IDLE_MS_DEFAULT: ten minutes.
constexpr std::int64_t k_kafka_idle_ms_default = 600000;

Location first_known(Location a, Location b) {
    return a.known() ? a : b;
}

/// The repository part of an image reference: no registry path, tag or digest.
std::string_view image_repository_name(std::string_view image) {
    image = image.substr(0, image.find('@'));
    std::size_t slash = image.rfind('/');
    std::string_view last = slash == std::string_view::npos ? image : image.substr(slash + 1);
    return last.substr(0, last.find(':'));
}

/// mesh.rootNamespace: a policy without a selector there applies to every workload of the mesh
/// (istio/api security/v1beta1/authorization_policy.proto and peer_authentication.proto,
/// networking/v1alpha3/sidecar.proto; the default istio-system is pkg/config/mesh/mesh.go
/// DefaultMeshConfig). kafkamesh's namespace-wide documents must never land there.
void check_root_namespace(const model::Topology& t, diag::DiagnosticSink& sink) {
    const model::Text& root = t.mesh.root_namespace;
    Location at = first_known(root.location, t.mesh.location);
    for (const model::Namespace& ns : t.namespaces) {
        if (ns.name.value != root.value) {
            continue;
        }
        bool kafka_ns = t.kafka && ns.name.value == t.kafka->ns.value;
        auto& d = sink.report(
            diag::Code::KM331,
            first_known(root.location,
                        first_known(kafka_ns ? t.kafka->ns.location : ns.name.location, at)),
            fmt::format("the mesh's root namespace '{}' is {}", root.value,
                        kafka_ns ? "the Kafka namespace" : "a namespace of this topology"));
        diag::add_note(d, {},
                       "a policy without a selector in the root namespace applies to the whole "
                       "mesh: the allow-nothing and PeerAuthentication 'default' would too");
        if (!ns.implicit) {
            diag::add_note(d, ns.location, "the namespace is declared here");
        }
        diag::add_help(d,
                       "set mesh.rootNamespace to the mesh's MeshConfig rootNamespace, or "
                       "move the workloads out of it");
        return;
    }
    static const std::vector<std::string_view> system = {"kube-system", "kube-public",
                                                         "kube-node-lease"};
    if (std::find(system.begin(), system.end(), root.value) != system.end()) {
        auto& d = sink.report(
            diag::Code::KM332, at,
            fmt::format("'{}' cannot be the mesh's root namespace: it belongs to Kubernetes",
                        root.value));
        diag::add_help(d,
                       "the root namespace is Istio's own (MeshConfig rootNamespace, by "
                       "default istio-system)");
    }
}

/// A dry run under ambient. ztunnel enforces the brokers' L4 policy, and what it does with a
/// dry-run AuthorizationPolicy depends on the Istio release (istio/istio):
/// - up to 1.25.1 istiod converts every policy for ztunnel, the annotation ignored
///   (pilot/pkg/serviceregistry/kube/controller/ambient/policies.go at 1.24.6, PolicyCollections),
///   so the "dry run" is enforced: an error (KM417). The skip arrived with commit 32390878
///   ("ambient: do not process dry-run rules"), first tagged 1.25.2; mesh.istioVersion names a
///   minor only, so all of 1.25 counts as unfixed;
/// - from 1.25.2 istiod drops such a policy for ztunnel: neither enforced nor logged (KM410);
/// - from 1.29 istiod sends it to ztunnel as dry run when started with
///   AMBIENT_ENABLE_DRY_RUN_AUTHORIZATION_POLICY=true (off by default; pilot/pkg/features/
///   ambient.go at 1.29.0, and convertAuthorizationPolicy in .../ambient/authorization.go),
///   and a ztunnel of 1.29 or later logs it instead of enforcing it.
void check_enforcement(const model::Topology& t, diag::DiagnosticSink& sink) {
    if (t.mesh.enforcement != model::Enforcement::dry_run ||
        t.mesh.dataplane != Dataplane::ambient || t.mesh.istio_version.invalid) {
        return;
    }
    Location where = first_known(t.mesh.enforcement_location, t.mesh.location);
    int minor = model::istio_minor(t.mesh);
    if (minor < model::k_istio_ambient_dry_run_skipped) {
        auto& d =
            sink.report(diag::Code::KM417, where,
                        fmt::format("a dry run under ambient on Istio {} is enforced, not watched",
                                    t.mesh.istio_version.value));
        diag::add_note(d, {},
                       "istiod before 1.25.2 hands every AuthorizationPolicy to ztunnel with the "
                       "istio.io/dry-run annotation ignored: the policies would deny from the "
                       "first apply");
        if (t.mesh.istio_version.location.known()) {
            diag::add_note(d, t.mesh.istio_version.location, "the Istio version is set here");
        }
        diag::add_help(d,
                       "upgrade Istio to 1.26 or later (set mesh.istioVersion), watch the dry run "
                       "with the sidecar dataplane, or set 'enforcement: enforce' knowingly");
        return;
    }
    auto& d = sink.report(diag::Code::KM410, where,
                          "a dry run under the ambient dataplane shows nothing by default");
    if (minor < model::k_istio_ambient_dry_run_logged) {
        diag::add_note(d, {},
                       "istiod does not send ztunnel dry-run AuthorizationPolicies: they are "
                       "neither enforced nor logged, and the brokers stay open to every mesh "
                       "workload");
        diag::add_help(d, "watch the dry run with the sidecar dataplane, or enforce");
        return;
    }
    diag::add_note(d, {},
                   "istiod sends ztunnel dry-run AuthorizationPolicies only when it runs with "
                   "AMBIENT_ENABLE_DRY_RUN_AUTHORIZATION_POLICY=true; otherwise they are neither "
                   "enforced nor logged");
    diag::add_help(
        d,
        "set AMBIENT_ENABLE_DRY_RUN_AUTHORIZATION_POLICY=true on istiod with every "
        "ztunnel at 1.29 or later (an older ztunnel enforces them), or watch the dry run "
        "with the sidecar dataplane");
}

void check_mtls(const model::Topology& t, diag::DiagnosticSink& sink) {
    if (t.mesh.mtls != model::MtlsMode::permissive) {
        return;
    }
    auto& d = sink.report(diag::Code::KM401, first_known(t.mesh.mtls_location, t.mesh.location),
                          "mTLS mode 'permissive' lets plaintext clients reach the Kafka ports");
    diag::add_note(d, {},
                   "a plaintext peer has no principal: it is denied where an ALLOW policy selects "
                   "the brokers, and admitted unauthenticated where none does");
    diag::add_help(d, "use 'mtls: strict' once every client runs in the mesh");
}

/// The idle timeout of `connections.max.idle.ms` as written in kafka.config, else the default.
std::int64_t kafka_idle_ms(const model::Kafka& k, Location& at) {
    for (const model::ConfigEntry& e : k.config) {
        if (e.key.value != "connections.max.idle.ms") {
            continue;
        }
        std::int64_t ms = 0;
        const std::string& text = e.value.text;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
        if (ec == std::errc() && end == text.data() + text.size()) {
            at = e.value.location;
            return ms;
        }
    }
    return k_kafka_idle_ms_default;
}

/// What istiod's webhook says about a non-zero DestinationRule idleTimeout, or "" when it
/// accepts it: it decodes the value as a Go duration (at most 2^63-1 ns) and requires whole
/// milliseconds of at least 1 ms (istio/istio pkg/config/validation/validation.go, tcp
/// idleTimeout -> agent.ValidateDuration in pkg/config/validation/agent/validation.go).
std::string idle_timeout_rejection(std::string_view text) {
    __extension__ using u128 = unsigned __int128;
    constexpr u128 k_max_ns = (u128{1} << 63) - 1;
    u128 total = 0;
    std::size_t i = 0;
    if (text == "0") {
        return "";
    }
    while (i < text.size()) {
        u128 whole = 0;
        u128 frac = 0;
        u128 frac_scale = 1;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
            whole = std::min<u128>(whole * 10 + static_cast<unsigned>(text[i] - '0'), k_max_ns + 1);
            ++i;
        }
        if (i < text.size() && text[i] == '.') {
            ++i;
            for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
                if (frac_scale < u128{1000000000000000000ULL}) {  // Go drops digits past this too
                    frac = frac * 10 + static_cast<unsigned>(text[i] - '0');
                    frac_scale *= 10;
                }
            }
        }
        std::size_t unit_start = i;
        while (i < text.size() && !(text[i] >= '0' && text[i] <= '9') && text[i] != '.') {
            ++i;
        }
        std::string_view unit = text.substr(unit_start, i - unit_start);
        u128 scale = unit == "ns"   ? 1
                     : unit == "us" ? 1000
                     : unit == "ms" ? 1000000
                     : unit == "s"  ? 1000000000ULL
                     : unit == "m"  ? 60000000000ULL
                                    : 3600000000000ULL;
        total += std::min<u128>(whole * scale, k_max_ns + 1) + frac * scale / frac_scale;
        if (total > k_max_ns) {
            return "it is longer than a Go duration can hold (about 2562047h)";
        }
    }
    if (total == 0) {
        return "";
    }
    if (total < 1000000) {
        return "istiod requires at least 1ms (or 0s)";
    }
    if (total % 1000000 != 0) {
        return "istiod accepts durations to millisecond precision only";
    }
    return "";
}

void check_idle_timeout(const model::Topology& t, diag::DiagnosticSink& sink) {
    if (parse::is_duration(t.mesh.idle_timeout.value)) {
        std::string why = idle_timeout_rejection(t.mesh.idle_timeout.value);
        if (!why.empty()) {
            auto& d = sink.report(diag::Code::KM415,
                                  first_known(t.mesh.idle_timeout.location, t.mesh.location),
                                  fmt::format("idle timeout '{}' would be rejected: {}",
                                              t.mesh.idle_timeout.value, why));
            diag::add_help(d, "write whole milliseconds between 1ms and 2562047h, such as 1h");
            return;
        }
    }
    std::optional<double> seconds = parse::duration_seconds(t.mesh.idle_timeout.value);
    if (!seconds || !t.kafka) {
        return;
    }
    Location where = first_known(t.mesh.idle_timeout.location, t.mesh.location);
    if (*seconds == 0) {
        auto& d = sink.report(diag::Code::KM402, where,
                              "idle timeout '0s' disables the proxies' TCP idle timeout");
        diag::add_note(d, {}, "Envoy warns that this is likely to leak half-open connections");
        diag::add_help(d, "set an idle timeout above Kafka's connections.max.idle.ms");
        return;
    }
    Location kafka_at;
    std::int64_t kafka_ms = kafka_idle_ms(*t.kafka, kafka_at);
    if (*seconds * 1000 > static_cast<double>(kafka_ms)) {
        return;
    }
    auto& d = sink.report(
        diag::Code::KM402, where,
        fmt::format("idle timeout '{}' is not above Kafka's connections.max.idle.ms ({} ms)",
                    t.mesh.idle_timeout.value, kafka_ms));
    if (kafka_at.known()) {
        diag::add_note(d, kafka_at, "connections.max.idle.ms is set here");
    } else {
        diag::add_note(d, {}, "Kafka's default connections.max.idle.ms is 600000 (10 minutes)");
    }
    diag::add_help(d,
                   "the proxy would cut idle connections before Kafka closes them, leaving clients "
                   "with half-open connections; raise mesh.idleTimeout");
}

void check_filters(const model::Topology& t, diag::DiagnosticSink& sink) {
    if (!t.mesh.filters || !t.kafka) {
        return;
    }
    const model::Filters& f = *t.mesh.filters;
    const model::Kafka& k = *t.kafka;
    if (f.kafka_metrics_proxy_image &&
        image_repository_name(f.kafka_metrics_proxy_image->value) == "proxyv2") {
        auto& d = sink.report(
            diag::Code::KM403, f.kafka_metrics_proxy_image->location,
            fmt::format("'{}' looks like Istio's stock proxy, built without Envoy's kafka_broker "
                        "filter",
                        f.kafka_metrics_proxy_image->value));
        diag::add_note(d, {},
                       "Istio's proxyv2 has not carried Envoy's contrib filters since 1.13; Envoy "
                       "would reject the broker's inbound listener");
        diag::add_help(d,
                       "name a proxy image built with Envoy's contrib filters, under another name");
    }
    if (f.kafka_metrics_proxy_image && k.authentication == model::Authentication::tls) {
        auto& d = sink.report(
            diag::Code::KM409, f.kafka_metrics_location,
            "the kafka_broker filter cannot read Kafka behind the 'tls' listener's own TLS");
        if (k.authentication_location.known()) {
            diag::add_note(d, k.authentication_location, "authentication 'tls' is set here");
        }
        diag::add_help(d,
                       "use authentication 'scram-sha-512', a plaintext listener inside the mesh's "
                       "mTLS, or remove kafkaMetrics");
    }
    if (f.identity_image && model::image_sha256(f.identity_image->value).empty()) {
        auto& d =
            sink.report(diag::Code::KM404, f.identity_image->location,
                        fmt::format("identity filter image '{}' is not pinned by a sha256 digest",
                                    f.identity_image->value));
        diag::add_help(d,
                       "write the image as oci://<registry>/<name>@sha256:<64 hex digits>; "
                       "the plugin decides who Kafka sees, so it must be exactly the one reviewed");
    }
    if (f.identity_image && !model::image_registry_url(f.identity_image->value)) {
        auto& d = sink.report(diag::Code::KM416, f.identity_image->location,
                              fmt::format("identity filter image '{}' names no registry host",
                                          f.identity_image->value));
        diag::add_note(d, {},
                       "the WasmPlugin CRD's url rule and istiod both parse the url as a URL; a "
                       "short Docker Hub name such as kafka-identity@sha256:... is neither");
        diag::add_help(d,
                       "write oci://<registry host>/<path>@sha256:<digest>, for example "
                       "oci://docker.io/library/kafka-identity@sha256:...");
    }
    if (f.identity_image && k.authentication != model::Authentication::mesh) {
        auto& d = sink.report(diag::Code::KM405, f.identity_location,
                              "the identity filter needs authentication 'mesh'");
        if (k.authentication_location.known()) {
            diag::add_note(d, k.authentication_location, "authentication is set here");
        }
        diag::add_help(d,
                       "set kafka.authentication to 'mesh', or remove mesh.filters.identity: "
                       "with Kafka's own authentication the plugin would contradict it");
    }
}

void report_ambient(const model::Topology& t, Location where, std::string_view feature,
                    diag::DiagnosticSink& sink) {
    auto& d = sink.report(
        diag::Code::KM406, where,
        fmt::format("{} needs a sidecar on the broker pods; the dataplane is 'ambient'", feature));
    if (t.mesh.dataplane_location.known()) {
        diag::add_note(d, t.mesh.dataplane_location, "the dataplane is set here");
    }
    diag::add_help(d, "ambient pods run no sidecar proxy; use 'dataplane: sidecar' or remove it");
}

void check_ambient(const model::Topology& t, diag::DiagnosticSink& sink) {
    if (t.mesh.dataplane != Dataplane::ambient) {
        return;
    }
    if (t.mesh.filters) {
        const model::Filters& f = *t.mesh.filters;
        if (f.kafka_metrics_proxy_image) {
            report_ambient(t, f.kafka_metrics_location, "'kafkaMetrics' (an EnvoyFilter)", sink);
        }
        if (f.identity_image) {
            report_ambient(t, f.identity_location, "'identity' (a WasmPlugin)", sink);
        }
        if (f.access_logs) {
            report_ambient(t, f.access_logs_location, "'accessLogs' (Envoy access logs)", sink);
        }
    }
    for (const model::Namespace& ns : t.namespaces) {
        if (ns.limit_egress) {
            report_ambient(t, ns.limit_egress_location, "'limitEgress' (a Sidecar resource)", sink);
        }
    }
}

void check_versions(const model::Topology& t, diag::DiagnosticSink& sink) {
    if (t.mesh.istio_version.invalid) {
        return;  // reported by the parser: no feature can be judged against it
    }
    int minor = model::istio_minor(t.mesh);
    Location where = first_known(t.mesh.istio_version.location, t.mesh.location);
    if (minor < model::k_istio_v1_apis) {
        auto& d = sink.report(
            diag::Code::KM407, where,
            fmt::format("Istio {} does not serve the v1 APIs kafkamesh emits; they need Istio 1.{} "
                        "or later",
                        t.mesh.istio_version.value, model::k_istio_v1_apis));
        diag::add_note(d, {},
                       "security.istio.io/v1, networking.istio.io/v1 and telemetry.istio.io/v1 "
                       "are served since Istio 1.22");
        diag::add_help(d, "upgrade Istio and set mesh.istioVersion to the version it runs");
    }
    if (t.mesh.native_sidecars.value_or(false) && minor < model::k_istio_native_sidecar) {
        auto& d = sink.report(
            diag::Code::KM407, t.mesh.native_sidecars_location,
            fmt::format("Istio {} has no per-pod native sidecar annotation; it needs Istio 1.{}",
                        t.mesh.istio_version.value, model::k_istio_native_sidecar));
        diag::add_help(d, "remove mesh.nativeSidecars, or target Istio 1.24 or later");
    }
}

}  // namespace

void check_mesh(const model::Topology& t, diag::DiagnosticSink& sink) {
    check_versions(t, sink);
    check_mtls(t, sink);
    check_idle_timeout(t, sink);
    check_filters(t, sink);
    check_ambient(t, sink);
    check_root_namespace(t, sink);
    check_enforcement(t, sink);
}

}  // namespace km::check
