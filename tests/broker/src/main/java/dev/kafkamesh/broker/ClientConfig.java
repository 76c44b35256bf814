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
 */
final class ClientConfig {
    private static final Pattern SECRET = Pattern.compile(
            "^# (\\S+): (the path of a file holding )?key '([^']+)' of Secret '([^/']+)/([^']+)'");
    private static final Pattern USER = Pattern.compile("^# Kafka user '([^']+)'");

    final Properties props = new Properties();
    final List<String> missing = new ArrayList<>();
    String user;

    ClientConfig(String output, Broker broker) throws Exception {
        StringBuilder plain = new StringBuilder();
        List<String[]> secrets = new ArrayList<>();
        for (String line : output.split("\n")) {
            Matcher m = SECRET.matcher(line);
            Matcher u = USER.matcher(line);
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
