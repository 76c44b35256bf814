package dev.kafkamesh.broker;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service's client settings, taken only from `kafkamesh client-config --format properties`: the
 * printed settings, and each secret setting the output names (a commented line naming the Secret
 * and key) filled in from the Secret the adapter wrote. The one change: bootstrap.servers names the
 * in-cluster Service, which is replaced by the loopback listener of the same security protocol.
 * With a service-account token, the token file and the JVM option allowing it are read from the
 * output too, and presentToken() points both at the file of a token minted for the service.
 */
final class ClientConfig {
    private static final Pattern SECRET = Pattern.compile(
            "^# (\\S+): (the path of a file holding )?key '([^']+)' of Secret '([^/']+)/([^']+)'");
    private static final Pattern USER = Pattern.compile("^# Kafka user '([^']+)'");
    private static final Pattern ALLOWED_URLS = Pattern.compile("-D" + Pattern.quote(TokenListener.ALLOWED_URLS) + "=(\\S+)");
    private static final Pattern AUDIENCE = Pattern.compile("serviceAccountToken \\(audience '([^']+)'");
    static final String TOKEN_URL = "sasl.oauthbearer.token.endpoint.url";

    final Properties props = new Properties();
    final List<String> missing = new ArrayList<>();
    String user;
    /** authentication service-account-token: the JVM option's value and the projected audience, as printed. */
    String tokenAllowedUrls;
    String tokenAudience;

    ClientConfig(String output, Broker broker) throws Exception {
        StringBuilder plain = new StringBuilder();
        List<String[]> secrets = new ArrayList<>();
        for (String line : output.split("\n")) {
            Matcher m = SECRET.matcher(line);
            Matcher u = USER.matcher(line);
            Matcher a = ALLOWED_URLS.matcher(line);
            Matcher aud = AUDIENCE.matcher(line);
            if (line.startsWith("#") && a.find()) {
                tokenAllowedUrls = a.group(1);
            }
            if (line.startsWith("#") && aud.find()) {
                tokenAudience = aud.group(1);
            }
            if (m.find()) {
                secrets.add(new String[] {m.group(1), m.group(4) + "/" + m.group(5), m.group(3)});
            } else if (u.find()) {
                user = u.group(1);
            } else if (!line.startsWith("#")) {
                plain.append(line).append('\n');
            }
        }
        props.load(new StringReader(plain.toString()));
        for (String[] s : secrets) {
            Map<String, String> secret = Adapter.SECRETS.get(s[1]);
            String value = secret == null ? null : secret.get(s[2]);
            if (value == null) {
                missing.add(s[0] + " <- Secret " + s[1] + " key " + s[2]);
            } else {
                props.setProperty(s[0], value);
            }
        }
        props.setProperty("bootstrap.servers",
                broker.bootstrapFor(props.getProperty("security.protocol", "PLAINTEXT")));
    }

    boolean usesToken() {
        return "OAUTHBEARER".equals(props.getProperty("sasl.mechanism"));
    }

    /**
     * The service presents the token in tokenFile to the listener at bootstrap: the two values of the
     * printed settings that name the cluster (bootstrap.servers and the token file's path), replaced.
     * The JVM option the output asks for must allow exactly the token URL it prints (Kafka compares
     * the strings, kafka-clients 4.1.1 ConfigurationUtils.throwIfResourceIsNotAllowed); the harness
     * then allows the replaced URL, as the option would in the pod.
     */
    void presentToken(String bootstrap, Path tokenFile, String subject) {
        String printed = props.getProperty(TOKEN_URL);
        if (printed == null || tokenAllowedUrls == null || !List.of(tokenAllowedUrls.split(",")).contains(printed)) {
            missing.add("the printed JVM option " + TokenListener.ALLOWED_URLS + "=" + tokenAllowedUrls
                    + " does not allow the printed " + TOKEN_URL + "=" + printed);
        }
        String url = "file:" + tokenFile.toAbsolutePath();
        allowUrl(url);
        props.setProperty(TOKEN_URL, url);
        props.setProperty("bootstrap.servers", bootstrap);
        user = subject;
    }

    /**
     * Adds a URL to the JVM's allowed OAuth URLs. Kafka reads the property at each configure (the
     * System.getProperty in ConfigurationUtils.throwIfResourceIsNotAllowed, kafka-clients 4.1.1), not
     * once, so a URL added before a client is made is enough; the broker's JWKS URL is added before
     * the broker starts.
     */
    static synchronized void allowUrl(String url) {
        String now = System.getProperty(TokenListener.ALLOWED_URLS, "");
        if (!List.of(now.split(",")).contains(url)) {
            System.setProperty(TokenListener.ALLOWED_URLS, now.isEmpty() ? url : now + "," + url);
        }
    }

    static String run(Path kafkamesh, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(kafkamesh.toString());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes());
        String err = new String(p.getErrorStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + err);
        }
        return out;
    }
}
