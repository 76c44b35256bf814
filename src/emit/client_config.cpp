#include "emit/client_config.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>

#include "emit/emit.h"
#include "emit/manifest_writer.h"
#include "emit/token_auth.h"
#include "model/derived.h"
#include "model/mesh_names.h"
#include "util/shell.h"

namespace km::emit {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view k_scram_login_module =
    "org.apache.kafka.common.security.scram.ScramLoginModule";

const graph::Identity* identity_of(const graph::AccessGraph& graph, const model::Service& s) {
    for (const graph::Identity& id : graph.identities) {
        if (id.ns == s.ns.value && id.service_account == s.account()) {
            return &id;
        }
    }
    return nullptr;
}

ClientSetting plain(std::string key, std::string value) {
    return ClientSetting{std::move(key), std::move(value), std::nullopt};
}

ClientSetting secret(std::string key, SecretRef ref, std::string value = "") {
    return ClientSetting{std::move(key), std::move(value), std::move(ref)};
}

/// The Secret holding the identity's credential. On Strimzi the User Operator writes it in the
/// Kafka namespace, named after the KafkaUser (strimzi-kafka-operator KafkaUserModel
/// getSecretName, no prefix by default). With the Access Operator, a service in another namespace
/// reads the KafkaAccess's Secret, named after the KafkaAccess (KafkaAccessReconciler
/// determineSecretName), which emit_strimzi names after the user; in the Kafka namespace no
/// KafkaAccess is emitted and the User Operator's Secret serves.
struct StrimziSecret {
    std::string ns;
    std::string name;
    bool access = false;  ///< the KafkaAccess Secret (keys of kafka-access-operator KafkaUserData)
};

StrimziSecret strimzi_secret(const model::Kafka& k, const std::string& ns,
                             const std::string& user) {
    if (k.distribution == model::Distribution::bitnami) {
        // Strimzi's standalone User Operator keeps each user's credential in its own Secret,
        // <STRIMZI_SECRET_PREFIX><user> in the Kafka namespace, with the same `password` and
        // `sasl.jaas.config` keys as on Strimzi (emit_reconcilers); the service's account may
        // read exactly that Secret (Role kafkamesh-credential-<user>).
        return StrimziSecret{k.ns.value, std::string(k_user_secret_prefix) + user, false};
    }
    bool access = k.strimzi && k.strimzi->access_operator && ns != k.ns.value;
    return StrimziSecret{access ? ns : k.ns.value, user, access};
}

/// authentication: service-account-token. The Java client (kafka-clients 4.1 and later) reads
/// the projected token from a file and re-reads it whenever the kubelet rotates it
/// (apache/kafka 4.1.1 clients: DefaultJwtRetriever picks FileJwtRetriever for a file: URL, whose
/// CachedFile reloads on a new modification time); it needs the login handler named, or
/// OAUTHBEARER falls back to unsecured tokens (LoginManager). 4.0 reads the file once and stops
/// authenticating after the first token expires. Kafka 4.x also refuses the URL unless the JVM
/// allows it, by exact string (ConfigurationUtils.throwIfResourceIsNotAllowed), which no client
/// property can do.
void token_settings(const model::Topology& t, std::vector<ClientSetting>& out,
                    std::vector<std::string>& notes) {
    const model::ServiceAccountToken& token = model::token_options(*t.kafka);
    std::string url = fmt::format("file:{}", k_client_token_path);
    constexpr std::string_view pkg = model::k_oauthbearer_package;
    out.push_back(plain("security.protocol", "SASL_PLAINTEXT"));
    out.push_back(plain("sasl.mechanism", "OAUTHBEARER"));
    out.push_back(plain("sasl.login.callback.handler.class",
                        fmt::format("{}.OAuthBearerLoginCallbackHandler", pkg)));
    out.push_back(
        plain("sasl.jaas.config", fmt::format("{}.OAuthBearerLoginModule required;", pkg)));
    out.push_back(plain("sasl.oauthbearer.token.endpoint.url", url));
    notes.push_back(fmt::format(
        "no password: the pods present a projected service-account token; mount a projected "
        "volume with serviceAccountToken (audience '{}', expirationSeconds {}, path 'token') at "
        "{}",
        token.audience.value, token.expiration_seconds, k_client_token_dir));
    notes.push_back(fmt::format(
        "the JVM must allow the token file: add -D{}={} to JAVA_TOOL_OPTIONS (no client "
        "property can); needs kafka-clients 4.1 or later",
        model::k_allowed_urls_property, url));
}

/// bootstrap.servers and the security settings of the client listener. `librdkafka` spells
/// them as librdkafka does (CONFIGURATION.md: sasl.mechanisms, sasl.username/sasl.password
/// instead of a JAAS line, ssl.ca.location for a PEM CA file).
std::vector<ClientSetting> connection_settings(const model::Topology& t, const std::string& ns,
                                               const std::string& user, bool librdkafka,
                                               std::vector<std::string>& notes) {
    const model::Kafka& k = *t.kafka;
    model::MeshNames names = model::mesh_names(t);
    std::vector<ClientSetting> out;
    // The Service of the client listener: Strimzi's <cluster>-kafka-bootstrap, the Bitnami
    // chart's <fullname> (service.ports.client is the listener port, emit_bitnami).
    out.push_back(plain("bootstrap.servers", bootstrap_servers(t)));
    if (k.authentication == model::Authentication::mesh) {
        // The listener has no authentication: the mesh identity is the credential.
        out.push_back(plain("security.protocol", "PLAINTEXT"));
        return out;
    }
    if (k.authentication == model::Authentication::service_account_token) {
        token_settings(t, out, notes);
        return out;
    }
    if (user.empty()) {
        // No ACL and not a super user: no Kafka user exists, so there is no Secret to name.
        out.push_back(plain("security.protocol", k.authentication == model::Authentication::tls
                                                     ? "SSL"
                                                     : "SASL_PLAINTEXT"));
        return out;
    }
    const StrimziSecret where = strimzi_secret(k, ns, user);
    if (where.ns != ns && k.distribution == model::Distribution::bitnami) {
        notes.push_back(fmt::format(
            "the Secret '{}' is in the Kafka namespace '{}': the service's account may read it "
            "through the API (Role 'kafkamesh-credential-{}'), but a pod mounts only Secrets of "
            "its own namespace, so sync it into '{}'",
            where.name, where.ns, user, ns));
    } else if (where.ns != ns) {
        notes.push_back(fmt::format(
            "the Secret '{}' is in the Kafka namespace '{}', where a pod in '{}' cannot read it: "
            "copy it to '{}', or set kafka.strimzi.accessOperator: true",
            where.name, where.ns, ns, ns));
    }
    auto key = [&](std::string name, bool file = false) {
        return SecretRef{where.ns, where.name, std::move(name), file};
    };
    if (k.authentication == model::Authentication::scram_sha_512) {
        // The SCRAM listener is not TLS (emit_strimzi: tls only with tls authentication); the
        // mesh encrypts. The User Operator's Secret holds `password` and a ready
        // `sasl.jaas.config`; the KafkaAccess Secret copies both (KafkaUserData).
        out.push_back(plain("security.protocol", "SASL_PLAINTEXT"));
        if (librdkafka) {
            out.push_back(plain("sasl.mechanisms", "SCRAM-SHA-512"));
            out.push_back(plain("sasl.username", user));
            out.push_back(secret("sasl.password", key("password")));
        } else {
            out.push_back(plain("sasl.mechanism", "SCRAM-SHA-512"));
            out.push_back(secret("sasl.jaas.config", key("sasl.jaas.config")));
        }
        return out;
    }
    // TLS client authentication: the user's PKCS #12 keystore (user.p12, user.password; in the
    // KafkaAccess Secret ssl.keystore.p12, ssl.keystore.password) and the cluster CA, from
    // <cluster>-cluster-ca-cert in the Kafka namespace (KafkaResources
    // clusterCaCertificateSecretName: ca.crt, ca.p12, ca.password) or the KafkaAccess Secret's
    // ssl.truststore.crt (PEM).
    out.push_back(plain("security.protocol", "SSL"));
    std::string keystore = where.access ? "ssl.keystore.p12" : "user.p12";
    std::string keystore_password = where.access ? "ssl.keystore.password" : "user.password";
    SecretRef ca_pem{k.ns.value, k.name.value + "-cluster-ca-cert", "ca.crt", true};
    if (where.access) {
        ca_pem = key("ssl.truststore.crt", true);
    }
    if (librdkafka) {
        out.push_back(secret("ssl.keystore.location", key(keystore, true)));
        out.push_back(secret("ssl.keystore.password", key(keystore_password)));
        out.push_back(secret("ssl.ca.location", ca_pem));
        return out;
    }
    out.push_back(plain("ssl.keystore.type", "PKCS12"));
    out.push_back(secret("ssl.keystore.location", key(keystore, true)));
    out.push_back(secret("ssl.keystore.password", key(keystore_password)));
    if (where.access) {
        out.push_back(plain("ssl.truststore.type", "PEM"));
        out.push_back(secret("ssl.truststore.location", ca_pem));
    } else {
        SecretRef ca = ca_pem;
        out.push_back(plain("ssl.truststore.type", "PKCS12"));
        ca.key = "ca.p12";
        out.push_back(secret("ssl.truststore.location", ca));
        ca.key = "ca.password";
        ca.file = false;
        out.push_back(secret("ssl.truststore.password", ca));
    }
    return out;
}

/// How a secret setting is obtained, in words.
std::string secret_text(const SecretRef& ref) {
    std::string what = fmt::format("key '{}'", ref.key);
    return fmt::format("{}{} of Secret '{}/{}'", ref.file ? "the path of a file holding " : "",
                       what, ref.ns, ref.name);
}

std::string secret_comment(const std::string& key, const ClientSetting& s) {
    std::string text = fmt::format("{}: {}", key, secret_text(*s.secret));
    if (!s.value.empty()) {
        text += fmt::format(", as the password in: {}", s.value);
    }
    return text;
}

/// The id settings of the service, Java spelling, in the order they are printed.
struct IdSettings {
    std::vector<ClientSetting> settings;
    std::vector<std::string> comments;
};

IdSettings id_settings(const ClientConfig& c) {
    IdSettings out;
    switch (c.kind) {
        case model::ServiceKind::app:
            for (const std::string& group : c.prefix_groups) {
                out.comments.push_back(
                    fmt::format("group.id: any group starting with '{}' is allowed", group));
            }
            if (c.groups.size() == 1) {
                out.settings.push_back(plain("group.id", c.groups.front()));
            } else if (c.groups.size() > 1) {
                out.comments.push_back(fmt::format(
                    "group.id: one per consumer; this service consumes as the groups '{}'",
                    fmt::join(c.groups, "', '")));
            }
            if (!c.transactional_id.empty()) {
                out.settings.push_back(plain("transactional.id", c.transactional_id));
                if (c.transactional_prefix) {
                    out.comments.push_back(fmt::format(
                        "transactional.id: any id starting with '{}' is allowed; give each "
                        "producer instance its own",
                        c.transactional_id));
                }
            }
            break;
        case model::ServiceKind::streams:
            out.settings.push_back(plain("application.id", c.application_id));
            if (c.exactly_once) {
                out.settings.push_back(plain("processing.guarantee", "exactly_once_v2"));
            }
            break;
        case model::ServiceKind::connect:
            out.settings.push_back(plain("group.id", c.connect_group));
            out.settings.push_back(plain("config.storage.topic", c.configs_topic));
            out.settings.push_back(plain("offset.storage.topic", c.offsets_topic));
            out.settings.push_back(plain("status.storage.topic", c.status_topic));
            break;
    }
    return out;
}

/// Kafka Connect gives connectors their own clients, configured by the worker's settings
/// prefixed with producer., consumer. and admin. (Kafka documentation, "Kafka Connect" security).
std::vector<ClientSetting> with_connector_clients(const ClientConfig& c,
                                                  const std::vector<ClientSetting>& connection) {
    std::vector<ClientSetting> out = connection;
    if (c.kind != model::ServiceKind::connect) {
        return out;
    }
    for (std::string_view prefix : {"admin.", "consumer.", "producer."}) {
        for (const ClientSetting& s : connection) {
            if (s.key == "bootstrap.servers") {
                continue;
            }
            ClientSetting copy = s;
            copy.key = std::string(prefix) + s.key;
            out.push_back(std::move(copy));
        }
    }
    return out;
}

/// java.util.Properties escaping: backslash, line breaks, and in keys also '=', ':' and spaces.
std::string properties_escape(std::string_view text, bool key) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char ch = text[i];
        if (ch == '\\') {
            out += "\\\\";
        } else if (ch == '\n') {
            out += "\\n";
        } else if (ch == '\r') {
            out += "\\r";
        } else if ((key && (ch == '=' || ch == ':' || ch == ' ' || ch == '#' || ch == '!')) ||
                   (!key && i == 0 && ch == ' ')) {
            out += '\\';
            out += ch;
        } else {
            out += ch;
        }
    }
    return out;
}

