package dev.kafkamesh.broker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;
import org.apache.kafka.connect.util.FutureCallback;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;

/** One topology through the broker: compile, apply, every service's job, then the denial probes. */
final class TopologyRun {
    private static final int RECORDS = 3;
    private static final long WAIT_MS = 30_000;

    final Topology topo;
    final Report report;
    private Broker broker;
    private final Path kafkamesh;
    private final Path work;
    private final ExecutorService pool;
    Adapter adapter;
    private final Map<String, ClientConfig> configs = new LinkedHashMap<>();
    /** topic -> values written to it (by services or by the seed) */
    private final Map<String, Set<String>> expected = new ConcurrentHashMap<>();
    private final Set<String> topicNames = new LinkedHashSet<>();
    private final List<Connect<DistributedHerder>> workers = new ArrayList<>();
    /** authentication service-account-token: the compiled OAUTHBEARER listener, else null. */
    TokenListener tokenListener;
    TokenIssuer issuer;
    /** Token principal -> its ACLs as the broker's authorizer holds them after the ACL step. */
    private final Map<String, List<AclBinding>> tokenAcls = new ConcurrentHashMap<>();

    TopologyRun(Topology topo, Broker broker, Path kafkamesh, Path work, ExecutorService pool, Report report) {
        this.topo = topo;
        this.broker = broker;
        this.kafkamesh = kafkamesh;
        this.work = work;
        this.pool = pool;
        this.report = report;
    }

    TopologyRun withBroker(Broker b, TokenIssuer tokens) {
        broker = b;
        issuer = tokens;
        return this;
    }

    /** Compiles the topology into work/compiled and reads what the operators would apply. */
    void compile() throws Exception {
        Path out = work.resolve("compiled");
        List<String> args = new ArrayList<>(List.of("compile", "-o", out.toString()));
        topo.files.forEach(f -> args.add(f.toString()));
        ClientConfig.run(kafkamesh, args);
        adapter = new Adapter(out);
        tokenListener = TokenListener.read(out);
    }

    void applyAndRun(Admin admin, Pki pki) throws Exception {
        adapter.apply(admin, pki, 1);
        adapter.topics.forEach(t -> topicNames.add(t.name()));
        for (var e : topo.topics.entrySet()) {
            if (e.getValue()) {  // external: owned elsewhere, made here by the platform
                try {
                    admin.createTopics(List.of(new NewTopic(e.getKey(), 1, (short) 1))).all().get();
                } catch (Exception ignored) {
                    // exists already
                }
                topicNames.add(e.getKey());
            }
        }
        if (tokenListener != null) {
            placeTokenAcls(admin, pki);
        }
        for (Topology.Service s : topo.services) {
            List<String> args = new ArrayList<>(List.of("client-config", "--format", "properties", "--service", s.key()));
            topo.files.forEach(f -> args.add(f.toString()));
            ClientConfig c = new ClientConfig(ClientConfig.run(kafkamesh, args), broker);
            if (c.usesToken()) {
                presentToken(s, c);
            }
            configs.put(s.key(), c);
        }
        seed();
        phase(topo.services.stream().filter(s -> !s.kind().equals("streams")).map(s -> (Callable<Void>) () -> {
            produceJob(s);
            return null;
        }).toList());
        phase(topo.services.stream().filter(s -> s.kind().equals("streams")).map(s -> (Callable<Void>) () -> {
            streamsJob(s);
            return null;
        }).toList());
        phase(topo.services.stream().filter(s -> !s.kind().equals("streams")).map(s -> (Callable<Void>) () -> {
            consumeJob(s);
            return null;
        }).toList());
        for (Topology.Service s : topo.services) {
            if (!report.failedServices.contains(topo.label + ":" + s.key())) {
                report.ran(topo.label, s.key());
            }
        }
        phase(topo.services.stream().map(s -> (Callable<Void>) () -> {
            probe(s);
            return null;
        }).toList());
    }

