#include "model/derived.h"

#include <algorithm>
#include <charconv>
#include <set>

#include <fmt/format.h>

namespace km::model {

Reference parse_reference(std::string_view text) {
    if (text == "*") {
        return {Reference::Kind::wildcard, "*"};
    }
    std::size_t star = text.find('*');
    if (star == std::string_view::npos) {
        return {Reference::Kind::literal, std::string(text)};
    }
    if (star + 1 == text.size() && star > 0) {
        return {Reference::Kind::prefix, std::string(text.substr(0, star))};
    }
    return {Reference::Kind::invalid, std::string(text)};
}

std::string identity_key(const Service& s) {
    return s.ns.value + "/" + s.account();
}

std::string user_name(const Service& s) {
    return s.user ? s.user->value : s.ns.value + "-" + s.account();
}

std::string kafka_principal_name(Authentication authentication, const Service& s) {
    switch (s.authentication.value_or(authentication)) {
        case Authentication::scram_sha_512:
            return user_name(s);
        case Authentication::tls:
            return "CN=" + user_name(s);
        case Authentication::mesh:
            return s.ns.value + "-" + s.account();
        case Authentication::service_account_token:
            return service_account_username(s.ns.value, s.account());
    }
    return user_name(s);
}

std::string service_account_username(std::string_view ns, std::string_view service_account) {
    return fmt::format("system:serviceaccount:{}:{}", ns, service_account);
}

std::string mesh_principal(std::string_view trust_domain, std::string_view ns,
                           std::string_view service_account) {
    return fmt::format("{}/ns/{}/sa/{}", trust_domain, ns, service_account);
}

bool native_sidecars(const Mesh& mesh) {
    return mesh.native_sidecars.value_or(istio_minor(mesh) >= k_istio_native_sidecar);
}

int istio_minor(const Mesh& mesh) {
    // The parser reports anything but "1.<digits>", yet the checks still run on what it read:
    // a malformed version must give 0, never throw.
    const std::string& v = mesh.istio_version.value;
    std::size_t dot = v.find('.');
    if (dot == std::string::npos || dot + 1 >= v.size() || v.size() - dot > 5) {
        return 0;
    }
    int minor = 0;
    const char* first = v.data() + dot + 1;
    const char* last = v.data() + v.size();
    auto [end, error] = std::from_chars(first, last, minor);
    return error == std::errc() && end == last ? minor : 0;
}

std::string image_sha256(std::string_view image) {
    constexpr std::string_view marker = "@sha256:";
    std::size_t at = image.rfind(marker);
    if (at == std::string_view::npos) {
        return "";
    }
    std::string_view digest = image.substr(at + marker.size());
    bool hex = digest.size() == 64 && std::all_of(digest.begin(), digest.end(), [](char ch) {
                   return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
               });
    return hex ? std::string(digest) : "";
}

std::optional<std::string> image_registry_url(std::string_view image) {
    for (std::string_view scheme : {"http://", "https://", "file://"}) {
        if (image.substr(0, scheme.size()) == scheme) {
            return std::string(image);
        }
    }
    constexpr std::string_view oci = "oci://";
    bool url = image.substr(0, oci.size()) == oci;
    std::string_view reference = url ? image.substr(oci.size()) : image;
    // After oci:// the first component is the host, as in any URL. Without a scheme, Docker's
    // rule decides: a registry host has a '.' or a ':' or is localhost; anything else is a
    // Docker Hub path (distribution/reference, normalize.go splitDockerDomain).
    std::size_t slash = reference.find('/');
    std::string_view host = reference.substr(0, slash);
    if (slash == std::string_view::npos || host.empty() ||
        (!url && host.find_first_of(".:") == std::string_view::npos && host != "localhost") ||
        host.find('@') != std::string_view::npos) {
        return std::nullopt;
    }
    return fmt::format("oci://{}", reference);
}

std::string_view service_kind_name(ServiceKind kind) {
    switch (kind) {
        case ServiceKind::app:
            return "app";
        case ServiceKind::streams:
            return "streams";
        case ServiceKind::connect:
            return "connect";
    }
    return "app";
}

std::string streams_application_id(const Service& s) {
    return s.application_id ? s.application_id->value : s.name.value;
}

std::string streams_prefix(const Service& s) {
    // The dash keeps application 'orders' from covering the internal topics of 'orders2'.
    return streams_application_id(s) + "-";
}

std::string consume_group_id(const Service& s, const Consume& c) {
    return c.group ? c.group->value : s.name.value;
}

std::string connect_group_id(const Service& s) {
    return s.connect && s.connect->group_id ? s.connect->group_id->value : s.name.value;
}

StorageTopics connect_storage_topics(const Service& s) {
    std::string group = connect_group_id(s);
    StorageTopics out{group + "-configs", group + "-offsets", group + "-status"};
    if (s.connect) {
        if (s.connect->configs_topic) {
            out.configs = s.connect->configs_topic->value;
        }
        if (s.connect->offsets_topic) {
            out.offsets = s.connect->offsets_topic->value;
        }
        if (s.connect->status_topic) {
            out.status = s.connect->status_topic->value;
        }
    }
    return out;
}

int default_replication_factor(int nodes) {
    return std::min(3, nodes);
}
int default_min_insync_replicas(int nodes) {
    return std::max(1, default_replication_factor(nodes) - 1);
}

const std::vector<ReplicationSetting>& replication_settings() {
    static const std::vector<ReplicationSetting> settings = {
        {"default.replication.factor", false, ""},
        {"min.insync.replicas", true, "default.replication.factor"},
        {"offsets.topic.replication.factor", false, ""},
        {"transaction.state.log.replication.factor", false, ""},
        {"transaction.state.log.min.isr", true, "transaction.state.log.replication.factor"},
        {"share.coordinator.state.topic.replication.factor", false, ""},
        {"share.coordinator.state.topic.min.isr", true,
         "share.coordinator.state.topic.replication.factor"},
    };
    return settings;
}

int derived_replication_value(const ReplicationSetting& setting, int nodes) {
    return setting.min_isr ? default_min_insync_replicas(nodes) : default_replication_factor(nodes);
}

const ConfigEntry* find_config(const std::vector<ConfigEntry>& config, std::string_view key) {
    auto it = std::find_if(config.begin(), config.end(),
                           [&](const ConfigEntry& e) { return e.key.value == key; });
    return it == config.end() ? nullptr : &*it;
}

std::optional<int> config_int(const std::vector<ConfigEntry>& config, std::string_view key) {
    const ConfigEntry* e = find_config(config, key);
    if (!e) {
        return std::nullopt;
    }
    const std::string& text = e->value.text;
    int value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

std::string strimzi_connect_name(const std::string& connect) {
    return connect + "-connect";
}

void add_implicit_declarations(Topology& t) {
    if (!t.kafka) {
        return;
    }
    Kafka& kafka = *t.kafka;
    // Strimzi 0.46 to 0.50 run Kafka 4.0.0 (kafka-versions.yaml at each tag), the releases that
    // serve v1beta2 and also run Kafka 4; the v1 default (4.3.1) runs on no release serving
    // v1beta2 (1.0 removed it).
    if (!kafka.version.location.known() && kafka.strimzi &&
        kafka.strimzi->api == StrimziApi::v1beta2) {
        kafka.version.value = std::string(k_strimzi_v1beta2_default_version);
    }
    // A `kind: connect` service on Strimzi is a KafkaConnect resource of that name, whose
    // workers run as <name>-connect (strimzi-kafka-operator KafkaConnectResources
    // .serviceAccountName -> componentName(name) = name + "-connect").
    if (kafka.distribution == Distribution::strimzi) {
        for (Service& s : t.services) {
            if (s.kind == ServiceKind::connect && !s.service_account) {
                s.service_account = Text{strimzi_connect_name(s.name.value), s.location};
            }
        }
    }
    bool declared = std::any_of(t.namespaces.begin(), t.namespaces.end(), [&](const Namespace& ns) {
        return ns.name.value == kafka.ns.value;
    });
    if (!declared && !kafka.ns.empty()) {
        Namespace ns;
        ns.name = kafka.ns;
        ns.implicit = true;
        // The namespace of a cluster that runs already exists; only a cluster the topology
        // describes brings its namespace with it.
        ns.managed = kafka.managed;
        ns.location = kafka.location;
        t.namespaces.push_back(std::move(ns));
    }
    std::set<std::string> topics;
    for (const Topic& topic : t.topics) {
        topics.insert(topic.name.value);
    }
    for (const Service& s : t.services) {
        if (s.kind != ServiceKind::connect) {
            continue;
        }
        StorageTopics storage = connect_storage_topics(s);
        // Kafka Connect's own defaults: one partition for configs, 25 for offsets, 5 for status.
        for (const auto& [name, partitions] :
             {std::pair{storage.configs, 1}, std::pair{storage.offsets, 25},
              std::pair{storage.status, 5}}) {
            if (!topics.insert(name).second) {
                continue;
            }
            Topic topic;
            topic.name = Text{name, s.location};
            topic.partitions = partitions;
            topic.replicas = default_replication_factor(kafka.nodes);
            topic.config.push_back(ConfigEntry{
                Text{"cleanup.policy", {}}, ConfigValue{ConfigValue::Type::string, "compact", {}}});
            topic.implicit = true;
            topic.location = s.location;
            t.topics.push_back(std::move(topic));
        }
    }
}

}  // namespace km::model