std::string comment_lines(const std::vector<std::string>& lines) {
    std::string out;
    for (const std::string& line : lines) {
        out += "# " + line + "\n";
    }
    return out;
}

std::vector<std::string> header_lines(const ClientConfig& c) {
    std::vector<std::string> out;
    out.push_back(fmt::format("Kafka client settings of {} service '{}'.",
                              model::service_kind_name(c.kind), c.service));
    out.push_back(
        fmt::format("Its pods must run as service account '{}': the mesh admits '{}' only.",
                    c.service_account, c.mesh_principal));
    if (!c.user.empty()) {
        out.push_back(
            fmt::format("Kafka user '{}'. Credentials are named, never printed.", c.user));
    }
    for (const std::string& note : c.notes) {
        out.push_back("Note: " + note + ".");
    }
    return out;
}

/// KAFKA_ followed by the key upper-cased with '.' and '-' as '_': the environment variables a
/// MicroProfile Config application (Quarkus) reads as the kafka.* settings (MicroProfile Config
/// environment mapping; Quarkus Kafka guide: default-kafka-broker holds `kafka.` and `KAFKA_`).
std::string env_name(std::string_view key, std::string_view prefix = "KAFKA_") {
    std::string out(prefix);
    for (char ch : key) {
        out += (ch == '.' || ch == '-')
                   ? '_'
                   : static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    }
    return out;
}