    /**
     * The service's pod token: minted for its (namespace, serviceAccount) with the audience its
     * projected volume asks for (printed by client-config) and the issuer the broker expects (the
     * cluster's, declared in the topology), presented to this topology's OAUTHBEARER listener.
     */
    private void presentToken(Topology.Service s, ClientConfig c) throws Exception {
        if (tokenListener == null || issuer == null) {
            report.failure(topo.label, s.key(), "client-config prints OAUTHBEARER settings but the compiled output has no OAUTHBEARER listener");
            return;
        }
        String subject = "system:serviceaccount:" + s.ns() + ":" + s.account();
        Path token = issuer.tokenFile(s.ns(), s.account(), tokenListener.issuer(), c.tokenAudience);
        c.presentToken("127.0.0.1:" + tokenListener.port, token, subject);
        if (!c.missing.isEmpty()) {
            report.failure(topo.label, s.key(), "client-config: " + String.join("; ", c.missing));
        }
    }

    /**
     * The ACL step of a token topology: `kafkamesh apply` (KafkameshApply), then the kafka-acls.sh
     * commands it prints for what Debian's librdkafka cannot place (transactional-id ACLs), run
     * with Kafka's own AclCommand: both are what an operator runs.
     */
    private void placeTokenAcls(Admin admin, Pki pki) throws Exception {
        Path config = KafkameshApply.commandConfig(pki, work.resolve("apply"));
        KafkameshApply.Outcome out = KafkameshApply.run(kafkamesh, topo, broker, config);
        Files.writeString(work.resolve("apply").resolve("output.txt"), out.stdout() + out.stderr());
        System.out.println("kafkamesh apply " + topo.label + ": exit " + out.exit() + ", "
                + out.stdout().lines().filter(l -> !l.isBlank()).reduce((x, y) -> y).orElse("(no output)"));
        List<String> commands = KafkameshApply.printedAclCommands(out.stderr());
        // Exit 0: converged. Exit 1 only for what apply says it leaves: the transactional-id ACLs
        // this librdkafka cannot place (with the commands to place them), and the replica counts
        // of topics the one-node broker holds with 1 replica (README "Deviations").
        List<String> unexpected = out.stdout().lines().filter(l -> l.startsWith("not applied:"))
                .filter(l -> !l.contains("transactional-id ACL") && !l.contains(" has 1 replicas and the topology declares"))
                .toList();
        if (out.exit() != 0 && (out.exit() != 1 || !unexpected.isEmpty())) {
            report.failure(topo.label, "kafkamesh apply", "exit " + out.exit() + ":\n" + out.stdout() + out.stderr());
        }
        for (String command : commands) {
            String failure = KafkameshApply.runAclCommand(command, broker, config);
            if (failure != null) {
                report.failure(topo.label, "kafka-acls.sh from kafkamesh apply", command + ": " + failure);
            }
        }
        // The authorizer's view, per principal: what the probes and the failure reports read.
        long end = System.currentTimeMillis() + 10_000;
        for (Topology.Service s : topo.services) {
            String principal = "User:system:serviceaccount:" + s.ns() + ":" + s.account();
            AclBindingFilter filter = byPrincipal(principal);
            // The authorizer takes the ACLs from the metadata log after apply has its answers:
            // wait until it holds some, and the same ones twice in a row.
            List<AclBinding> held = List.of();
            List<AclBinding> before = null;
            while (System.currentTimeMillis() < end && (held.isEmpty() && !adapter.superUsers.contains(principal)
                    || before == null || !new HashSet<>(before).equals(new HashSet<>(held)))) {
                before = held;
                Thread.sleep(before.isEmpty() ? 100 : 300);
                held = new ArrayList<>(admin.describeAcls(filter).values().get());
            }
            tokenAcls.put(principal, held);
        }
    }

    static AclBindingFilter byPrincipal(String principal) {
        return new AclBindingFilter(ResourcePatternFilter.ANY,
                new AccessControlEntryFilter(principal, null, AclOperation.ANY, AclPermissionType.ANY));
    }

    /** Removes the token principals' ACLs, whoever placed them. */
    void removeTokenAcls(Admin admin) throws Exception {
        List<AclBindingFilter> filters = new ArrayList<>();
        tokenAcls.keySet().forEach(p -> filters.add(byPrincipal(p)));
        if (!filters.isEmpty()) {
            admin.deleteAcls(filters).all().get();
        }
    }

    Map<String, ClientConfig> configs() {
        return configs;
    }

    /** An Admin client of the platform (the super user of the REPLICATION listener). */
    Admin operatorAdmin() throws Exception {
        return broker.admin();
    }

