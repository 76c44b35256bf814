// Names checked against the rules of where they end up: Kubernetes object names, Kafka
// principals and ACL resource names, Kafka's properties files and container image references.
#include <fmt/format.h>

#include <string_view>

#include "check/checks.h"
#include "util/strings.h"

namespace km::check {
namespace {

// Strimzi names Services `<cluster>-kafka-bootstrap` and `<cluster>-entity-operator`; a Service
// name is a DNS label of at most 63 characters.
constexpr std::size_t k_max_cluster_name = 63 - std::string_view("-kafka-bootstrap").size();
// The Bitnami chart names its headless Service `<fullname>-controller-headless`.
constexpr std::size_t k_max_bitnami_fullname = 63 - std::string_view("-controller-headless").size();
constexpr std::size_t k_max_acl_name = 249;

bool kafka_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

/// Kafka's topic alphabet, which Kafka Streams also requires of application ids (they prefix
/// internal topics); '*' is left to the pattern checks (KM308, KM310).
bool is_acl_name(std::string_view s, bool pattern) {
    if (s.empty() || s.size() > k_max_acl_name + (pattern ? 1 : 0)) {
        return false;
    }
    for (char c : s) {
        if (!kafka_name_char(c) && !(pattern && c == '*')) {
            return false;
        }
    }
    return true;
}

bool path_component(std::string_view s) {
    // [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*
    if (s.empty() ||
        !((s.front() >= 'a' && s.front() <= 'z') || (s.front() >= '0' && s.front() <= '9'))) {
        return false;
    }
    char last = s.back();
    if (!((last >= 'a' && last <= 'z') || (last >= '0' && last <= '9'))) {
        return false;
    }
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (alnum || c == '-') {
            continue;
        }
        if (c == '.' || c == '_') {
            bool double_underscore = c == '_' && i + 1 < s.size() && s[i + 1] == '_';
            std::size_t next = i + (double_underscore ? 2 : 1);
            if (next >= s.size() ||
                !((s[next] >= 'a' && s[next] <= 'z') || (s[next] >= '0' && s[next] <= '9'))) {
                return false;
            }
            i = next - 1;
            continue;
        }
        return false;
    }
    return true;
}

/// The distribution reference grammar: [host[:port]/]path[:tag][@algorithm:hex].
bool is_image_reference(std::string_view s) {
    if (s.empty() || s.size() > 4096) {
        return false;
    }
    if (auto at = s.find('@'); at != std::string_view::npos) {
        std::string_view digest = s.substr(at + 1);
        auto colon = digest.find(':');
        if (colon == std::string_view::npos || colon == 0 || digest.size() - colon - 1 < 32) {
            return false;
        }
        for (char c : digest.substr(colon + 1)) {
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        s = s.substr(0, at);
    }
    auto last_slash = s.rfind('/');
    auto colon = s.rfind(':');
    if (colon != std::string_view::npos &&
        (last_slash == std::string_view::npos || colon > last_slash)) {
        std::string_view tag = s.substr(colon + 1);
        if (tag.empty() || tag.size() > 128 || tag.front() == '.' || tag.front() == '-') {
            return false;
        }
        for (char c : tag) {
            if (!kafka_name_char(c)) {
                return false;
            }
        }
        s = s.substr(0, colon);
    }
    std::size_t start = 0;
    if (auto slash = s.find('/'); slash != std::string_view::npos) {
        std::string_view first = s.substr(0, slash);
        // A first component with '.', ':' or "localhost" is a registry host.
        if (first.find_first_of(".:") != std::string_view::npos || first == "localhost") {
            std::string_view host = first.substr(0, first.find(':'));
            if (!util::is_dns_subdomain(host) && host != "localhost") {
                return false;
            }
            if (first.find(':') != std::string_view::npos) {
                for (char c : first.substr(first.find(':') + 1)) {
                    if (c < '0' || c > '9') {
                        return false;
                    }
                }
            }
            start = slash + 1;
        }
    }
    std::string_view path = s.substr(start);
    if (path.empty()) {
        return false;
    }
    while (true) {
        auto slash = path.find('/');
        if (!path_component(path.substr(0, slash))) {
            return false;
        }
        if (slash == std::string_view::npos) {
            return true;
        }
        path.remove_prefix(slash + 1);
    }
}

class Checker {
  public:
    explicit Checker(diag::DiagnosticSink& sink) : m_sink(sink) {}

    void acl_name(const model::Text& t, std::string_view what, bool pattern) {
        if (t.empty()) {
            // Kafka has no resource with an empty name: the KafkaUser ACL, the Bitnami script's
            // argument and the authorizer would all name something that cannot exist.
            auto& d = m_sink.report(diag::Code::KM340, t.location,
                                    fmt::format("the {} name is empty", what));
            diag::add_help(d, fmt::format("name the {}, or remove the field", what));
            return;
        }
        if (is_acl_name(t.value, pattern)) {
            return;
        }
        auto& d =
            m_sink.report(diag::Code::KM532, t.location,
                          fmt::format("{} '{}' is not a name Kafka ACLs can carry", what, t.value));
        diag::add_help(
            d, fmt::format("use letters, digits, '.', '_' and '-' (at most {} "
                           "characters){}",
                           k_max_acl_name, pattern ? ", with '*' at the end for a prefix" : ""));
    }

    void config(const std::vector<model::ConfigEntry>& entries) {
        for (const model::ConfigEntry& e : entries) {
            if (!is_config_key(e.key.value)) {
                auto& d =
                    m_sink.report(diag::Code::KM533, e.key.location,
                                  fmt::format("'{}' is not a Kafka config name", e.key.value));
                diag::add_help(d,
                               "Kafka config names are words of letters, digits, '.', '_' and "
                               "'-', such as 'retention.ms'");
            } else if (!is_config_value(e.value.text)) {
                auto& d = m_sink.report(
                    diag::Code::KM533, e.value.location,
                    fmt::format("the value of '{}' holds a line break or control character",
                                e.key.value));
                diag::add_help(d,
                               "Kafka reads its config as a properties file, one entry a line; "
                               "write the value on one line");
            }
        }
    }

    /// `oci_url`: a WasmPlugin url, the reference with an optional `oci://` scheme.
    void image(const std::optional<model::Text>& t, bool oci_url) {
        if (!t) {
            return;
        }
        std::string_view reference = t->value;
        if (oci_url && util::starts_with(reference, "oci://")) {
            reference.remove_prefix(6);
        }
        if (is_image_reference(reference)) {
            return;
        }
        auto& d = m_sink.report(diag::Code::KM534, t->location,
                                fmt::format("'{}' is not a container image reference", t->value));
        diag::add_help(d,
                       "write [registry/]repository[:tag][@sha256:digest], e.g. "
                       "'ghcr.io/example/proxy:1.2'");
    }

    void derived_length(const model::Text& t, std::size_t max, std::string_view longest) {
        if (t.value.size() <= max) {
            return;
        }
        auto& d = m_sink.report(
            diag::Code::KM531, t.location,
            fmt::format("'{}' is {} characters; the names derived from it need it at most {}",
                        t.value, t.value.size(), max));
        diag::add_note(
            d, {},
            fmt::format("'{}{}' must be a DNS label of at most 63 characters", t.value, longest));
    }

  private:
    diag::DiagnosticSink& m_sink;
};

}  // namespace

/// Kafka config names are dotted lowercase words; anything else is not a broker or topic config.
bool is_config_key(std::string_view s) {
    if (s.empty() || s.size() > 249) {
        return false;
    }
    for (char c : s) {
        if (!kafka_name_char(c)) {
            return false;
        }
    }
    return true;
}

/// A line break in a value would start a new line in the properties file Kafka reads.
bool is_config_value(std::string_view s) {
    for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7F) {
            return false;
        }
    }
    return true;
}

