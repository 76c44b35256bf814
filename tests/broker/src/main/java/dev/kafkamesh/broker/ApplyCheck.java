package dev.kafkamesh.broker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * `kafkamesh plan` and `kafkamesh apply` against the real broker (run.sh --apply): librdkafka logs
 * in over the TLS listener as a super user with PEM files from the test's PKI, and the Java Admin
 * client checks what the cluster holds afterwards.
 *
 * 1. A stale cluster (stale and deny ACLs of owned principals, another principal's ACLs on an owned
 *    topic and elsewhere, a missing topic, a declared topic with one partition and other settings,
 *    a foreign topic, an undeclared topic inside the ownership): plan lists exactly the change,
 *    apply converges, foreign ACLs and topics untouched, other topic settings kept.
 * 2. A second apply changes nothing; plan --exit-code exits 0.
 * 3. Clients configured from client-config produce and consume on the ACLs apply placed.
 * 4. Nothing listening: KM801, exit 3 within the timeout, nothing changed.
 * 5. An admin the broker refuses (no super user, no ACLs): KM802, nothing changed; one that may
 *    describe topics but not the cluster: KM810 (librdkafka reads the refused listing as empty).
 * 6. An admin that may read but not create ACLs: KM809, exit 3, the list says what failed; a rerun
 *    as the super user converges.
 * 7. A topic change the broker refuses in its dry run: KM808, nothing changed; partitions
 *    decreased (KM606) and replicas that differ (KM807) are flagged, never done.
 * 8. --delete-topics deletes the undeclared topic inside the ownership (KM613), nothing else.
 */
final class ApplyCheck {
    static final String ADMIN_CN = "kafkamesh-apply-admin";
    private static final String LABEL = "apply";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path kafkamesh;
    private final Path work;
    private final Report report;
    private Broker broker;
    private Admin admin;
    private Pki pki;

    private ApplyCheck(Path kafkamesh, Path work, Report report) {
        this.kafkamesh = kafkamesh;
        this.work = work;
        this.report = report;
    }

    /** The topology under test: TLS users, so principals are User:CN=<user>. */
    static String topology(String extraTopics, String extraServices, int nodes) {
        return "apiVersion: kafkamesh.io/v1alpha1\nkind: Topology\nmetadata: {name: apply-check}\n"
                + "kafka:\n  name: events\n  namespace: kafka\n  nodes: " + nodes + "\n  authentication: tls\n"
                + "  listenerPort: 9093\n"
                + "  ownership: {principals: [\"User:CN=shop-*\"], topics: [\"shop.*\"]}\n"
                + "namespaces: [{name: kafka}, {name: shop}]\n"
                + "topics:\n"
                + "  - {name: shop.orders, partitions: 3, replicas: 1, config: {retention.ms: 3600000}}\n"
                + "  - {name: shop.payments, partitions: 2, replicas: 1}\n"
                + extraTopics
                + "services:\n"
                + "  - {name: checkout, namespace: shop, produces: [shop.orders], consumes: [{topic: shop.payments, group: checkout}]}\n"
                + "  - {name: billing, namespace: shop, produces: [shop.payments], consumes: [{topic: shop.orders, group: billing}]}\n"
                + extraServices;
    }

    static int run(Path kafkamesh, Path work, Report report) throws Exception {
        ApplyCheck c = new ApplyCheck(kafkamesh, work, report);
        Files.createDirectories(work);
        c.pki = new Pki(work.resolve("pki"));
        long t0 = System.currentTimeMillis();
        try (Broker b = new Broker(work.resolve("broker"), c.pki, Set.of("User:CN=" + ADMIN_CN)); Admin a = b.admin()) {
            c.broker = b;
            c.admin = a;
            System.out.println("apply: broker up in " + (System.currentTimeMillis() - t0) + " ms");
            c.scenarios();
        }
        System.out.println("apply: checks took " + (System.currentTimeMillis() - t0) + " ms");
        return 0;
    }