    /** The compiled ACLs of a principal: its KafkaUser's, or for a token principal the broker's. */
    List<AclBinding> aclsOf(String principal) {
        List<AclBinding> a = adapter.aclsOf(principal);
        return a.isEmpty() ? tokenAcls.getOrDefault(principal, List.of()) : a;
    }

    void stopWorkers() {
        for (Connect<DistributedHerder> w : workers) {
            w.stop();
        }
    }

    private void phase(List<Callable<Void>> jobs) throws Exception {
        List<Future<Void>> futures = new ArrayList<>();
        for (Callable<Void> j : jobs) {
            futures.add(pool.submit(j));
        }
        for (Future<Void> f : futures) {
            f.get(120, TimeUnit.SECONDS);
        }
    }

    /** The topics of refs that the topology does not explicitly deny this service for operation op. */
    private List<String> resolve(Topology.Service s, Collection<String> refs, AclOperation op) {
        List<AclBinding> acls = aclsOf(principal(s));
        List<String> out = new ArrayList<>();
        for (String t : resolve(refs)) {
            boolean denied = acls.stream().anyMatch(b -> b.entry().permissionType() == org.apache.kafka.common.acl.AclPermissionType.DENY
                    && b.pattern().resourceType() == ResourceType.TOPIC
                    && (b.entry().operation() == op || b.entry().operation() == AclOperation.ALL)
                    && (b.pattern().patternType() == org.apache.kafka.common.resource.PatternType.LITERAL
                            ? b.pattern().name().equals(t) : t.startsWith(b.pattern().name())));
            if (!denied) {
                out.add(t);
            }
        }
        return out;
    }

    private List<String> resolve(Collection<String> refs) {
        Set<String> out = new LinkedHashSet<>();
        for (String r : refs) {
            out.addAll(topo.resolve(r, topicNames));
        }
        return new ArrayList<>(out);
    }

