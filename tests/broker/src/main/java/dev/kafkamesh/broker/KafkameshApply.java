package dev.kafkamesh.broker;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;


/**
 * The ACLs of service-account-token principals. No KafkaUser can be named
 * system:serviceaccount:<ns>:<sa> (a Kubernetes name has no ':'), so the User Operator cannot hold
 * them: `kafkamesh apply` writes them over the Admin API. It runs here as it runs beside a cluster,
 * against the TLS listener with a super user's certificate, from a Java properties file.
 */
final class KafkameshApply {
    /** The apply admin's certificate subject; Broker adds User:CN=<this> to super.users. */
    static final String ADMIN_CN = "kafkamesh-apply";

    private KafkameshApply() {}

    record Outcome(int exit, String stdout, String stderr) {}

    /** kafkamesh apply TOPOLOGY --bootstrap-server 127.0.0.1:<tls port> --command-config FILE. */
    static Outcome run(Path kafkamesh, Topology topo, Broker broker, Path commandConfig) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(kafkamesh.toString(), "apply"));
        topo.files.forEach(f -> cmd.add(f.toString()));
        cmd.addAll(List.of("--bootstrap-server", broker.bootstrapFor("SSL"), "--command-config", commandConfig.toString()));
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes());
        String err = new String(p.getErrorStream().readAllBytes());
        return new Outcome(p.waitFor(), out, err);
    }

    /** The kafka-acls.sh command lines apply printed ("kafkamesh apply: note: place with: ..."). */
    static List<String> printedAclCommands(String stderr) {
        String marker = "kafkamesh apply: note: place with: ";
        return stderr.lines().filter(l -> l.startsWith(marker)).map(l -> l.substring(marker.length())).toList();
    }

    /**
     * Runs one printed command with Kafka's own AclCommand (kafka-acls.sh's class) in a JVM of its
     * own, as the script would: the words are the shell's (single quotes as kafkamesh writes them).
     * Returns null on success, else what it printed.
     */
    static String runAclCommand(String line, Broker broker, Path commandConfig) throws Exception {
        List<String> words = shellWords(line);
        if (words.isEmpty() || !words.get(0).equals("kafka-acls.sh")) {
            return "not a kafka-acls.sh command";
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "org.apache.kafka.tools.AclCommand"));
        cmd.addAll(words.subList(1, words.size()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        return p.waitFor() == 0 ? null : out;
    }

    /** POSIX shell words of a line of plain words and '...' quoting ('\'' for a quote). */
    static List<String> shellWords(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                word.append(line, i + 1, end);
                i = end;
                inWord = true;
            } else if (c == '\\') {
                word.append(line.charAt(++i));
                inWord = true;
            } else if (c == ' ') {
                if (inWord) {
                    out.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            out.add(word.toString());
        }
        return out;
    }

    /**
     * The --command-config file: the TLS listener with the apply admin's certificate and key in one
     * PEM file and the CA as a PEM truststore (Debian's librdkafka 2.0.2 reads PEM; it cannot use
     * SCRAM against Kafka 4, see README "kcat and import").
     */
    static Path commandConfig(Pki pki, Path dir) throws Exception {
        Files.createDirectories(dir);
        Path pem = dir.resolve("kafkamesh-apply.pem");
        if (!Files.exists(pem)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(pki.keystore(ADMIN_CN, false))) {
                store.load(in, Pki.PASSWORD.toCharArray());
            }
            Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes());
            StringBuilder out = new StringBuilder("-----BEGIN PRIVATE KEY-----\n")
                    .append(b64.encodeToString(store.getKey("key", Pki.PASSWORD.toCharArray()).getEncoded()))
                    .append("\n-----END PRIVATE KEY-----\n");
            for (Certificate c : store.getCertificateChain("key")) {
                out.append("-----BEGIN CERTIFICATE-----\n").append(b64.encodeToString(c.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            }
            Files.writeString(pem, out.toString());
        }
        Path config = dir.resolve("admin.properties");
        Files.writeString(config, String.join("\n",
                "security.protocol=SSL",
                "ssl.truststore.type=PEM",
                "ssl.truststore.location=" + pki.caPem().toAbsolutePath(),
                "ssl.keystore.type=PEM",
                "ssl.keystore.location=" + pem.toAbsolutePath(), ""));
        return config;
    }

}