/// Spring Boot's environment variable for a property: '.' as '_', '-' removed, upper case
/// (Spring Boot reference, "Binding From Environment Variables").
std::string spring_env_name(std::string_view key) {
    std::string out;
    for (char ch : key) {
        if (ch == '-') {
            continue;
        }
        out += ch == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    }
    return out;
}

std::string render_properties(const ClientConfig& c, const std::vector<ClientSetting>& connection,
                              std::string_view key_prefix) {
    IdSettings ids = id_settings(c);
    std::vector<std::string> header = header_lines(c);
    header.insert(header.end(), ids.comments.begin(), ids.comments.end());
    std::string out = comment_lines(header);
    std::vector<ClientSetting> all = connection;
    all.insert(all.end(), ids.settings.begin(), ids.settings.end());
    for (const ClientSetting& s : all) {
        std::string key = std::string(key_prefix) + s.key;
        if (s.secret) {
            out += "# " + secret_comment(key, s) + "\n";
        } else {
            out += properties_escape(key, true) + "=" + properties_escape(s.value, false) + "\n";
        }
    }
    return out;
}

/// A Quarkus Kafka Streams application's property for a Streams setting: the few that
/// quarkus.kafka-streams.* defines (KafkaStreamsRuntimeConfig, SaslConfig), the rest passed to
/// Streams from kafka-streams.* (quarkusio/quarkus extensions/kafka-streams/runtime,
/// KafkaStreamsPropertiesUtil).
std::string quarkus_streams_key(const std::string& java) {
    if (java == "bootstrap.servers") {
        return "quarkus.kafka-streams.bootstrap-servers";
    }
    if (java == "application.id") {
        return "quarkus.kafka-streams.application-id";
    }
    if (java == "security.protocol" || java == "sasl.mechanism") {
        return "quarkus.kafka-streams." + java;
    }
    if (java == "sasl.jaas.config") {
        return "quarkus.kafka-streams.sasl.jaas-config";
    }
    return "kafka-streams." + java;
}