    /** Topics read by a service of the topology but written by none: the platform writes them. */
    private void seed() throws Exception {
        Set<String> written = new HashSet<>();
        Set<String> read = new LinkedHashSet<>();
        for (Topology.Service s : topo.services) {
            written.addAll(resolve(s.produces()));
            s.consumes().forEach(c -> read.addAll(resolve(List.of(c.topic()))));
            for (Topology.Connector c : s.connectors()) {
                written.addAll(resolve(c.produces()));
                read.addAll(resolve(c.consumes()));
            }
        }
        read.removeAll(written);
        if (read.isEmpty()) {
            return;
        }
        Map<String, Object> p = broker.operatorClient();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (String t : read) {
                for (int i = 0; i < RECORDS; i++) {
                    String v = "seed:" + t + ":" + i;
                    producer.send(new ProducerRecord<>(t, v, v)).get();
                    expected.computeIfAbsent(t, k -> ConcurrentHashMap.newKeySet()).add(v);
                }
            }
        }
    }

    Properties clientProps(Topology.Service s) {
        Properties p = new Properties();
        p.putAll(configs.get(s.key()).props);
        p.put("request.timeout.ms", "10000");
        p.put("default.api.timeout.ms", "15000");
        return p;
    }

    void fail(Topology.Service s, String operation, String resource, Throwable e) {
        String principal = principal(s);
        StringBuilder acls = new StringBuilder();
        for (AclBinding b : aclsOf(principal)) {
            if (resource == null || resource.startsWith(b.pattern().name()) || b.pattern().name().equals("*")
                    || b.pattern().resourceType() == ResourceType.CLUSTER) {
                acls.append("\n      ").append(b);
            }
        }
        ClientConfig c = configs.get(s.key());
        report.failure(topo.label, s.key(), operation + (resource == null ? "" : " " + resource) + " by " + principal
                + ": " + (e == null ? "did not complete" : e.getClass().getSimpleName() + ": " + e.getMessage())
                + (c != null && !c.missing.isEmpty() ? "\n    unfilled: " + c.missing : "")
                + "\n    ACLs of " + principal + " on it:" + (acls.length() == 0 ? " none" : acls));
    }

    String principal(Topology.Service s) {
        ClientConfig c = configs.get(s.key());
        String user = c == null || c.user == null ? "?" : c.user;
        return "User:" + ("SSL".equals(c == null ? null : c.props.getProperty("security.protocol")) ? "CN=" + user : user);
    }

    private void produceJob(Topology.Service s) {
        List<String> topics = resolve(s.produces());
        if (s.kind().equals("connect")) {
            connectJob(s);
            return;
        }
        if (topics.isEmpty() && s.consumes().isEmpty()) {
            adminJob(s);
            return;
        }
        if (topics.isEmpty()) {
            return;
        }
        Properties p = clientProps(s);
        p.put("max.block.ms", "10000");
        p.put("delivery.timeout.ms", "20000");
        String mode;
        if (s.transactionalId() != null) {
            mode = "transactional";
            p.putIfAbsent("transactional.id", Topology.concrete(s.transactionalId()));
        } else if (Math.abs(s.key().hashCode()) % 2 == 0) {
            mode = "idempotent";
            p.put("enable.idempotence", "true");
        } else {
            mode = "plain";
            p.put("enable.idempotence", "false");
            p.put("acks", "1");
        }
        String current = null;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            if (mode.equals("transactional")) {
                current = "InitTransactions " + p.get("transactional.id");
                producer.initTransactions();
                producer.beginTransaction();
            }
            List<String> sent = new ArrayList<>();
            for (String t : topics) {
                current = "Write (" + mode + " producer)";
                for (int i = 0; i < RECORDS; i++) {
                    String v = s.key() + ":" + t + ":" + i;
                    producer.send(new ProducerRecord<>(t, v, v)).get(20, TimeUnit.SECONDS);
                    sent.add(t + "\u0000" + v);
                }
            }
            if (mode.equals("transactional")) {
                current = "CommitTransaction " + p.get("transactional.id");
                producer.commitTransaction();
            }
            for (String tv : sent) {
                String[] x = tv.split("\u0000");
                expected.computeIfAbsent(x[0], k -> ConcurrentHashMap.newKeySet()).add(x[1]);
            }
        } catch (Exception e) {
            fail(s, current, String.join(",", topics), cause(e));
        }
    }

    /** A service declaring no topic (an operator's tool, a role-only observer): connect and look. */
    private void adminJob(Topology.Service s) {
        try (Admin admin = Admin.create(clientProps(s))) {
            admin.describeCluster().nodes().get(15, TimeUnit.SECONDS);
            admin.listTopics().names().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            fail(s, "DescribeCluster", null, cause(e));
        }
    }

    private void consumeJob(Topology.Service s) {
        if (s.kind().equals("connect")) {
            waitSinks(s);
            return;
        }
        Map<String, List<String>> byGroup = new LinkedHashMap<>();
        for (Topology.Consume c : s.consumes()) {
            byGroup.computeIfAbsent(c.group(), g -> new ArrayList<>()).addAll(resolve(s, List.of(c.topic()), AclOperation.READ));
        }
        int index = 0;
        for (var e : byGroup.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            Properties p = clientProps(s);
            String group = byGroup.size() == 1 && p.containsKey("group.id") ? p.getProperty("group.id")
                    : Topology.concrete(e.getKey());
            p.put("group.id", group);
            p.put("auto.offset.reset", "earliest");
            // Both group protocols: the classic one and KIP-848's consumer protocol.
            String protocol = (Math.abs(s.key().hashCode()) + index++) % 2 == 0 ? "classic" : "consumer";
            p.put("group.protocol", protocol);
            Set<String> want = new HashSet<>();
            e.getValue().forEach(t -> want.addAll(expected.getOrDefault(t, Set.of())));
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(e.getValue());
                long end = System.currentTimeMillis() + WAIT_MS;
                Set<String> got = new HashSet<>();
                while (!got.containsAll(want) && System.currentTimeMillis() < end) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        got.add(r.value());
                    }
                }
                if (!got.containsAll(want)) {
                    want.removeAll(got);
                    fail(s, "Read (" + protocol + " group " + group + ") missing " + want.size() + " records",
                            String.join(",", e.getValue()), null);
                } else {
                    consumer.commitSync(Duration.ofSeconds(10));
                }
            } catch (Exception ex) {
                fail(s, "Read (" + protocol + " group " + group + ")", String.join(",", e.getValue()), cause(ex));
            }
        }
    }

    private void streamsJob(Topology.Service s) {
        List<String> in = resolve(s, s.consumes().stream().map(Topology.Consume::topic).toList(), AclOperation.READ);
        List<String> out = resolve(s.produces());
        Properties p = clientProps(s);
        p.put("default.key.serde", "org.apache.kafka.common.serialization.Serdes$StringSerde");
        p.put("default.value.serde", "org.apache.kafka.common.serialization.Serdes$StringSerde");
        p.put("state.dir", work.resolve("streams-" + s.name()).toString());
        p.put("commit.interval.ms", "200");
        p.put("num.stream.threads", "1");
        p.put("consumer.auto.offset.reset", "earliest");
        if (in.isEmpty()) {
            return;
        }
        Set<String> seen = ConcurrentHashMap.newKeySet();
        StreamsBuilder b = new StreamsBuilder();
        KStream<String, String> source = b.stream(in);
        source.peek((k, v) -> seen.add(v));
        for (String t : out) {
            source.mapValues(v -> "streams:" + v).to(t);
        }
        // A repartition and a changelog topic: the application's internal topics.
        source.selectKey((k, v) -> v).groupByKey().count();
        Set<String> want = new HashSet<>();
        in.forEach(t -> want.addAll(expected.getOrDefault(t, Set.of())));
        Throwable[] error = new Throwable[1];
        KafkaStreams streams = new KafkaStreams(b.build(), p);
        streams.setUncaughtExceptionHandler(e -> {
            error[0] = e;
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        try {
            streams.start();
            long end = System.currentTimeMillis() + WAIT_MS;
            while (!seen.containsAll(want) && error[0] == null && System.currentTimeMillis() < end) {
                Thread.sleep(100);
            }
            // the outputs are committed with the inputs' offsets
            Thread.sleep(p.getProperty("processing.guarantee", "").startsWith("exactly") ? 1000 : 500);
        } catch (Exception e) {
            error[0] = e;
        } finally {
            streams.close(Duration.ofSeconds(15));
            Utils.closeQuietly(() -> streams.cleanUp(), "streams state");
        }
        if (error[0] != null || !seen.containsAll(want)) {
            fail(s, "Streams " + p.getProperty("application.id") + " (" + p.getProperty("processing.guarantee", "at_least_once")
                    + ") processed " + seen.size() + "/" + want.size(), String.join(",", in), error[0] == null ? null : cause(error[0]));
            return;
        }
        for (String t : out) {
            Set<String> vals = expected.computeIfAbsent(t, k -> ConcurrentHashMap.newKeySet());
            want.forEach(v -> vals.add("streams:" + v));
        }
    }

    private void connectJob(Topology.Service s) {
        Map<String, String> w = new HashMap<>();
        configs.get(s.key()).props.forEach((k, v) -> w.put(String.valueOf(k), String.valueOf(v)));
        w.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        w.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        w.put("config.storage.replication.factor", "-1");
        w.put("offset.storage.replication.factor", "-1");
        w.put("status.storage.replication.factor", "-1");
        w.put("listeners", "http://127.0.0.1:0");
        w.put("plugin.discovery", "service_load");
        w.put("offset.flush.interval.ms", "500");
        w.put("consumer.auto.offset.reset", "earliest");
        w.put("consumer.metadata.max.age.ms", "1000");
        String current = "worker start (group " + w.get("group.id") + ")";
        try {
            Connect<DistributedHerder> connect = new org.apache.kafka.connect.cli.ConnectDistributed().startConnect(w);
            synchronized (workers) {
                workers.add(connect);
            }
            for (Topology.Connector c : s.connectors()) {
                Map<String, String> cfg = new HashMap<>();
                cfg.put("name", c.name());
                cfg.put("tasks.max", "1");
                List<String> outTopics = resolve(c.produces());
                if (!outTopics.isEmpty()) {
                    cfg.put("connector.class", TestConnectors.Source.class.getName());
                    cfg.put("test.topic", outTopics.get(0));
                    List<String> values = new ArrayList<>();
                    for (int i = 0; i < RECORDS; i++) {
                        values.add("source:" + c.name() + ":" + i);
                    }
                    cfg.put("test.values", String.join(",", values));
                    expected.computeIfAbsent(outTopics.get(0), k -> ConcurrentHashMap.newKeySet()).addAll(values);
                } else {
                    cfg.put("connector.class", TestConnectors.Sink.class.getName());
                    cfg.put("topics", String.join(",", resolve(s, c.consumes(), AclOperation.READ)));
                }
                current = "create connector " + c.name();
                long end = System.currentTimeMillis() + WAIT_MS;
                while (true) {
                    FutureCallback<org.apache.kafka.connect.runtime.Herder.Created<org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo>> cb = new FutureCallback<>();
                    connect.herder().putConnectorConfig(c.name(), cfg, true, cb);
                    try {
                        cb.get(WAIT_MS, TimeUnit.MILLISECONDS);
                        break;
                    } catch (Exception e) {
                        if (System.currentTimeMillis() > end) {
                            throw e;
                        }
                        Thread.sleep(300);
                    }
                }
            }
            // source records must be written before the consumers look
            current = "source connectors write";
            long end = System.currentTimeMillis() + WAIT_MS;
            for (Topology.Connector c : s.connectors()) {
                List<String> outTopics = resolve(c.produces());
                if (outTopics.isEmpty()) {
                    continue;
                }
                Properties p = new Properties();
                p.putAll(broker.operatorClient());
                try (KafkaConsumer<String, String> check = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
                    List<TopicPartition> parts = check.partitionsFor(outTopics.get(0)).stream()
                            .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
                    check.assign(parts);
                    check.seekToBeginning(parts);
                    int got = 0;
                    while (got < RECORDS && System.currentTimeMillis() < end) {
                        for (ConsumerRecord<String, String> r : check.poll(Duration.ofMillis(200))) {
                            if (r.value().startsWith("source:" + c.name() + ":")) {
                                got++;
                            }
                        }
                    }
                    if (got < RECORDS) {
                        fail(s, "source connector " + c.name() + " wrote " + got + "/" + RECORDS + " (" + status(connect, c.name()) + ")", outTopics.get(0), null);
                    }
                }
            }
        } catch (Exception e) {
            fail(s, current, null, cause(e));
        }
    }

    private void waitSinks(Topology.Service s) {
        for (Topology.Connector c : s.connectors()) {
            List<String> in = resolve(s, c.consumes(), AclOperation.READ);
            if (in.isEmpty() || !resolve(c.produces()).isEmpty()) {
                continue;
            }
            Set<String> want = new HashSet<>();
            in.forEach(t -> want.addAll(expected.getOrDefault(t, Set.of())));
            long end = System.currentTimeMillis() + WAIT_MS;
            Set<String> got = Set.of();
            while (System.currentTimeMillis() < end) {
                got = TestConnectors.RECEIVED.getOrDefault(c.name(), Set.of());
                if (got.containsAll(want)) {
                    break;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (!got.containsAll(want)) {
                String status = "";
                for (Connect<DistributedHerder> w : workers) {
                    try {
                        status += " " + status(w, c.name());
                    } catch (Exception ignored) {
                        // another worker's connector
                    }
                }
                fail(s, "sink connector " + c.name() + " (group connect-" + c.name() + ") received "
                        + got.size() + "/" + want.size() + status, String.join(",", in), null);
            }
        }
    }

    private static String status(Connect<DistributedHerder> w, String connector) {
        var info = w.herder().connectorStatus(connector);
        StringBuilder out = new StringBuilder("connector " + info.connector().state());
        for (var task : info.tasks()) {
            out.append(", task ").append(task.id()).append(' ').append(task.state());
            if (task.trace() != null) {
                out.append(": ").append(task.trace().lines().limit(3).reduce((a, b) -> a + " | " + b).orElse(""));
            }
        }
        return out.toString();
    }

    /** Operations the topology does not grant the service's identity: each must be refused. */
    private void probe(Topology.Service s) {
        String principal = principal(s);
        if (configs.get(s.key()).usesToken()) {
            TokenProbes.run(this, s, clientProps(s), adapter.superUsers.contains(principal));
        }
        if (adapter.superUsers.contains(principal) || configs.get(s.key()).user == null) {
            return;
        }
        List<AclBinding> acls = aclsOf(principal);
        String write = null;
        String read = null;
        for (String t : topicNames) {
            if (write == null && !Adapter.grants(acls, ResourceType.TOPIC, t, AclOperation.WRITE)) {
                write = t;
            }
            if (read == null && !Adapter.grants(acls, ResourceType.TOPIC, t, AclOperation.READ)) {
                read = t;
            }
        }
        if (write != null) {
            Properties p = clientProps(s);
            p.put("max.block.ms", "8000");
            p.put("enable.idempotence", "false");
            p.remove("transactional.id");
            String topic = write;
            expectRefused(s, "Write", topic, () -> {
                try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
                    producer.send(new ProducerRecord<>(topic, "probe")).get(15, TimeUnit.SECONDS);
                }
            });
        }
        if (read != null) {
            Properties p = clientProps(s);
            p.putIfAbsent("group.id", s.name());
            String topic = read;
            expectRefused(s, "Read", topic, () -> {
                try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
                    TopicPartition tp = new TopicPartition(topic, 0);
                    consumer.assign(List.of(tp));
                    consumer.seekToBeginning(List.of(tp));
                    long end = System.currentTimeMillis() + 8000;
                    while (System.currentTimeMillis() < end) {
                        if (!consumer.poll(Duration.ofMillis(200)).isEmpty()) {
                            return;
                        }
                    }
                    throw new IllegalStateException("read nothing and was not refused");
                }
            });
        }
        String probeName = topo.label.replaceAll("[^A-Za-z0-9._-]", "-") + ".kafkamesh-probe-" + s.name();
        // A consumer group the identity holds nothing on: finding its coordinator needs Describe.
        String readable = topicNames.stream()
                .filter(t -> Adapter.grants(acls, ResourceType.TOPIC, t, AclOperation.READ)).findFirst().orElse(null);
        if (readable != null && !Adapter.grants(acls, ResourceType.GROUP, probeName, AclOperation.DESCRIBE)) {
            Properties p = clientProps(s);
            p.put("group.id", probeName);
            p.remove("group.instance.id");
            expectRefused(s, "Read", "group " + probeName, () -> {
                try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
                    consumer.subscribe(List.of(readable));
                    long end = System.currentTimeMillis() + 8000;
                    while (System.currentTimeMillis() < end) {
                        consumer.poll(Duration.ofMillis(200));
                    }
                    throw new IllegalStateException("joined group " + probeName + " and was not refused");
                }
            });
        }
        // A transactional id the identity holds no Write on: InitProducerId is refused.
        if (!Adapter.grants(acls, ResourceType.TRANSACTIONAL_ID, probeName, AclOperation.WRITE)) {
            Properties p = clientProps(s);
            p.put("transactional.id", probeName);
            p.put("max.block.ms", "8000");
            expectRefused(s, "Write", "transactional id " + probeName, () -> {
                try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
                    producer.initTransactions();
                }
            });
        }
        String create = probeName;
        if (!Adapter.grants(acls, ResourceType.TOPIC, create, AclOperation.CREATE)
                && !Adapter.grants(acls, ResourceType.CLUSTER, "kafka-cluster", AclOperation.CREATE)) {
            expectRefused(s, "Create", create, () -> {
                try (Admin admin = Admin.create(clientProps(s))) {
                    admin.createTopics(List.of(new NewTopic(create, 1, (short) 1))).all().get(15, TimeUnit.SECONDS);
                }
            });
        }
    }

    interface Probe {
        void run() throws Exception;
    }

    void expectRefused(Topology.Service s, String op, String resource, Probe probe) {
        try {
            probe.run();
            fail(s, "NOT REFUSED: " + op, resource, null);
        } catch (Exception e) {
            Throwable c = cause(e);
            if (c instanceof AuthorizationException || c instanceof AuthenticationException) {
                report.denial(topo.label, s.key() + " " + op + " " + resource + ": " + c.getClass().getSimpleName());
            } else {
                fail(s, "probe " + op + " (expected an authorization error)", resource, c);
            }
        }
    }

    static Throwable cause(Throwable e) {
        while ((e instanceof java.util.concurrent.ExecutionException || e instanceof org.apache.kafka.common.KafkaException
                && !(e instanceof AuthorizationException) && !(e instanceof AuthenticationException)
                && e.getClass() == org.apache.kafka.common.KafkaException.class) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
