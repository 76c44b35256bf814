package dev.kafkamesh.broker;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.utils.Exit;

/**
 * `import` reads what the real tools print: kafka-acls.sh --list (kafka-tools' AclCommand, run
 * here against the broker) and the KafkaUsers and KafkaTopics applied; importing, compiling and
 * applying again must leave the broker's ACLs as they were.
 */
final class ImportCheck {
    private ImportCheck() {}

    static String aclsList(Broker broker, Path dir) throws Exception {
        Properties p = new Properties();
        broker.operatorClient().forEach((k, v) -> p.setProperty(k, String.valueOf(v)));
        Path config = dir.resolve("operator.properties");
        try (var out = Files.newOutputStream(config)) {
            p.store(out, null);
        }
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        Exit.setExitProcedure((code, message) -> {
            throw new IllegalStateException("kafka-acls exited " + code + ": " + message);
        });
        synchronized (System.out) {
            System.setOut(new PrintStream(text, true));
            try {
                org.apache.kafka.tools.AclCommand.main(new String[] {"--bootstrap-server",
                        String.valueOf(p.get("bootstrap.servers")), "--command-config", config.toString(), "--list"});
            } finally {
                System.setOut(stdout);
                Exit.resetExitProcedure();
            }
        }
        return text.toString();
    }

    static void run(TopologyRun r, Broker broker, Admin admin, Path kafkamesh, Path work, Pki pki) throws Exception {
        Files.createDirectories(work);
        Set<AclBinding> before = new HashSet<>(admin.describeAcls(AclBindingFilter.ANY).values().get());
        Path acls = work.resolve("acls.txt");
        Files.writeString(acls, aclsList(broker, work));
        Path imported = work.resolve("imported");
        List<String> args = new java.util.ArrayList<>(List.of("import", acls.toString()));
        try (var files = Files.list(work.getParent().resolve("compiled"))) {
            // what a cluster holds: the Strimzi resources and the mesh policy, not kustomize's list
            files.filter(f -> f.toString().endsWith(".yaml") && !f.getFileName().toString().equals("kustomization.yaml"))
                    .sorted().forEach(f -> args.add(f.toString()));
        }
        args.addAll(List.of("-o", imported.toString()));
        ClientConfig.run(kafkamesh, args);
        Path recompiled = work.resolve("recompiled");
        ClientConfig.run(kafkamesh, List.of("compile", imported.toString(), "-o", recompiled.toString()));
        Adapter again = new Adapter(recompiled);
        List<AclBinding> desired = new ArrayList<>();
        again.users.forEach(u -> desired.addAll(u.acls()));
        if (!desired.isEmpty()) {
            admin.createAcls(desired).all().get();
        }
        Set<AclBinding> after = new HashSet<>(admin.describeAcls(AclBindingFilter.ANY).values().get());
        Set<AclBinding> added = new HashSet<>(after);
        added.removeAll(before);
        Set<AclBinding> dropped = new HashSet<>(before);
        dropped.removeAll(new HashSet<>(desired));
        if (!added.isEmpty() || !dropped.isEmpty()) {
            r.report.failure(r.topo.label, "import", "import, compile and apply changed the broker's ACLs:"
                    + (added.isEmpty() ? "" : "\n    added " + added)
                    + (dropped.isEmpty() ? "" : "\n    the recompiled topology would drop " + dropped));
        } else {
            System.out.println("import round trip " + r.topo.label + ": " + before.size() + " ACLs unchanged");
            r.report.importsHeld++;
        }
    }
}