/// One variable of `--format env`: a secret as a comment naming where it comes from, a value
/// quoted only when needed (plain values also read as they are from a Docker --env-file, which
/// takes quotes literally; the file stays sourceable by sh).
std::string env_line(const std::string& name, const ClientSetting& s) {
    if (s.secret) {
        return "# " + secret_comment(name, s) + "\n";
    }
    return name + "=" +
           (util::is_plain_shell_word(s.value) ? s.value : util::shell_quote(s.value)) + "\n";
}

/// The environment of a Quarkus Kafka Streams service: QUARKUS_KAFKA_STREAMS_* for what
/// quarkus.kafka-streams.* defines. KafkaStreamsPropertiesUtil collects kafka-streams.* by
/// scanning the configuration's property names for that prefix, and an environment variable is
/// listed under its own name (KAFKA_STREAMS_...), so the others are said to belong in
/// application.properties rather than written as variables nothing reads.
std::string render_streams_env(const std::vector<ClientSetting>& all) {
    std::string out;
    for (const ClientSetting& s : all) {
        std::string key = quarkus_streams_key(s.key);
        if (key.rfind("kafka-streams.", 0) == 0) {
            out += fmt::format(
                "# {}: set it in application.properties (--format quarkus); "
                "Quarkus finds kafka-streams.* by name, not in the environment\n",
                s.secret ? key : key + "=" + s.value);
            continue;
        }
        out += env_line(env_name(key, ""), s);
    }
    return out;
}