    private void scenarios() throws Exception {
        Path topo = write("topology.yaml", topology("", "", 1));
        Path superAdmin = adminConfig(ADMIN_CN, true);
        seedStaleCluster();
        Set<String> foreignBefore = foreignAcls();
        planListsTheChange(topo, superAdmin);
        applyConverges(topo, superAdmin, foreignBefore);
        secondApplyChangesNothing(topo, superAdmin);
        clientsDoTheirJobs(topo);
        unreachable(topo, superAdmin);
        refusedAdmin(topo);
        failsPartWay(superAdmin);
        dryRunRefuses(superAdmin);
        deleteTopics(topo, superAdmin);
    }

    // --- the stale cluster -------------------------------------------------------------------

    private void seedStaleCluster() throws Exception {
        admin.createTopics(List.of(new NewTopic("shop.orders", 1, (short) 1)
                        .configs(Map.of("retention.ms", "86400000", "max.message.bytes", "2000000")),
                new NewTopic("other.events", 2, (short) 1), new NewTopic("shop.legacy", 1, (short) 1)))
                .all().get(30, TimeUnit.SECONDS);
        admin.createAcls(List.of(
                acl("User:CN=shop-checkout", ResourceType.TOPIC, "shop.legacy", PatternType.LITERAL, AclOperation.WRITE, AclPermissionType.ALLOW),
                acl("User:CN=shop-legacy", ResourceType.TOPIC, "shop.orders", PatternType.LITERAL, AclOperation.READ, AclPermissionType.ALLOW),
                acl("User:CN=shop-legacy", ResourceType.TOPIC, "shop.", PatternType.PREFIXED, AclOperation.WRITE, AclPermissionType.DENY),
                acl("User:CN=other-team", ResourceType.TOPIC, "shop.orders", PatternType.LITERAL, AclOperation.READ, AclPermissionType.ALLOW),
                acl("User:CN=other-team", ResourceType.TOPIC, "other.events", PatternType.LITERAL, AclOperation.WRITE, AclPermissionType.ALLOW),
                acl("User:CN=other-team", ResourceType.GROUP, "other", PatternType.PREFIXED, AclOperation.READ, AclPermissionType.ALLOW)))
                .all().get(30, TimeUnit.SECONDS);
        // The controller has committed them; the broker's authorizer follows a moment later.
        long end = System.currentTimeMillis() + 10000;
        while (acls().size() < 6 && System.currentTimeMillis() < end) {
            Thread.sleep(100);
        }
    }

    private void planListsTheChange(Path topo, Path config) throws Exception {
        Result r = kafkamesh("plan", topo.toString(), "--bootstrap-server", tls(), "--command-config",
                config.toString(), "--format", "json", "--timeout", "20");
        expect("1 plan exit", r.exit, 0, r);
        JsonNode plan = JSON.readTree(r.out);
        Set<String> gained = new TreeSet<>();
        Set<String> lost = new TreeSet<>();
        for (JsonNode id : plan.get("identities")) {
            for (JsonNode g : id.get("kafka").get("gained")) {
                gained.add(grant(id.get("identity").asText(), g));
            }
            for (JsonNode g : id.get("kafka").get("lost")) {
                lost.add(grant(id.get("identity").asText(), g));
            }
        }
        expectSet("1 plan creates", gained, Set.of(
                "User:CN=shop-checkout topic literal shop.orders Describe allow",
                "User:CN=shop-checkout topic literal shop.orders Write allow",
                "User:CN=shop-checkout topic literal shop.payments Describe allow",
                "User:CN=shop-checkout topic literal shop.payments Read allow",
                "User:CN=shop-checkout group literal checkout Read allow",
                "User:CN=shop-billing topic literal shop.payments Describe allow",
                "User:CN=shop-billing topic literal shop.payments Write allow",
                "User:CN=shop-billing topic literal shop.orders Describe allow",
                "User:CN=shop-billing topic literal shop.orders Read allow",
                "User:CN=shop-billing group literal billing Read allow"));
        expectSet("1 plan deletes", lost, Set.of(
                "User:CN=shop-checkout topic literal shop.legacy Write allow",
                "User:CN=shop-legacy topic literal shop.orders Read allow",
                "User:CN=shop-legacy topic prefix shop. Write deny"));
        Set<String> topics = new TreeSet<>();
        for (JsonNode t : plan.get("topics")) {
            for (JsonNode c : t.get("changes")) {
                topics.add(t.get("name").asText() + " " + t.get("status").asText() + " " + c.get("field").asText()
                        + " " + c.get("before").asText("-") + " -> " + c.get("after").asText("-"));
            }
        }
        expectSet("1 plan topics", topics, Set.of(
                "shop.orders changed partitions 1 -> 3",
                "shop.orders changed config.retention.ms 86400000 -> 3600000",
                "shop.payments added partitions - -> 2",
                "shop.payments added replicas - -> 1"));
        Set<String> codes = new TreeSet<>();
        plan.get("flags").forEach(f -> codes.add(f.get("code").asText()));
        expectSet("1 plan flags", codes, Set.of("KM601", "KM604"));
        check("1 plan notes the foreign ACLs and the undeclared owned topic",
                r.err.contains("3 ACLs of 1 principal outside the ownership left alone")
                        && r.err.contains("shop.legacy (--delete-topics deletes them)"), r);
    }

