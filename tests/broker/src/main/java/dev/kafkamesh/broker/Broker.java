package dev.kafkamesh.broker;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.utils.Time;

/**
 * One Kafka node in KRaft combined mode (broker and controller) in this JVM, on loopback.
 *
 * Listeners: SCRAM (SASL_PLAINTEXT, SCRAM-SHA-512: what kafkamesh compiles for authentication
 * scram-sha-512, whose client listener is plain and wrapped by the mesh), TLS (SSL with required
 * client certificates: authentication tls), and two listeners of the platform itself, REPLICATION
 * (inter-broker, also used by the adapter like the operators use Strimzi's port 9091) and
 * CONTROLLER, both TLS with the broker's own certificate CN=kafkamesh-test-broker, a super user as
 * Strimzi's CN=<cluster>-kafka is. Each topology with authentication service-account-token adds
 * its OAUTHBEARER listener as compiled (TokenListener), under the listener name it compiles to.
 */
final class Broker implements AutoCloseable {
    static final String BROKER_CN = "kafkamesh-test-broker";
    final int scramPort;
    final int tlsPort;
    final int adminPort;
    private final int controllerPort;
    private final KafkaRaftServer server;
    private final Pki pki;

    Broker(Path dir, Pki pki, Set<String> superUsers) throws Exception {
        this(dir, pki, superUsers, java.util.List.of());
    }

    Broker(Path dir, Pki pki, Set<String> superUsers, java.util.List<TokenListener> tokens) throws Exception {
        this.pki = pki;
        scramPort = freePort();
        tlsPort = freePort();
        adminPort = freePort();
        controllerPort = freePort();
        Path brokerStore = pki.keystore(BROKER_CN, true);
        Set<String> supers = new TreeSet<>(superUsers);
        supers.add("User:CN=" + BROKER_CN);
        Map<String, String> p = new HashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        StringBuilder extra = new StringBuilder();
        StringBuilder extraProtocols = new StringBuilder();
        for (TokenListener t : tokens) {
            t.port = freePort();
            extra.append(',').append(t.name).append("://127.0.0.1:").append(t.port);
            extraProtocols.append(',').append(t.name).append(':').append(t.protocol);
        }
        p.put("listeners", "SCRAM://127.0.0.1:" + scramPort + ",TLS://127.0.0.1:" + tlsPort
                + ",REPLICATION://127.0.0.1:" + adminPort + ",CONTROLLER://127.0.0.1:" + controllerPort + extra);
        p.put("advertised.listeners", "SCRAM://127.0.0.1:" + scramPort + ",TLS://127.0.0.1:" + tlsPort
                + ",REPLICATION://127.0.0.1:" + adminPort + extra);
        p.put("listener.security.protocol.map",
                "SCRAM:SASL_PLAINTEXT,TLS:SSL,REPLICATION:SSL,CONTROLLER:SSL" + extraProtocols);
        for (TokenListener t : tokens) {
            p.putAll(t.broker);
        }
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "REPLICATION");
        p.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        p.put("listener.name.scram.sasl.enabled.mechanisms", "SCRAM-SHA-512");
        p.put("listener.name.scram.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", brokerStore.toString());
        p.put("ssl.keystore.password", Pki.PASSWORD);
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", pki.truststore().toString());
        p.put("ssl.truststore.password", Pki.PASSWORD);
        p.put("ssl.client.auth", "required");
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("allow.everyone.if.no.acl.found", "false");
        p.put("super.users", String.join(";", supers));
        p.put("auto.create.topics.enable", "false");
        p.put("log.dirs", dir.resolve("data").toString());
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("group.consumer.heartbeat.interval.ms", "1000");
        p.put("group.consumer.min.heartbeat.interval.ms", "1000");
        p.put("log.flush.interval.messages", "100000");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("log.segment.bytes", "4194304");
        Files.createDirectories(dir);
        Path config = dir.resolve("server.properties");
        Properties props = new Properties();
        props.putAll(p);
        try (var out = Files.newOutputStream(config)) {
            props.store(out, null);
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int rc = kafka.tools.StorageTool.execute(new String[] {"format", "-t",
                "a3ZhZmthbWVzaC10ZXN0Lg", "-c", config.toString(), "--ignore-formatted"},
                new PrintStream(log));
        if (rc != 0) {
            throw new IllegalStateException("storage format failed: " + log);
        }
        server = new KafkaRaftServer(new KafkaConfig(p, false), Time.SYSTEM);
        server.startup();
    }

    /** Settings of a client on the platform's own listener, as a super user. */
    Map<String, Object> operatorClient() throws Exception {
        Map<String, Object> c = new HashMap<>();
        c.put("bootstrap.servers", "127.0.0.1:" + adminPort);
        c.put("security.protocol", "SSL");
        c.put("ssl.keystore.type", "PKCS12");
        c.put("ssl.keystore.location", pki.keystore(BROKER_CN, true).toString());
        c.put("ssl.keystore.password", Pki.PASSWORD);
        c.put("ssl.truststore.type", "PKCS12");
        c.put("ssl.truststore.location", pki.truststore().toString());
        c.put("ssl.truststore.password", Pki.PASSWORD);
        return c;
    }

    Admin admin() throws Exception {
        return Admin.create(operatorClient());
    }

    /** The loopback address of the listener a client with this security.protocol uses. */
    String bootstrapFor(String securityProtocol) {
        return switch (securityProtocol) {
            case "SASL_PLAINTEXT" -> "127.0.0.1:" + scramPort;
            case "SSL" -> "127.0.0.1:" + tlsPort;
            default -> "127.0.0.1:" + scramPort;  // PLAINTEXT against the SCRAM port: refused
        };
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