std::string render_env(const ClientConfig& c) {
    IdSettings ids = id_settings(c);
    std::vector<std::string> header = header_lines(c);
    header.insert(header.end(), ids.comments.begin(), ids.comments.end());
    std::string out = comment_lines(header);
    std::vector<ClientSetting> all = with_connector_clients(c, c.connection);
    all.insert(all.end(), ids.settings.begin(), ids.settings.end());
    if (c.kind == model::ServiceKind::streams) {
        return out + render_streams_env(all);
    }
    for (const ClientSetting& s : all) {
        out += env_line(env_name(s.key), s);
    }
    return out;
}

std::string render_json(const ClientConfig& c) {
    Json j = Json::object();
    j["service"] = c.service;
    j["kind"] = model::service_kind_name(c.kind);
    j["serviceAccount"] = c.service_account;
    j["meshPrincipal"] = c.mesh_principal;
    j["kafkaUser"] = c.user.empty() ? Json() : Json(c.user);
    Json properties = Json::object();
    Json secrets = Json::array();
    IdSettings ids = id_settings(c);
    std::vector<ClientSetting> all = with_connector_clients(c, c.connection);
    all.insert(all.end(), ids.settings.begin(), ids.settings.end());
    for (const ClientSetting& s : all) {
        if (!s.secret) {
            properties[s.key] = s.value;
            continue;
        }
        Json ref = {{"property", s.key},
                    {"namespace", s.secret->ns},
                    {"secret", s.secret->name},
                    {"key", s.secret->key},
                    {"file", s.secret->file}};
        if (!s.value.empty()) {
            ref["template"] = s.value;
        }
        secrets.push_back(std::move(ref));
    }
    j["properties"] = std::move(properties);
    j["secrets"] = std::move(secrets);
    j["groupIds"] = c.groups;
    if (!c.transactional_id.empty()) {
        j["transactionalId"] = {{"id", c.transactional_id}, {"prefix", c.transactional_prefix}};
    }
    if (!c.application_id.empty()) {
        j["applicationId"] = c.application_id;
    }
    j["notes"] = c.notes;
    return j.dump(2) + "\n";
}

