// What one service's Kafka client must set to connect and be allowed: the bootstrap address, the
// security settings of the listener, its group, transactional and application ids (derived here
// exactly as the ACL recipes derive them), and where its credential lives, by reference only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/access_graph.h"
#include "model/topology.h"

namespace km::emit {

enum class ClientFormat : std::uint8_t { properties, env, json, librdkafka, spring, quarkus };

/// properties, env, json, librdkafka, spring, quarkus: the --format words, in that order.
const std::vector<std::string_view>& client_format_names();
std::optional<ClientFormat> parse_client_format(std::string_view name);

/// Where a credential is: a key of a Secret. Its value is never read nor printed.
struct SecretRef {
    std::string ns;
    std::string name;
    std::string key;
    bool file = false;  ///< the key is mounted as a file and the setting holds its path
};

/// One setting in the Java client's spelling. A secret setting has no value, only `secret`
/// (and, for a JAAS line that must be assembled, a `value` with "<password>" in it).
struct ClientSetting {
    std::string key;
    std::string value;
    std::optional<SecretRef> secret;
};

struct ClientConfig {
    std::string service;  ///< "namespace/name"
    model::ServiceKind kind = model::ServiceKind::app;
    std::string user;             ///< the Kafka user; empty when it has none (no ACL)
    std::string service_account;  ///< the pods must run as it: the mesh principal assumes it
    std::string mesh_principal;
    /// bootstrap.servers and the security settings, Java spelling.
    std::vector<ClientSetting> connection;
    /// The same for librdkafka, which has no JAAS and reads PEM files.
    std::vector<ClientSetting> connection_librdkafka;
    /// Every group the service consumes as (app: per consumed topic; declaration order, once).
    /// A group granted as a prefix ("reports-*") is given as its prefix, in `prefix_groups`.
    std::vector<std::string> groups;
    std::vector<std::string> prefix_groups;
    std::string transactional_id;  ///< the literal id, or the prefix when transactional_prefix
    bool transactional_prefix = false;
    std::string application_id;  ///< streams
    bool exactly_once = false;   ///< streams: processing.guarantee=exactly_once_v2
    std::string connect_group;   ///< connect: the workers' group.id
    std::string configs_topic, offsets_topic, status_topic;
    std::vector<std::string> notes;
    std::vector<std::string> notes_librdkafka;  ///< added to `notes` in the librdkafka format
};

/// "<client Service>.<kafka namespace>.svc:<listener port>": where every client connects
/// (Strimzi's <cluster>-kafka-bootstrap, the Bitnami chart's <fullname>).
std::string bootstrap_servers(const model::Topology& topology);

/// The client configuration of service `s` of the topology, from the access graph built on it.
ClientConfig client_config(const model::Topology& topology, const graph::AccessGraph& graph,
                           const model::Service& s);

/// Why `format` cannot configure the service (a framework that does not run its kind), or
/// nothing when it can.
std::optional<std::string> unsupported_format(const ClientConfig& config, ClientFormat format);

/// The configuration in one format, byte-deterministic. The format must be supported.
std::string render_client_config(const ClientConfig& config, ClientFormat format);

}  // namespace km::emit