    private void applyConverges(Path topo, Path config, Set<String> foreignBefore) throws Exception {
        Result r = kafkamesh("apply", topo.toString(), "--bootstrap-server", tls(), "--command-config",
                config.toString(), "--timeout", "20");
        expect("1 apply exit", r.exit, 0, r);
        check("1 apply made every change", r.out.contains("16 of 16 changes made"), r);
        Set<String> owned = new TreeSet<>();
        for (String a : acls()) {
            if (a.startsWith("User:CN=shop-")) {
                owned.add(a);
            }
        }
        expectSet("1 owned ACLs after apply", owned, Set.of(
                "User:CN=shop-checkout topic literal shop.orders Describe allow",
                "User:CN=shop-checkout topic literal shop.orders Write allow",
                "User:CN=shop-checkout topic literal shop.payments Describe allow",
                "User:CN=shop-checkout topic literal shop.payments Read allow",
                "User:CN=shop-checkout group literal checkout Read allow",
                "User:CN=shop-billing topic literal shop.payments Describe allow",
                "User:CN=shop-billing topic literal shop.payments Write allow",
                "User:CN=shop-billing topic literal shop.orders Describe allow",
                "User:CN=shop-billing topic literal shop.orders Read allow",
                "User:CN=shop-billing group literal billing Read allow"));
        expectSet("1 foreign ACLs untouched", foreignAcls(), foreignBefore);
        Map<String, TopicDescription> topics = admin.describeTopics(List.of("shop.orders", "shop.payments",
                "other.events", "shop.legacy")).allTopicNames().get(30, TimeUnit.SECONDS);
        expect("1 shop.orders partitions", topics.get("shop.orders").partitions().size(), 3, null);
        expect("1 shop.payments partitions", topics.get("shop.payments").partitions().size(), 2, null);
        expect("1 other.events untouched", topics.get("other.events").partitions().size(), 2, null);
        expect("1 shop.legacy kept without --delete-topics", topics.get("shop.legacy").partitions().size(), 1, null);
        Map<String, String> config0 = topicConfig("shop.orders");
        check("1 retention.ms set", "3600000".equals(config0.get("retention.ms")), null);
        check("1 max.message.bytes kept", "2000000".equals(config0.get("max.message.bytes")), null);
    }

    private void secondApplyChangesNothing(Path topo, Path config) throws Exception {
        String before = listing();
        Result r = kafkamesh("apply", topo.toString(), "--bootstrap-server", tls(), "--command-config",
                config.toString(), "--timeout", "20");
        expect("2 second apply exit", r.exit, 0, r);
        check("2 second apply says nothing changes", r.out.contains("nothing to change"), r);
        check("2 second apply changed nothing", before.equals(listing()), r);
        Result p = kafkamesh("plan", topo.toString(), "--bootstrap-server", tls(), "--command-config",
                config.toString(), "--exit-code", "--timeout", "20");
        expect("2 plan --exit-code after apply", p.exit, 0, p);
        check("2 plan says no changes", p.out.contains("no changes"), p);
    }

    // --- 3: clients configured from client-config ---------------------------------------------