/// Spring Boot's keys (spring-boot KafkaProperties: bootstrap-servers, security.protocol, ssl.*,
/// consumer.group-id, producer.transaction-id-prefix, streams.application-id, and the free-form
/// `properties` maps passed to every client).
std::string spring_key(const std::string& java_key) {
    static const std::map<std::string, std::string> keys = {
        {"bootstrap.servers", "spring.kafka.bootstrap-servers"},
        {"security.protocol", "spring.kafka.security.protocol"},
        {"ssl.keystore.type", "spring.kafka.ssl.key-store-type"},
        {"ssl.keystore.location", "spring.kafka.ssl.key-store-location"},
        {"ssl.keystore.password", "spring.kafka.ssl.key-store-password"},
        {"ssl.truststore.type", "spring.kafka.ssl.trust-store-type"},
        {"ssl.truststore.location", "spring.kafka.ssl.trust-store-location"},
        {"ssl.truststore.password", "spring.kafka.ssl.trust-store-password"},
    };
    auto it = keys.find(java_key);
    return it != keys.end() ? it->second : "spring.kafka.properties." + java_key;
}

/// Sets `path` (dotted below spring.kafka; the last part may itself hold dots, a map key).
void set_path(Value& root, const std::vector<std::string>& path, Value value) {
    Value* at = &root;
    for (std::size_t i = 0; i + 1 < path.size(); ++i) {
        Value* next = at->find(path[i]);
        at = next ? next : &at->set(path[i], Value::mapping());
    }
    at->set(path.back(), std::move(value));
}

std::vector<std::string> spring_path(const std::string& key) {
    constexpr std::string_view properties = "spring.kafka.properties.";
    if (key.rfind(properties, 0) == 0) {
        return {"spring", "kafka", "properties", key.substr(properties.size())};
    }
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t dot = key.find('.'); dot != std::string::npos; dot = key.find('.', start)) {
        out.push_back(key.substr(start, dot - start));
        start = dot + 1;
    }
    out.push_back(key.substr(start));
    return out;
}

std::string render_spring(const ClientConfig& c) {
    Value root = Value::mapping();
    std::vector<std::string> comments = header_lines(c);
    for (const ClientSetting& s : c.connection) {
        std::string key = spring_key(s.key);
        if (s.secret) {
            comments.push_back(
                secret_comment(fmt::format("{} (environment {})", key, spring_env_name(key)), s));
        } else {
            set_path(root, spring_path(key), Value::string(s.value));
        }
    }
    switch (c.kind) {
        case model::ServiceKind::app:
            if (c.groups.size() == 1) {
                set_path(root, {"spring", "kafka", "consumer", "group-id"},
                         Value::string(c.groups.front()));
            } else if (c.groups.size() > 1) {
                comments.push_back(fmt::format(
                    "group-id: one per listener (@KafkaListener groupId); this service consumes "
                    "as the groups '{}'",
                    fmt::join(c.groups, "', '")));
            }
            if (!c.transactional_id.empty() && c.transactional_prefix) {
                // Spring appends a number to the prefix per producer (DefaultKafkaProducerFactory).
                set_path(root, {"spring", "kafka", "producer", "transaction-id-prefix"},
                         Value::string(c.transactional_id));
            } else if (!c.transactional_id.empty()) {
                comments.push_back(fmt::format(
                    "transaction-id-prefix: not set; Spring appends a number to it, and the "
                    "topology allows the literal transactional id '{}' only",
                    c.transactional_id));
            }
            break;
        case model::ServiceKind::streams:
            set_path(root, {"spring", "kafka", "streams", "application-id"},
                     Value::string(c.application_id));
            if (c.exactly_once) {
                set_path(root, {"spring", "kafka", "streams", "properties", "processing.guarantee"},
                         Value::string("exactly_once_v2"));
            }
            break;
        case model::ServiceKind::connect:
            break;  // unsupported_format refuses it
    }
    std::string out = comment_lines(comments);
    if (!root.empty()) {
        out += write_yaml(root);
    }
    return out;
}

