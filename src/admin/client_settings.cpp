// translate_settings: Java client settings to librdkafka 2.0.2's (CONFIGURATION.md of
// confluentinc/librdkafka v2.0.2 names every librdkafka key used here).
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include "admin/command_config.h"
#include "admin/oauth_token.h"

namespace km::admin {
namespace {

using diag::Code;

/// The librdkafka version that logs in to Kafka 4.x with SCRAM: 2.6.1 fixed the client-final
/// message (confluentinc/librdkafka#4895).
constexpr int k_scram_fixed = 0x020601ff;

/// The Java client's default login callback handler for OAUTHBEARER with a token endpoint
/// (apache/kafka, OAuthBearerLoginCallbackHandler), whose file: URLs kafkamesh reads itself.
constexpr std::string_view k_java_oauth_handler =
    "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler";

class Translator {
  public:
    Translator(const std::vector<Setting>& java, diag::DiagnosticSink& sink) : m_sink(sink) {
        for (const Setting& s : java) {
            m_java[s.key] = s;
        }
    }

    std::optional<ClientSettings> run(int librdkafka_version) {
        security();
        jaas();
        truststore();
        keystore();
        for (auto& [key, s] : m_java) {
            if (!m_used.contains(key)) {
                pass_through(s);
            }
        }
        if (m_errors) {
            return std::nullopt;
        }
        std::sort(m_out.settings.begin(), m_out.settings.end(),
                  [](const Setting& a, const Setting& b) { return a.key < b.key; });
        if (m_out.scram && librdkafka_version < k_scram_fixed) {
            auto& d = m_sink.report(
                Code::KM805, m_out.scram_location,
                fmt::format("librdkafka {}.{}.{} cannot log in with SCRAM to Kafka 4.x: it sends "
                            "the client nonce twice in its final message",
                            (librdkafka_version >> 24) & 0xff, (librdkafka_version >> 16) & 0xff,
                            (librdkafka_version >> 8) & 0xff));
            diag::add_note(d, {}, "fixed in librdkafka 2.6.1 (confluentinc/librdkafka#4895)");
            diag::add_help(d,
                           "log in with a TLS client certificate (security.protocol=SSL) or a "
                           "service-account token (sasl.mechanism=OAUTHBEARER), or set "
                           "KAFKAMESH_LIBRDKAFKA to a librdkafka 2.6.1 or later");
        }
        return std::move(m_out);
    }

  private:
    const Setting* take(const std::string& key) {
        auto it = m_java.find(key);
        if (it == m_java.end()) {
            return nullptr;
        }
        m_used.insert(key);
        return &it->second;
    }

    void set(const std::string& key, const std::string& value, diag::Location where) {
        m_out.settings.push_back({key, value, where});
    }

    void refuse(const Setting& s, const std::string& why, const std::string& help = "") {
        auto& d = m_sink.report(Code::KM804, s.location,
                                fmt::format("'{}' cannot be given to librdkafka: {}", s.key, why));
        if (!help.empty()) {
            diag::add_help(d, help);
        }
        m_errors = true;
    }

    void security() {
        if (const Setting* s = take("sasl.mechanism")) {
            set("sasl.mechanism", s->value, s->location);
            if (s->value.rfind("SCRAM-", 0) == 0) {
                m_out.scram = true;
                m_out.scram_location = s->location;
            }
        }
        if (const Setting* s = take("sasl.oauthbearer.token.endpoint.url")) {
            m_out.token_file = token_file_path(s->value);
            m_out.token_location = s->location;
            if (m_out.token_file.empty()) {
                refuse(*s, "kafkamesh reads a token from a file: URL only",
                       "point it at the projected service-account token, e.g. "
                       "file:/var/run/secrets/kafka/token");
            }
        }
        if (const Setting* s = take("sasl.login.callback.handler.class")) {
            if (s->value != k_java_oauth_handler) {
                refuse(*s, "a Java class librdkafka cannot run");
            }
        }
        if (const Setting* s = take("ssl.endpoint.identification.algorithm")) {
            // Java turns host name checking off with an empty value, librdkafka with "none".
            set(s->key, s->value.empty() ? "none" : s->value, s->location);
        }
    }