void check_destination_names(const model::Topology& t, diag::DiagnosticSink& sink) {
    Checker c(sink);
    if (t.kafka) {
        const model::Kafka& k = *t.kafka;
        if (k.distribution == model::Distribution::strimzi) {
            c.derived_length(k.name, k_max_cluster_name, "-kafka-bootstrap");
        } else if (k.bitnami) {
            const model::Text& release = k.bitnami->release;
            bool has_kafka = release.value.find("kafka") != std::string::npos;
            c.derived_length(release, k_max_bitnami_fullname - (has_kafka ? 0 : 6),
                             has_kafka ? "-controller-headless" : "-kafka-controller-headless");
            c.image(k.bitnami->image, false);
            c.image(k.bitnami->operator_image, false);
        }
        if (k.apply_job) {
            c.image(k.apply_job->image, false);
        }
        c.config(k.config);
    }
    if (t.mesh.filters) {
        c.image(t.mesh.filters->kafka_metrics_proxy_image, false);
        c.image(t.mesh.filters->identity_image, true);
    }
    for (const model::Topic& topic : t.topics) {
        c.config(topic.config);
    }
    for (const model::Service& s : t.services) {
        for (const model::Text& topic : s.produces) {
            c.acl_name(topic, "topic", true);
        }
        for (const model::Consume& consume : s.consumes) {
            c.acl_name(consume.topic, "topic", true);
            if (consume.group) {
                c.acl_name(*consume.group, "group", true);
            }
        }
        if (s.transactional_id) {
            c.acl_name(*s.transactional_id, "transactional id", true);
        }
        if (s.application_id) {
            c.acl_name(*s.application_id, "application id", false);
        }
        if (s.connect) {
            if (s.connect->group_id) {
                c.acl_name(*s.connect->group_id, "Connect group id", false);
            }
            for (const model::Connector& connector : s.connect->connectors) {
                for (const model::Text& topic : connector.consumes) {
                    c.acl_name(topic, "topic", true);
                }
                for (const model::Text& topic : connector.produces) {
                    c.acl_name(topic, "topic", true);
                }
            }
        }
    }
    for (const model::Role& role : t.roles) {
        for (const model::Grant& g : role.grants) {
            std::string_view what = g.resource == model::GrantResource::topic ? "topic"
                                    : g.resource == model::GrantResource::group
                                        ? "group"
                                        : "transactional id";
            for (const model::Text& name : g.names) {
                c.acl_name(name, what, true);
            }
        }
    }
}

}  // namespace km::check
