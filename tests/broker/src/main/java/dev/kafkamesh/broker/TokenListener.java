package dev.kafkamesh.broker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.yaml.snakeyaml.Yaml;

/**
 * authentication: service-account-token, the broker side: the OAUTHBEARER listener exactly as
 * `kafkamesh compile` wrote it, made into broker properties the way the chart or the operator
 * would, then the three values only the test environment decides (README.md, "The OAUTHBEARER
 * listener"): the JWKS URL's host, the truststore file in the JAAS line, and the matching entry of
 * the JVM's allowed URLs.
 *
 * Strimzi: the Kafka CR's listener with authentication.type custom; the broker writes each
 * listenerConfig key as listener.name.<name>-<port>.<key> (strimzi-kafka-operator 1.2.0
 * KafkaBrokerConfigurationBuilder.configureAuthentication, ListenersUtils.identifier) and each
 * jvmOptions.javaSystemProperties entry as -D<name>=<value>.
 * Bitnami: the listener.name.client.* keys of overrideConfiguration (merged over the chart's map
 * with mustMergeOverwrite, bitnami/charts kafka templates/broker/configmap.yaml) and the -D options
 * of JAVA_TOOL_OPTIONS in controller.extraEnvVars, which every JVM reads at start.
 */
final class TokenListener {
    static final String ALLOWED_URLS = "org.apache.kafka.sasl.oauthbearer.allowed.urls";
    private static final Pattern MECHANISMS = Pattern.compile("^listener\\.name\\.([^.]+)\\.sasl\\.enabled\\.mechanisms$");

    /** The Kafka listener name (Strimzi PLAIN-9092, Bitnami CLIENT), possibly renamed on this broker. */
    String name;
    final String protocol;
    final String source;
    /** listener.name.<l>.<key> -> value, as compiled. */
    final Map<String, String> compiled = new LinkedHashMap<>();
    /** The JVM system properties the compiled output gives the broker. */
    final Map<String, String> jvm = new LinkedHashMap<>();
    /** What the chart adds around the compiled keys (Bitnami's PLAIN users on the same listener). */
    final Map<String, String> chart = new LinkedHashMap<>();
    /** Broker properties after the replacements; filled by configure(). */
    final Map<String, String> broker = new LinkedHashMap<>();
    final List<String> problems = new ArrayList<>();
    String loopbackJwksUrl;
    int port;

    private TokenListener(String name, String protocol, String source) {
        this.name = name;
        this.protocol = protocol;
        this.source = source;
    }