    private void clientsDoTheirJobs(Path topo) throws Exception {
        // The Secrets the User Operator would write (KafkaUserModel: user.p12, user.password; the
        // cluster CA Secret), for ClientConfig to fill in what client-config names.
        for (String user : List.of("shop-checkout", "shop-billing")) {
            Adapter.SECRETS.put("kafka/" + user, Map.of("user.p12", pki.keystore(user, false).toString(),
                    "user.password", Pki.PASSWORD, "ca.crt", pki.caPem().toString()));
        }
        Adapter.SECRETS.put("kafka/events-cluster-ca-cert", Map.of("ca.crt", pki.caPem().toString(),
                "ca.p12", pki.truststore().toString(), "ca.password", Pki.PASSWORD));
        Properties checkout = client(topo, "shop/checkout");
        Properties billing = client(topo, "shop/billing");
        produce(checkout, "shop.orders", "order");
        check("3 billing reads shop.orders with group billing", consume(billing, "shop.orders", "billing", "order"), null);
        produce(billing, "shop.payments", "payment");
        check("3 checkout reads shop.payments with group checkout",
                consume(checkout, "shop.payments", "checkout", "payment"), null);
        report.ran(LABEL, "clients");
    }

    private Properties client(Path topo, String service) throws Exception {
        ClientConfig c = new ClientConfig(ClientConfig.run(kafkamesh, List.of("client-config", topo.toString(),
                "--service", service, "--format", "properties")), broker);
        if (!c.missing.isEmpty()) {
            throw new IllegalStateException(service + ": unfilled " + c.missing);
        }
        return c.props;
    }

