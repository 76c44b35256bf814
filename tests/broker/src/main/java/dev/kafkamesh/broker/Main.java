package dev.kafkamesh.broker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * tests/broker entry point: Main --kafkamesh BIN --work DIR [--random N --seed S] [-v] TOPOLOGY...,
 * or Main --kafkamesh BIN --work DIR --apply [-v] for plan and apply (ApplyCheck).
 * Starts one broker, runs every topology through it, prints the summary as the last line.
 */
public final class Main {
    public static void main(String[] args) throws Exception {
        Path kafkamesh = null;
        Path work = null;
        int random = 0;
        int parallel = 8;
        long seed = 1;
        boolean verbose = false;
        boolean apply = false;
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--kafkamesh" -> kafkamesh = Path.of(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                case "--random" -> random = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "-v" -> verbose = true;
                case "--apply" -> apply = true;
                case "--parallel" -> parallel = Integer.parseInt(args[++i]);
                default -> paths.add(args[i]);
            }
        }
        Report report = new Report(verbose);
        int code;
        try {
            // --apply: plan and apply against their own broker (ApplyCheck), no topologies.
            code = apply ? ApplyCheck.run(kafkamesh, work.resolve("apply"), report)
                         : run(kafkamesh, work, paths, random, seed, parallel, report);
        } catch (Throwable e) {
            e.printStackTrace(System.out);
            report.failures.add("harness: " + e);
            code = 1;
        }
        System.out.println("kcat: " + report.kcatHeld + " producer/consumer pairs passed, " + report.kcatScramOld
                + " not run over SCRAM (librdkafka older than 2.6.1); import round trips held: " + report.importsHeld);
        System.out.println("tokens: " + report.tokensRefused.size() + " bad service-account tokens refused at authentication, "
                + report.principalsNamed.size() + " token principals named as expected");
        int failures = report.failures.size();
        System.out.println("broker: " + report.ranServices.size() + " services ran, " + report.denials.size()
                + " denials held, " + failures + " failures");
        System.out.flush();
        Runtime.getRuntime().halt(failures == 0 && code == 0 ? 0 : 1);
    }

    private static int run(Path kafkamesh, Path work, List<String> paths, int random, long seed, int parallel,
                           Report report)
            throws Exception {
        Files.createDirectories(work);
        List<Topology> topologies = new ArrayList<>();
        for (String p : paths) {
            Path path = Path.of(p);
            String name = path.getFileName().toString();
            if (name.equals("topology.yaml")) {
                name = path.toAbsolutePath().getParent().getFileName().toString();
            }
            topologies.add(new Topology(name.replaceAll("\\.ya?ml$", ""), path));
        }
        if (random > 0) {
            Path dir = work.resolve("random");
            Files.createDirectories(dir);
            for (int i = 0; i < random; i++) {
                Path f = dir.resolve(String.format("r%03d.yaml", i));
                Files.writeString(f, RandomTopology.generate(seed + i, String.format("r%03d", i)));
                topologies.add(new Topology(String.format("random-%d", seed + i), f));
            }
        }
        long t0 = System.currentTimeMillis();
        List<TopologyRun> runs = new ArrayList<>();
        TreeSet<String> superUsers = new TreeSet<>();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        for (int i = 0; i < topologies.size(); i++) {
            TopologyRun r = new TopologyRun(topologies.get(i), null, kafkamesh, work.resolve("t" + i), pool, report);
            runs.add(r);
        }
        // All topologies are compiled first: the super users are broker configuration.
        for (TopologyRun r : runs) {
            r.compile();
            superUsers.addAll(r.adapter.superUsers);
        }
        System.out.println("compiled " + runs.size() + " topologies in " + (System.currentTimeMillis() - t0) + " ms");
        Pki pki = new Pki(work.resolve("pki"));
        superUsers.add("User:CN=" + KafkameshApply.ADMIN_CN);
        List<TokenListener> tokens = new ArrayList<>();
        TokenIssuer issuer = null;
        for (TopologyRun r : runs) {
            if (r.tokenListener == null) {
                continue;
            }
            if (issuer == null) {
                issuer = new TokenIssuer(work.resolve("tokens"), pki);
            }
            TokenListener t = r.tokenListener;
            // One broker, one listener per token topology: the compiled name unless one before took it.
            String name = t.name;
            for (int n = 2; taken(tokens, name); n++) {
                name = t.name + "-" + n;
            }
            t.configure(name, issuer, pki);
            t.problems.forEach(p -> report.failure(r.topo.label, "compiled OAUTHBEARER listener", p));
            if (t.loopbackJwksUrl == null) {
                r.tokenListener = null;
                continue;
            }
            // Set before the broker configures its listeners (read at each configure, see ClientConfig.allowUrl).
            ClientConfig.allowUrl(t.loopbackJwksUrl);
            tokens.add(t);
        }
        TokenIssuer tokenIssuer = issuer;
        try (TokenIssuer ignored = issuer;
             Broker broker = new Broker(work.resolve("broker"), pki, superUsers, tokens); Admin admin = broker.admin()) {
            System.out.println("broker up in " + (System.currentTimeMillis() - t0) + " ms"
                    + (tokens.isEmpty() ? "" : ", with " + tokens.size() + " OAUTHBEARER listeners"));
            attacker(broker, report);
            // Examples one after another; random topologies (unique names) several at a time.
            ExecutorService topologyPool = Executors.newFixedThreadPool(parallel);
            List<java.util.concurrent.Future<?>> pending = new ArrayList<>();
            for (TopologyRun r0 : runs) {
                Runnable one = () -> runOne(r0, broker, tokenIssuer, admin, pki, kafkamesh, work, runs.indexOf(r0), report);
                if (r0.topo.label.startsWith("random-")) {
                    pending.add(topologyPool.submit(one));
                } else {
                    one.run();
                }
            }
            for (var f : pending) {
                f.get();
            }
            topologyPool.shutdown();
            pool.shutdownNow();
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }
        return 0;
    }

    private static boolean taken(List<TokenListener> tokens, String name) {
        return tokens.stream().anyMatch(t -> t.name.equalsIgnoreCase(name))
                || List.of("SCRAM", "TLS", "REPLICATION", "CONTROLLER").contains(name.toUpperCase(java.util.Locale.ROOT));
    }

    private static void runOne(TopologyRun r0, Broker broker, TokenIssuer issuer, Admin admin, Pki pki, Path kafkamesh,
                               Path work, int index, Report report) {
        long t = System.currentTimeMillis();
        TopologyRun r = r0.withBroker(broker, issuer);
        try {
            r.applyAndRun(admin, pki);
            if (r.tokenListener != null) {
                Kcat.refusesTokens(r.topo, kafkamesh, report);
                // import reads KafkaUsers and kafka-acls output; token principals have no KafkaUser.
                System.out.println("import round trip " + r.topo.label + ": not run (service-account-token principals"
                        + " have no KafkaUser to import)");
            } else if (!r.topo.label.startsWith("random-")) {
                // Examples run alone on the broker: the ACL listing holds only theirs.
                Kcat.run(r.topo, kafkamesh, broker, work.resolve("kcat-" + index), report);
                ImportCheck.run(r, broker, admin, kafkamesh, work.resolve("t" + index).resolve("import"), pki);
            }
        } catch (Exception e) {
            e.printStackTrace(System.out);
            report.failure(r.topo.label, "-", "harness: " + e);
        } finally {
            r.stopWorkers();
            try {
                r.adapter.removeAcls(admin);
                r.removeTokenAcls(admin);
            } catch (Exception e) {
                report.failure(r.topo.label, "-", "removing ACLs: " + e);
            }
        }
        System.out.println("topology " + r.topo.label + ": " + r.topo.services.size() + " services in "
                + (System.currentTimeMillis() - t) + " ms");
    }

    /** The seed-001 attacker without a credential: plain text, a wrong password, no client certificate. */
    private static void attacker(Broker broker, Report report) throws Exception {
        String[][] cases = {
            {"no credential (PLAINTEXT to the SCRAM listener)", "PLAINTEXT", String.valueOf(broker.scramPort)},
            {"wrong SCRAM password", "SASL_PLAINTEXT", String.valueOf(broker.scramPort)},
            {"no client certificate (TLS listener)", "SSL", String.valueOf(broker.tlsPort)},
        };
        for (String[] c : cases) {
            Properties p = new Properties();
            p.put("bootstrap.servers", "127.0.0.1:" + c[2]);
            p.put("security.protocol", c[1]);
            p.put("max.block.ms", "4000");
            if (c[1].equals("SASL_PLAINTEXT")) {
                p.put("sasl.mechanism", "SCRAM-SHA-512");
                p.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"attacker\" password=\"guess\";");
            }
            if (c[1].equals("SSL")) {
                p.put("ssl.truststore.type", "PKCS12");
                p.put("ssl.truststore.location", broker.operatorClient().get("ssl.truststore.location"));
                p.put("ssl.truststore.password", Pki.PASSWORD);
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("__consumer_offsets", "probe")).get(10, TimeUnit.SECONDS);
                report.failure("seed-001", "attacker", "NOT REFUSED: " + c[0]);
            } catch (Exception e) {
                Throwable t = TopologyRun.cause(e);
                // Without a credential there is no principal to authorize: the broker closes the
                // connection (the client times out) or fails the authentication.
                report.denial("seed-001", "attacker " + c[0] + ": " + t.getClass().getSimpleName());
            }
        }
    }
}