    /** The token listener of a compiled output directory, or null when it has none. */
    @SuppressWarnings("unchecked")
    static TokenListener read(Path compiled) throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.walk(compiled)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        for (Path f : files) {
            for (Object o : new Yaml().loadAll(Files.readString(f))) {
                if (!(o instanceof Map<?, ?> doc)) {
                    continue;
                }
                TokenListener t = "Kafka".equals(doc.get("kind")) ? fromStrimzi((Map<String, Object>) doc)
                        : doc.containsKey("overrideConfiguration") ? fromBitnami((Map<String, Object>) doc) : null;
                if (t != null) {
                    return t;
                }
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static TokenListener fromStrimzi(Map<String, Object> doc) {
        Map<String, Object> kafka = (Map<String, Object>) map(doc.get("spec")).get("kafka");
        for (Object o : list(map(kafka).get("listeners"))) {
            Map<String, Object> l = map(o);
            Map<String, Object> auth = map(l.get("authentication"));
            Map<String, Object> config = map(auth.get("listenerConfig"));
            if (!"custom".equals(auth.get("type")) || !String.valueOf(config.get("sasl.enabled.mechanisms")).contains("OAUTHBEARER")) {
                continue;
            }
            String id = l.get("name") + "-" + l.get("port");
            boolean tls = Boolean.TRUE.equals(l.get("tls"));
            boolean sasl = Boolean.TRUE.equals(auth.get("sasl"));
            TokenListener t = new TokenListener(id.toUpperCase(Locale.ENGLISH),
                    (tls ? (sasl ? "SASL_SSL" : "SSL") : (sasl ? "SASL_PLAINTEXT" : "PLAINTEXT")),
                    "Strimzi Kafka " + map(doc.get("metadata")).get("name") + " listener " + l.get("name"));
            config.forEach((k, v) -> t.compiled.put("listener.name." + id.toLowerCase(Locale.ENGLISH) + "." + k, String.valueOf(v)));
            for (Object p : list(map(map(kafka).get("jvmOptions")).get("javaSystemProperties"))) {
                t.jvm.put(String.valueOf(map(p).get("name")), String.valueOf(map(p).get("value")));
            }
            return t;
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static TokenListener fromBitnami(Map<String, Object> values) {
        Map<String, Object> overrides = map(values.get("overrideConfiguration"));
        String prefix = null;
        for (var e : overrides.entrySet()) {
            Matcher m = MECHANISMS.matcher(e.getKey());
            if (m.matches() && String.valueOf(e.getValue()).contains("OAUTHBEARER")) {
                prefix = "listener.name." + m.group(1) + ".";
            }
        }
        if (prefix == null) {
            return null;
        }
        String lower = prefix.substring("listener.name.".length(), prefix.length() - 1);
        // The chart's listener names (values listeners.<x>.name; client defaults to CLIENT).
        Map<String, Object> client = map(map(values.get("listeners")).get(lower));
        TokenListener t = new TokenListener(String.valueOf(client.getOrDefault("name", lower.toUpperCase(Locale.ENGLISH))),
                String.valueOf(client.getOrDefault("protocol", "SASL_PLAINTEXT")), "Bitnami values overrideConfiguration");
        for (var e : overrides.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                t.compiled.put(e.getKey(), String.valueOf(e.getValue()));
            }
        }
        for (String role : List.of("controller", "broker")) {
            for (Object env : list(map(values.get(role)).get("extraEnvVars"))) {
                if ("JAVA_TOOL_OPTIONS".equals(map(env).get("name"))) {
                    for (String opt : String.valueOf(map(env).get("value")).trim().split("\\s+")) {
                        if (opt.startsWith("-D") && opt.contains("=")) {
                            t.jvm.put(opt.substring(2, opt.indexOf('=')), opt.substring(opt.indexOf('=') + 1));
                        }
                    }
                }
            }
        }
        // The chart writes a JAAS line per enabled mechanism on every SASL listener; for PLAIN it
        // lists sasl.client.users with generated passwords (templates/_helpers.tpl, "Listeners SASL
        // JAAS configuration"). Kafka refuses to start a listener with a mechanism but no JAAS entry.
        String mechanisms = t.compiled.getOrDefault(prefix + "sasl.enabled.mechanisms", "");
        if (List.of(mechanisms.split(",")).contains("PLAIN")) {
            StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
            for (Object u : list(map(map(values.get("sasl")).get("client")).get("users"))) {
                jaas.append(" user_").append(u).append("=\"").append(java.util.UUID.randomUUID()).append('"');
            }
            t.chart.put(prefix + "plain.sasl.jaas.config", jaas.append(';').toString());
        }
        return t;
    }

    String prefix() {
        return "listener.name." + name.toLowerCase(Locale.ROOT) + ".";
    }

    /** A compiled value by the end of its key (mechanism-prefixed or not). */
    String value(String keyEnd) {
        for (var e : compiled.entrySet()) {
            if (e.getKey().endsWith("." + keyEnd)) {
                return e.getValue();
            }
        }
        return null;
    }

    String issuer() { return value("sasl.oauthbearer.expected.issuer"); }

    String compiledJwksUrl() { return value("sasl.oauthbearer.jwks.endpoint.url"); }

    /**
     * The broker properties: the compiled keys under this broker's listener name, with the JWKS
     * host replaced by the issuer's loopback server and the JAAS truststore by the test CA's PEM.
     * Everything else (validator class, handler class, mechanisms, issuer, audience) is as compiled.
     */
    void configure(String newName, TokenIssuer issuer, Pki pki) {
        String from = prefix();
        name = newName;
        String to = prefix();
        String jwks = compiledJwksUrl();
        if (jwks == null) {
            problems.add("no sasl.oauthbearer.jwks.endpoint.url in " + source);
            return;
        }
        loopbackJwksUrl = issuer.jwksUrl(jwks);
        // Kafka checks the configured URL against the property by exact string equality
        // (kafka-clients 4.1.1 ConfigurationUtils.throwIfResourceIsNotAllowed): the compiled property
        // must name the compiled URL, or the real broker would not start.
        String allowed = jvm.get(ALLOWED_URLS);
        if (allowed == null || !List.of(allowed.split(",")).stream().map(String::trim).toList().contains(jwks)) {
            problems.add("the compiled JVM option " + ALLOWED_URLS + "=" + allowed + " does not allow the compiled JWKS URL "
                    + jwks + ": Kafka would refuse to configure the listener");
        }
        Map<String, String> all = new LinkedHashMap<>(chart);
        all.putAll(compiled);
        for (var e : all.entrySet()) {
            String key = to + e.getKey().substring(from.length());
            String value = e.getValue();
            if (key.endsWith("sasl.oauthbearer.jwks.endpoint.url")) {
                value = loopbackJwksUrl;
            } else if (key.endsWith("sasl.jaas.config") && value.contains("OAuthBearerLoginModule")) {
                Matcher m = Pattern.compile("ssl\\.truststore\\.location=\"[^\"]*\"").matcher(value);
                if (!m.find()) {
                    problems.add("the OAUTHBEARER JAAS line names no ssl.truststore.location: the JWKS fetch would use the JVM's default trust store");
                }
                value = m.replaceAll(Matcher.quoteReplacement("ssl.truststore.location=\"" + pki.caPem().toAbsolutePath() + "\""));
            }
            broker.put(key, value);
        }
    }

    private static Map<String, Object> map(Object o) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = o instanceof Map<?, ?> ? (Map<String, Object>) o : Map.of();
        return m;
    }

    private static List<Object> list(Object o) {
        @SuppressWarnings("unchecked")
        List<Object> l = o instanceof List<?> ? (List<Object>) o : List.of();
        return l;
    }
}