std::string render_quarkus(const ClientConfig& c) {
    bool streams = c.kind == model::ServiceKind::streams;
    // Kafka Streams: quarkus.kafka-streams.* (KafkaStreamsRuntimeConfig, SaslConfig) and
    // kafka-streams.* passed to Streams as is (KafkaStreamsPropertiesUtil). Messaging: every
    // kafka.* property goes to every channel's client (Quarkus Kafka guide, "Kafka
    // Configuration Resolution": the default-kafka-broker map).
    auto key_of = [&](const std::string& java) -> std::string {
        return streams ? quarkus_streams_key(java) : "kafka." + java;
    };
    IdSettings ids = id_settings(c);
    std::vector<std::string> header = header_lines(c);
    if (!streams) {
        header.insert(header.end(), ids.comments.begin(), ids.comments.end());
    }
    std::string out = comment_lines(header);
    for (const ClientSetting& s : c.connection) {
        std::string key = key_of(s.key);
        if (s.secret) {
            out += "# " + secret_comment(key, s) + " (environment: " + env_name(key, "") + ")\n";
        } else {
            out += properties_escape(key, true) + "=" + properties_escape(s.value, false) + "\n";
        }
    }
    for (const ClientSetting& s : ids.settings) {
        std::string key = key_of(s.key);
        out += properties_escape(key, true) + "=" + properties_escape(s.value, false) + "\n";
    }
    return out;
}

/// An id the client can use for a group or transactional-id reference, and whether any id
/// with it as prefix is allowed too: a literal as is, a prefix "p*" as "p" (a prefixed ACL
/// matches the prefix itself), the wildcard as "<service>-".
std::pair<std::string, bool> concrete_id(const std::string& reference, const model::Service& s) {
    model::Reference ref = model::parse_reference(reference);
    switch (ref.kind) {
        case model::Reference::Kind::literal:
            return {ref.name, false};
        case model::Reference::Kind::prefix:
            return {ref.name, true};
        case model::Reference::Kind::wildcard:
            return {s.name.value + "-", true};
        case model::Reference::Kind::invalid:
            break;
    }
    return {ref.name, false};  // reported by the checks; the front end stops before this
}

}  // namespace

const std::vector<std::string_view>& client_format_names() {
    static const std::vector<std::string_view> names = {"properties", "env",    "json",
                                                        "librdkafka", "spring", "quarkus"};
    return names;
}

std::string bootstrap_servers(const model::Topology& t) {
    model::MeshNames names = model::mesh_names(t);
    return fmt::format("{}.{}.svc:{}", names.bootstrap_service, t.kafka->ns.value,
                       t.kafka->listener_port);
}

std::optional<ClientFormat> parse_client_format(std::string_view name) {
    const auto& names = client_format_names();
    auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end()) {
        return std::nullopt;
    }
    return static_cast<ClientFormat>(it - names.begin());
}

