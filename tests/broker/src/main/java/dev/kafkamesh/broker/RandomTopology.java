package dev.kafkamesh.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded random topologies: every service kind, prefixes, deny grants, roles, shared accounts. */
final class RandomTopology {
    private RandomTopology() {}

    static String generate(long seed, String id) {
        Random r = new Random(seed);
        StringBuilder y = new StringBuilder();
        String auth = r.nextInt(3) == 0 ? "tls" : "scram-sha-512";
        y.append("apiVersion: kafkamesh.io/v1alpha1\nkind: Topology\nmetadata:\n  name: ").append(id).append('\n');
        y.append("mesh:\n  mtls: strict\n  defaultDeny: true\n");
        y.append("kafka:\n  name: ").append(id).append("-kafka\n  namespace: ").append(id).append("-kafka\n");
        y.append("  distribution: strimzi\n  nodes: 1\n  authentication: ").append(auth).append('\n');
        y.append("  listenerPort: ").append(auth.equals("tls") ? 9093 : 9092).append('\n');
        y.append("  strimzi:\n    api: v1\n    accessOperator: ").append(r.nextBoolean()).append('\n');
        int nss = 1 + r.nextInt(3);
        y.append("namespaces:\n  - name: ").append(id).append("-kafka\n");
        for (int n = 0; n < nss; n++) {
            y.append("  - name: ").append(ns(id, n)).append('\n');
        }
        int topics = 2 + r.nextInt(5);
        y.append("topics:\n");
        for (int t = 0; t < topics; t++) {
            y.append("  - name: ").append(topic(id, t)).append("\n    partitions: ").append(1 + r.nextInt(3))
                    .append("\n    replicas: 1\n");
            if (r.nextInt(4) == 0) {
                y.append("    config: {retention.ms: 3600000}\n");
            }
        }
        y.append("roles:\n  - name: ").append(id).append("-readers\n    grants:\n");
        y.append("      - topics: [\"").append(id).append(".t*\"]\n        operations: [Read, Describe]\n");
        y.append("      - topics: [").append(topic(id, 0)).append("]\n        operations: [Read]\n        effect: deny\n");
        y.append("services:\n");
        int services = 2 + r.nextInt(4);
        List<String> names = new ArrayList<>();
        boolean shared = services > 2 && r.nextBoolean();  // services 1 and 2: one identity
        String sharedNs = null;
        for (int s = 0; s < services; s++) {
            String name = id + "-s" + s;
            names.add(name);
            String ns = ns(id, r.nextInt(nss));
            if (shared && s == 2) {
                ns = sharedNs;
            }
            int kind = r.nextInt(10);
            y.append("  - name: ").append(name).append("\n    namespace: ").append(ns).append('\n');
            if (shared && (s == 1 || s == 2)) {
                sharedNs = ns;
                kind = r.nextInt(6);  // apps share accounts; Streams and Connect keep their own
                y.append("    serviceAccount: ").append(id).append("-shared\n");
            }
            int out = r.nextInt(topics);
            int in = (out + 1 + r.nextInt(topics - 1)) % topics;
            if (kind < 6) {
                y.append("    produces: [").append(topic(id, out)).append("]\n");
                if (r.nextBoolean()) {
                    y.append("    consumes:\n      - {topic: ").append(topic(id, in)).append(", group: \"")
                            .append(name).append(r.nextBoolean() ? "-g*\"}\n" : "-g\"}\n");
                }
                if (r.nextInt(3) == 0) {
                    y.append("    transactionalId: \"").append(name).append("-tx*\"\n");
                }
                if (r.nextInt(4) == 0 && in != 0) {
                    y.append("    roles: [").append(id).append("-readers]\n");
                }
            } else if (kind < 8) {
                y.append("    kind: streams\n    applicationId: ").append(name).append("-app\n");
                y.append("    exactlyOnce: ").append(r.nextBoolean()).append('\n');
                y.append("    consumes: [").append(topic(id, in)).append("]\n");
                y.append("    produces: [").append(topic(id, out)).append("]\n");
            } else {
                y.append("    kind: connect\n    connect:\n      groupId: ").append(name).append("-connect\n");
                y.append("      connectors:\n        - {name: ").append(name).append("-src, produces: [")
                        .append(topic(id, out)).append("]}\n");
                y.append("        - {name: ").append(name).append("-sink, consumes: [\"").append(id)
                        .append(".t*\"]}\n");
            }
        }
        return y.toString();
    }

    private static String ns(String id, int n) {
        return id + "-ns" + n;
    }

    private static String topic(String id, int t) {
        return id + ".t" + t;
    }
}
