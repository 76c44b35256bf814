package dev.kafkamesh.broker;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

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

    /** Whether this kafkamesh has the apply command (`kafkamesh apply --help` exits 0). */
    static boolean available(Path kafkamesh) throws Exception {
        Process p = new ProcessBuilder(kafkamesh.toString(), "apply", "--help").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    /**
     * kafkamesh apply TOPOLOGY --bootstrap-server 127.0.0.1:<tls port> --command-config FILE.
     * Returns what it printed; throws with it when it does not exit 0.
     */
    static String run(Path kafkamesh, Topology topo, Broker broker, Path commandConfig) throws Exception {
        List<String> args = new ArrayList<>(List.of("apply"));
        topo.files.forEach(f -> args.add(f.toString()));
        args.addAll(List.of("--bootstrap-server", broker.bootstrapFor("SSL"), "--command-config", commandConfig.toString()));
        return ClientConfig.run(kafkamesh, args);
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

    /**
     * Until `kafkamesh apply` is in this build: the ALLOW and DENY rows of `kafkamesh access --format
     * json` for the token principals, one binding per operation, so the jobs and probes still run.
     * Only ever used together with a reported failure (TopologyRun.placeTokenAcls).
     */
    static List<AclBinding> fromAccessMatrix(Path kafkamesh, Topology topo) throws Exception {
        List<String> args = new ArrayList<>(List.of("access", "--format", "json"));
        topo.files.forEach(f -> args.add(f.toString()));
        JsonNode rows = new ObjectMapper().readTree(ClientConfig.run(kafkamesh, args)).get("rows");
        Map<String, Topology.Service> services = new java.util.HashMap<>();
        topo.services.forEach(s -> services.put(s.key(), s));
        List<AclBinding> out = new ArrayList<>();
        for (JsonNode row : rows) {
            Topology.Service s = services.get(row.get("identity").asText());
            ResourceType type = switch (row.get("resource_type").asText()) {
                case "topic" -> ResourceType.TOPIC;
                case "group" -> ResourceType.GROUP;
                case "transactionalId" -> ResourceType.TRANSACTIONAL_ID;
                case "cluster" -> ResourceType.CLUSTER;
                default -> null;  // mesh ports, and a super user's "*"
            };
            if (s == null || type == null) {
                continue;
            }
            String name = row.get("name").asText();
            boolean prefix = row.get("pattern").asText().equals("prefix");
            ResourcePattern pattern = type == ResourceType.CLUSTER
                    ? new ResourcePattern(type, "kafka-cluster", PatternType.LITERAL)
                    : new ResourcePattern(type, prefix && name.endsWith("*") ? name.substring(0, name.length() - 1) : name,
                            prefix ? PatternType.PREFIXED : PatternType.LITERAL);
            String principal = "User:system:serviceaccount:" + s.ns() + ":" + s.account();
            for (String field : List.of("allowed", "denied")) {
                for (JsonNode op : row.get(field)) {
                    out.add(new AclBinding(pattern, new AccessControlEntry(principal, "*", Adapter.operation(op.asText()),
                            field.equals("allowed") ? AclPermissionType.ALLOW : AclPermissionType.DENY)));
                }
            }
        }
        return out;
    }
}