ClientConfig client_config(const model::Topology& t, const graph::AccessGraph& graph,
                           const model::Service& s) {
    ClientConfig c;
    c.service = s.ns.value + "/" + s.name.value;
    c.kind = s.kind;
    c.service_account = s.account();
    c.mesh_principal = model::mesh_principal(t.mesh.trust_domain.value, s.ns.value, s.account());
    const graph::Identity* id = identity_of(graph, s);
    // As emit_strimzi decides: every identity has a Kafka user unless the cluster uses 'mesh',
    // where the mesh identity names the client and there is no credential.
    bool grants = id && (!id->acls.empty() || id->super_user);
    if (!grants) {
        c.notes.push_back(
            "the service holds no ACL and is no super user: Kafka denies it everything");
    }
    if (id && has_kafka_user(*id) && id->authentication != model::Authentication::mesh) {
        c.user = id->user;
    }
    c.connection = connection_settings(t, s.ns.value, c.user, false, c.notes);
    std::vector<std::string> ignored;  // the same notes as the first call's
    c.connection_librdkafka = connection_settings(t, s.ns.value, c.user, true, ignored);
    if (!c.user.empty() && t.kafka->authentication == model::Authentication::scram_sha_512) {
        // Verified on a real Kafka 4.1 broker (tests/broker): librdkafka 2.0.2 sends its client
        // nonce twice in the SCRAM exchange, which Kafka 4 refuses; fixed in 2.6.1
        // (confluentinc/librdkafka#4895).
        c.notes_librdkafka.push_back(
            "librdkafka before 2.6.1 cannot log in with SCRAM-SHA-512 to Kafka 4.0 or later "
            "(confluentinc/librdkafka#4895): use 2.6.1 or later");
    }
    switch (s.kind) {
        case model::ServiceKind::app:
            for (const model::Consume& consume : s.consumes) {
                auto [group, prefix] = concrete_id(model::consume_group_id(s, consume), s);
                if (std::find(c.groups.begin(), c.groups.end(), group) == c.groups.end()) {
                    if (prefix) {
                        c.prefix_groups.push_back(group);
                    }
                    c.groups.push_back(std::move(group));
                }
            }
            if (s.transactional_id) {
                auto [id, prefix] = concrete_id(s.transactional_id->value, s);
                c.transactional_id = std::move(id);
                c.transactional_prefix = prefix;
            }
            break;
        case model::ServiceKind::streams:
            c.application_id = model::streams_application_id(s);
            c.exactly_once = s.exactly_once.value_or(false);
            // Streams consumes as its application id and, with exactly-once, names its
            // transactional ids "<application id>-..." (the ACL recipes grant both).
            c.groups.push_back(c.application_id);
            break;
        case model::ServiceKind::connect: {
            c.connect_group = model::connect_group_id(s);
            model::StorageTopics storage = model::connect_storage_topics(s);
            c.configs_topic = storage.configs;
            c.offsets_topic = storage.offsets;
            c.status_topic = storage.status;
            c.groups.push_back(c.connect_group);
            if (s.connect) {
                for (const model::Connector& connector : s.connect->connectors) {
                    if (!connector.consumes.empty()) {
                        c.notes.push_back(fmt::format(
                            "sink connector '{}' consumes as group 'connect-{}', the name Kafka "
                            "Connect gives it",
                            connector.name.value, connector.name.value));
                    }
                }
            }
            break;
        }
    }
    return c;
}

std::optional<std::string> unsupported_format(const ClientConfig& c, ClientFormat format) {
    if (c.kind == model::ServiceKind::connect &&
        (format == ClientFormat::spring || format == ClientFormat::quarkus ||
         format == ClientFormat::librdkafka)) {
        return "a connect service is a Kafka Connect worker: use properties, env or json";
    }
    if (c.kind == model::ServiceKind::streams && format == ClientFormat::librdkafka) {
        return "a streams service runs Kafka Streams, a Java library: use properties, env, json, "
               "spring or quarkus";
    }
    return std::nullopt;
}

std::string render_client_config(const ClientConfig& c, ClientFormat format) {
    switch (format) {
        case ClientFormat::properties:
            return render_properties(c, with_connector_clients(c, c.connection), "");
        case ClientFormat::env:
            return render_env(c);
        case ClientFormat::json:
            return render_json(c);
        case ClientFormat::librdkafka: {
            ClientConfig with_notes = c;
            with_notes.notes.insert(with_notes.notes.end(), c.notes_librdkafka.begin(),
                                    c.notes_librdkafka.end());
            return render_properties(with_notes, c.connection_librdkafka, "");
        }
        case ClientFormat::spring:
            return render_spring(c);
        case ClientFormat::quarkus:
            return render_quarkus(c);
    }
    return "";
}

}  // namespace km::emit