    private void produce(Properties p, String topic, String prefix) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(topic, prefix + i)).get(20, TimeUnit.SECONDS);
            }
        }
    }

    private boolean consume(Properties p, String topic, String group, String prefix) {
        Properties c = new Properties();
        c.putAll(p);
        c.put("group.id", group);
        c.put("auto.offset.reset", "earliest");
        Set<String> seen = new TreeSet<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long end = System.currentTimeMillis() + 30000;
            while (seen.size() < 3 && System.currentTimeMillis() < end) {
                for (ConsumerRecord<String, String> r : consumer.poll(java.time.Duration.ofMillis(500))) {
                    seen.add(r.value());
                }
            }
            consumer.commitSync();
        }
        return seen.equals(Set.of(prefix + "0", prefix + "1", prefix + "2"));
    }

    // --- 4, 5: failures that change nothing ---------------------------------------------------

    private void unreachable(Path topo, Path config) throws Exception {
        String before = listing();
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        long t = System.currentTimeMillis();
        Result r = kafkamesh("apply", topo.toString(), "--bootstrap-server", "127.0.0.1:" + port,
                "--command-config", config.toString(), "--timeout", "3");
        long took = System.currentTimeMillis() - t;
        expect("4 nothing listening: exit", r.exit, 3, r);
        check("4 nothing listening: KM801", r.err.contains("error[KM801]"), r);
        check("4 nothing listening: within the timeout (" + took + " ms)", took < 8000, r);
        check("4 nothing listening: nothing changed", before.equals(listing()), r);
    }

    private void refusedAdmin(Path topo) throws Exception {
        // A TLS client the broker authenticates but that is no super user and holds no ACL; its
        // settings in the Java client's names (PKCS#12 keystore, PEM truststore).
        Path config = adminConfig("kafkamesh-intruder", false);
        Path changed = write("topology-refused.yaml", topology("  - {name: shop.refused, partitions: 1, replicas: 1}\n", "", 1));
        String before = listing();
        Result r = kafkamesh("apply", changed.toString(), "--bootstrap-server", tls(), "--command-config",
                config.toString(), "--timeout", "10");
        expect("5 refused admin: exit", r.exit, 3, r);
        check("5 refused admin: KM802", r.err.contains("error[KM802]"), r);
        check("5 refused admin: listings byte-identical", before.equals(listing()), r);
        // May describe the topics but not the cluster: librdkafka reads the refused ACL listing
        // as an empty one, which plan says (KM810) rather than trust.
        String cn = "kafkamesh-topic-reader";
        admin.createAcls(List.of(
                acl("User:CN=" + cn, ResourceType.TOPIC, "shop.", PatternType.PREFIXED, AclOperation.DESCRIBE, AclPermissionType.ALLOW),
                acl("User:CN=" + cn, ResourceType.TOPIC, "shop.", PatternType.PREFIXED, AclOperation.DESCRIBE_CONFIGS, AclPermissionType.ALLOW)))
                .all().get(30, TimeUnit.SECONDS);
        waitForAcl("User:CN=" + cn);
        String before2 = listing();
        Result p = kafkamesh("plan", topo.toString(), "--bootstrap-server", tls(), "--command-config",
                adminConfig(cn, true).toString(), "--timeout", "10");
        expect("5 topic reader: plan exit", p.exit, 0, p);
        check("5 topic reader: KM810", p.err.contains("warning[KM810]"), p);
        check("5 topic reader: nothing changed", before2.equals(listing()), p);
        removeAcls(cn);
    }

    private void waitForAcl(String principal) throws Exception {
        long end = System.currentTimeMillis() + 10000;
        while (acls().stream().noneMatch(a -> a.startsWith(principal + " ")) && System.currentTimeMillis() < end) {
            Thread.sleep(100);
        }
    }

    private void removeAcls(String cn) throws Exception {
        admin.deleteAcls(List.of(new AclBindingFilter(ResourcePatternFilter.ANY,
                new AccessControlEntryFilter("User:CN=" + cn, null, AclOperation.ANY, AclPermissionType.ANY))))
                .all().get(30, TimeUnit.SECONDS);
        long end = System.currentTimeMillis() + 10000;
        while (acls().stream().anyMatch(a -> a.startsWith("User:CN=" + cn + " ")) && System.currentTimeMillis() < end) {
            Thread.sleep(100);
        }
    }

    // --- 6: part-way ------------------------------------------------------------------------

    private void failsPartWay(Path superAdmin) throws Exception {
        String cn = "kafkamesh-reader";
        admin.createAcls(List.of(
                acl("User:CN=" + cn, ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, AclOperation.DESCRIBE, AclPermissionType.ALLOW),
                acl("User:CN=" + cn, ResourceType.TOPIC, "shop.", PatternType.PREFIXED, AclOperation.DESCRIBE, AclPermissionType.ALLOW),
                acl("User:CN=" + cn, ResourceType.TOPIC, "shop.", PatternType.PREFIXED, AclOperation.DESCRIBE_CONFIGS, AclPermissionType.ALLOW)))
                .all().get(30, TimeUnit.SECONDS);
        waitForAcl("User:CN=" + cn);
        Path config = adminConfig(cn, true);
        // One more grant and one fewer: the creation is refused, so the stale ACL must stay.
        Path more = write("topology-more.yaml", topology("",
                "  - {name: reporting, namespace: shop, consumes: [{topic: shop.orders, group: reporting}]}\n", 1)
                .replace("produces: [shop.payments], consumes: [{topic: shop.orders, group: billing}]",
                        "produces: [shop.payments]"));
        String before = listing();
        Result r = kafkamesh("apply", more.toString(), "--bootstrap-server", tls(), "--command-config",
                config.toString(), "--timeout", "10");
        expect("6 part-way: exit", r.exit, 3, r);
        check("6 part-way: KM809", r.err.contains("error[KM809]"), r);
        check("6 part-way: the list marks the failure", r.out.contains("failed   create ACL User:CN=shop-reporting"), r);
        check("6 part-way: deletions not run", r.out.contains("not run  delete ACL User:CN=shop-billing"), r);
        check("6 part-way: nothing removed", before.equals(listing()), r);
        Result again = kafkamesh("apply", more.toString(), "--bootstrap-server", tls(), "--command-config",
                superAdmin.toString(), "--timeout", "20");
        expect("6 rerun converges: exit", again.exit, 0, again);
        Result after = kafkamesh("plan", more.toString(), "--bootstrap-server", tls(), "--command-config",
                superAdmin.toString(), "--exit-code", "--timeout", "20");
        expect("6 rerun converged: plan --exit-code", after.exit, 0, after);
        removeAcls(cn);
    }

    // --- 7: the dry run ---------------------------------------------------------------------

    private void dryRunRefuses(Path superAdmin) throws Exception {
        // Three nodes declared, one running: the broker refuses replicas 3 in its dry run. The
        // partitions of shop.payments decrease and shop.orders declares 2 replicas: flagged only.
        String text = topology("  - {name: shop.wide, partitions: 1, replicas: 3}\n", "", 3)
                .replace("  nodes: 3\n", "  nodes: 3\n  config: {min.insync.replicas: 1}\n")
                .replace("{name: shop.payments, partitions: 2, replicas: 1}", "{name: shop.payments, partitions: 1, replicas: 1}")
                .replace("{name: shop.orders, partitions: 3, replicas: 1,", "{name: shop.orders, partitions: 3, replicas: 2,");
        Path wide = write("topology-wide.yaml", text);
        Result p = kafkamesh("plan", wide.toString(), "--bootstrap-server", tls(), "--command-config",
                superAdmin.toString(), "--format", "json", "--fail-on", "risk", "--timeout", "20");
        expect("7 plan --fail-on risk", p.exit, 1, p);
        Set<String> codes = new TreeSet<>();
        JSON.readTree(p.out).get("flags").forEach(f -> codes.add(f.get("code").asText()));
        check("7 plan flags KM606 and KM807: " + codes, codes.contains("KM606") && codes.contains("KM807"), p);
        String before = listing();
        Result r = kafkamesh("apply", wide.toString(), "--bootstrap-server", tls(), "--command-config",
                superAdmin.toString(), "--timeout", "20");
        expect("7 dry run refused: exit", r.exit, 1, r);
        check("7 dry run refused: KM808", r.err.contains("error[KM808]"), r);
        check("7 dry run refused: nothing changed", before.equals(listing()), r);
    }

    // --- 8: --delete-topics -------------------------------------------------------------------

    private void deleteTopics(Path topo, Path superAdmin) throws Exception {
        Result p = kafkamesh("plan", topo.toString(), "--bootstrap-server", tls(), "--command-config",
                superAdmin.toString(), "--delete-topics", "--format", "json", "--timeout", "20");
        check("8 plan --delete-topics flags KM613", p.exit == 0 && p.out.contains("\"KM613\""), p);
        Result r = kafkamesh("apply", topo.toString(), "--bootstrap-server", tls(), "--command-config",
                superAdmin.toString(), "--delete-topics", "--timeout", "20");
        expect("8 apply --delete-topics exit", r.exit, 0, r);
        Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        check("8 shop.legacy deleted, the rest kept: " + names, !names.contains("shop.legacy")
                && names.containsAll(List.of("shop.orders", "shop.payments", "other.events")), r);
    }

    // --- helpers --------------------------------------------------------------------------------

    private String tls() {
        return "127.0.0.1:" + broker.tlsPort;
    }

    private Path write(String name, String text) throws Exception {
        Path p = work.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    /**
     * A command config for a TLS client CN=cn: librdkafka's own names and PEM files written from
     * the PKCS#12 keystore, or the Java client's names (PKCS#12 keystore, PEM truststore), which
     * kafkamesh translates.
     */
    private Path adminConfig(String cn, boolean pem) throws Exception {
        Path store = pki.keystore(cn, false);
        StringBuilder c = new StringBuilder("security.protocol=SSL\n");
        if (pem) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(store)) {
                ks.load(in, Pki.PASSWORD.toCharArray());
            }
            var key = ks.getKey("key", Pki.PASSWORD.toCharArray());
            StringBuilder chain = new StringBuilder();
            for (Certificate cert : ks.getCertificateChain("key")) {
                chain.append(pem("CERTIFICATE", cert.getEncoded()));
            }
            Path keyFile = write(cn + ".key.pem", pem("PRIVATE KEY", key.getEncoded()));
            Path certFile = write(cn + ".crt.pem", chain.toString());
            c.append("ssl.ca.location=").append(pki.caPem()).append('\n');
            c.append("ssl.certificate.location=").append(certFile).append('\n');
            c.append("ssl.key.location=").append(keyFile).append('\n');
        } else {
            c.append("ssl.keystore.type=PKCS12\nssl.keystore.location=").append(store).append('\n');
            c.append("ssl.keystore.password=").append(Pki.PASSWORD).append('\n');
            c.append("ssl.truststore.type=PEM\nssl.truststore.location=").append(pki.caPem()).append('\n');
        }
        return write(cn + ".properties", c.toString());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static AclBinding acl(String principal, ResourceType type, String name, PatternType pattern,
                                  AclOperation op, AclPermissionType permission) {
        return new AclBinding(new ResourcePattern(type, name, pattern), new AccessControlEntry(principal, "*", op, permission));
    }

    /** The broker's ACLs as "principal type pattern name Operation effect" (kafkamesh's words). */
    private Set<String> acls() throws Exception {
        Collection<AclBinding> all = admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS);
        Set<String> out = new TreeSet<>();
        for (AclBinding b : all) {
            String type = switch (b.pattern().resourceType()) {
                case TOPIC -> "topic";
                case GROUP -> "group";
                case CLUSTER -> "cluster";
                case TRANSACTIONAL_ID -> "transactionalId";
                default -> b.pattern().resourceType().toString();
            };
            String op = switch (b.entry().operation()) {
                case DESCRIBE_CONFIGS -> "DescribeConfigs";
                case ALTER_CONFIGS -> "AlterConfigs";
                case CLUSTER_ACTION -> "ClusterAction";
                case IDEMPOTENT_WRITE -> "IdempotentWrite";
                default -> b.entry().operation().toString().charAt(0)
                        + b.entry().operation().toString().substring(1).toLowerCase();
            };
            out.add(b.entry().principal() + " " + type + " "
                    + (b.pattern().patternType() == PatternType.PREFIXED ? "prefix" : "literal") + " "
                    + b.pattern().name() + " " + op + " " + b.entry().permissionType().toString().toLowerCase()
                    + (b.entry().host().equals("*") ? "" : " host " + b.entry().host()));
        }
        return out;
    }

    private Set<String> foreignAcls() throws Exception {
        Set<String> out = new TreeSet<>();
        for (String a : acls()) {
            if (!a.startsWith("User:CN=shop-")) {
                out.add(a);
            }
        }
        return out;
    }

    private Map<String, String> topicConfig(String topic) throws Exception {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Map<String, String> out = new TreeMap<>();
        for (ConfigEntry e : admin.describeConfigs(List.of(r)).all().get(30, TimeUnit.SECONDS).get(r).entries()) {
            if (e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG) {
                out.put(e.name(), e.value());
            }
        }
        return out;
    }

    /** Every ACL, topic, partition count and dynamic topic setting, as one text. */
    private String listing() throws Exception {
        StringBuilder s = new StringBuilder(String.join("\n", acls())).append('\n');
        Set<String> names = new TreeSet<>(admin.listTopics().names().get(30, TimeUnit.SECONDS));
        Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
        for (String n : names) {
            s.append(n).append(' ').append(topics.get(n).partitions().size()).append(' ').append(topicConfig(n)).append('\n');
        }
        return s.toString();
    }

    private static String grant(String principal, JsonNode g) {
        String pattern = g.get("pattern").asText();
        return principal + " " + g.get("resource_type").asText() + " " + pattern + " " + g.get("name").asText() + " "
                + g.get("operation").asText() + " " + g.get("effect").asText();
    }

    record Result(int exit, String out, String err) {}

    private Result kafkamesh(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(kafkamesh.toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        Thread a = new Thread(() -> { try { p.getInputStream().transferTo(out); } catch (Exception e) { } });
        Thread b = new Thread(() -> { try { p.getErrorStream().transferTo(err); } catch (Exception e) { } });
        a.start();
        b.start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("kafkamesh hung: " + String.join(" ", cmd));
        }
        a.join();
        b.join();
        if (report.verbose) {
            System.out.println("$ kafkamesh " + String.join(" ", args) + " -> " + p.exitValue() + "\n" + out + err);
        }
        return new Result(p.exitValue(), out.toString(), err.toString());
    }

    private void check(String what, boolean ok, Result r) {
        if (ok) {
            System.out.println("  ok  " + what);
            report.ran(LABEL, what);
        } else {
            report.failure(LABEL, "kafkamesh", what + (r == null ? "" : "\n--- stdout\n" + r.out + "--- stderr\n" + r.err));
        }
    }

    private void expect(String what, int got, int want, Result r) {
        check(what + " (" + got + ", expected " + want + ")", got == want, r);
    }

    private void expectSet(String what, Set<String> got, Set<String> want) {
        check(what + (got.equals(want) ? "" : ":\n    got      " + got + "\n    expected " + new TreeSet<>(want)),
                got.equals(want), null);
    }
}
