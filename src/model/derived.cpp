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
    switch (authentication) {
        case Authentication::scram_sha_512:
            return user_name(s);
        case Authentication::tls:
            return "CN=" + user_name(s);
        case Authentication::mesh:
            return s.ns.value + "-" + s.account();
    }
    return user_name(s);
}

std::string mesh_principal(std::string_view trust_domain, std::string_view ns,
                           std::string_view service_account) {
    return fmt::format("{}/ns/{}/sa/{}", trust_domain, ns, service_account);
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

std::string streams_application_id(const Service& s) {
    return s.application_id ? s.application_id->value : s.name.value;
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

void add_implicit_declarations(Topology& t) {
    if (!t.kafka) {
        return;
    }
    const Kafka& kafka = *t.kafka;
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