    /// sasl.jaas.config: PLAIN and SCRAM logins give user and password; OAUTHBEARER none.
    void jaas() {
        const Setting* s = take("sasl.jaas.config");
        if (!s) {
            return;
        }
        static const std::regex module(
            R"(^\s*([A-Za-z0-9_.$]+)\s+(required|requisite|sufficient|optional)\s*(.*?);?\s*$)");
        std::smatch m;
        if (!std::regex_match(s->value, m, module)) {
            refuse(*s, "not a JAAS login module line ('<LoginModule> required k=\"v\" ...;')");
            return;
        }
        std::string name = m[1].str();
        std::string options = m[3].str();
        static const std::regex option(R"re(\s*([A-Za-z0-9_.]+)\s*=\s*"((?:[^"\\]|\\.)*)"\s*)re");
        std::map<std::string, std::string> values;
        for (std::sregex_iterator it(options.begin(), options.end(), option), end; it != end;
             ++it) {
            values[(*it)[1].str()] = (*it)[2].str();
        }
        bool plain = name.ends_with(".PlainLoginModule") || name.ends_with(".ScramLoginModule");
        if (plain && values.size() == 2 && values.contains("username") &&
            values.contains("password")) {
            set("sasl.username", values["username"], s->location);
            set("sasl.password", values["password"], s->location);
        } else if (name.ends_with(".OAuthBearerLoginModule") && values.empty()) {
            // The token comes from sasl.oauthbearer.token.endpoint.url.
        } else {
            refuse(*s, fmt::format("kafkamesh translates the PLAIN and SCRAM login modules with "
                                   "exactly username and password, and OAuthBearerLoginModule "
                                   "without options; not '{}' with these options",
                                   name));
        }
    }

    /// A Java truststore: PEM only (librdkafka reads no JKS and, for CAs, no PKCS#12).
    void truststore() {
        const Setting* type = take("ssl.truststore.type");
        const Setting* location = take("ssl.truststore.location");
        const Setting* password = take("ssl.truststore.password");
        if (const Setting* pem = take("ssl.truststore.certificates")) {
            set("ssl.ca.pem", pem->value, pem->location);
        }
        if (!location) {
            return;
        }
        if (!type || type->value != "PEM") {
            refuse(*location,
                   fmt::format("a {} truststore, which librdkafka cannot read",
                               type ? type->value : std::string("JKS (the Java default)")),
                   "export the CA certificates as PEM and set ssl.truststore.type=PEM, or "
                   "ssl.ca.location");
            return;
        }
        set("ssl.ca.location", location->value, location->location);
        (void)password;  // a PEM truststore has no password (the Java client refuses one)
    }

    /// A Java keystore: PKCS#12 as librdkafka's ssl.keystore.*, PEM as certificate and key.
    void keystore() {
        const Setting* type = take("ssl.keystore.type");
        const Setting* location = take("ssl.keystore.location");
        const Setting* password = take("ssl.keystore.password");
        const Setting* key_password = take("ssl.key.password");
        if (const Setting* chain = take("ssl.keystore.certificate.chain")) {
            set("ssl.certificate.pem", chain->value, chain->location);
        }
        if (const Setting* key = take("ssl.keystore.key")) {
            set("ssl.key.pem", key->value, key->location);
        }
        std::string kind = type ? type->value : "";
        if (location && kind.empty() &&
            (location->value.ends_with(".p12") || location->value.ends_with(".pfx"))) {
            kind = "PKCS12";
        }
        if (location && kind == "PKCS12") {
            set("ssl.keystore.location", location->value, location->location);
            if (password) {
                set("ssl.keystore.password", password->value, password->location);
            }
            // librdkafka opens the key with the keystore's password.
            if (key_password && (!password || key_password->value != password->value)) {
                refuse(*key_password,
                       "librdkafka opens a PKCS#12 key with the keystore's "
                       "password, and this one differs");
            }
        } else if (location && kind == "PEM") {
            // One PEM file holds the key and its chain; OpenSSL reads each from it.
            set("ssl.certificate.location", location->value, location->location);
            set("ssl.key.location", location->value, location->location);
            if (key_password) {
                set("ssl.key.password", key_password->value, key_password->location);
            }
        } else if (location) {
            refuse(*location,
                   fmt::format("a {} keystore, which librdkafka cannot read",
                               kind.empty() ? std::string("JKS (the Java default)") : kind),
                   "use a PKCS#12 keystore (ssl.keystore.type=PKCS12) or PEM files "
                   "(ssl.certificate.location, ssl.key.location)");
        } else if (key_password) {
            set("ssl.key.password", key_password->value, key_password->location);
        }
    }

    /// Any other key: librdkafka's own names pass; Java-only names are refused by the client
    /// when librdkafka does not know them (rd_kafka_conf_set, KM804 there).
    void pass_through(const Setting& s) { set(s.key, s.value, s.location); }

    diag::DiagnosticSink& m_sink;
    std::map<std::string, Setting> m_java;
    std::set<std::string> m_used;
    ClientSettings m_out;
    bool m_errors = false;
};

}  // namespace

std::optional<ClientSettings> translate_settings(const std::vector<Setting>& java,
                                                 int librdkafka_version,
                                                 diag::DiagnosticSink& sink) {
    return Translator(java, sink).run(librdkafka_version);
}

}  // namespace km::admin
