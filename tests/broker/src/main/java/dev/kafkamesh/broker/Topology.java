package dev.kafkamesh.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.yaml.snakeyaml.Yaml;

/**
 * What each service of a topology declares it does (its job), read from the topology files as
 * kafkamesh reads them: one file, or every *.yaml of a directory in sorted order, lists merged.
 * The job is taken from here; how the client connects is taken only from client-config.
 */
final class Topology {
    record Consume(String topic, String group) {}
    record Connector(String name, List<String> produces, List<String> consumes) {}
    record Service(String ns, String name, String kind, String account, List<String> produces,
                   List<Consume> consumes, String transactionalId, String applicationId,
                   boolean exactlyOnce, String connectGroup, List<Connector> connectors) {
        String key() { return ns + "/" + name; }
    }

    final String label;
    final List<Path> files = new ArrayList<>();
    final List<Service> services = new ArrayList<>();
    /** Declared topics (name -> external?) */
    final Map<String, Boolean> topics = new LinkedHashMap<>();
    String kafkaNamespace = "kafka";
    String authentication = "scram-sha-512";

    Topology(String label, Path path) throws IOException {
        this.label = label;
        if (Files.isDirectory(path)) {
            try (Stream<Path> s = Files.list(path)) {
                s.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(files::add);
            }
        } else {
            files.add(path);
        }
        for (Path f : files) {
            read(f);
        }
    }

    @SuppressWarnings("unchecked")
    private void read(Path f) throws IOException {
        Map<String, Object> doc = new Yaml().load(Files.readString(f));
        if (doc == null) {
            return;
        }
        Map<String, Object> kafka = (Map<String, Object>) doc.get("kafka");
        if (kafka != null) {
            kafkaNamespace = str(kafka.get("namespace"), "kafka");
            authentication = str(kafka.get("authentication"), "scram-sha-512");
        }
        for (Map<String, Object> t : list(doc.get("topics"))) {
            topics.put(str(t.get("name"), null), Boolean.TRUE.equals(t.get("external")));
        }
        for (Map<String, Object> s : list(doc.get("services"))) {
            String name = str(s.get("name"), null);
            List<Consume> consumes = new ArrayList<>();
            for (Object c : (List<Object>) s.getOrDefault("consumes", List.of())) {
                if (c instanceof Map<?, ?> m) {
                    consumes.add(new Consume(str(m.get("topic"), null), str(m.get("group"), name)));
                } else {
                    consumes.add(new Consume(String.valueOf(c), name));
                }
            }
            Map<String, Object> connect = (Map<String, Object>) s.getOrDefault("connect", Map.of());
            List<Connector> connectors = new ArrayList<>();
            for (Map<String, Object> c : list(connect.get("connectors"))) {
                connectors.add(new Connector(str(c.get("name"), null), strings(c.get("produces")),
                        strings(c.get("consumes"))));
            }
            services.add(new Service(str(s.get("namespace"), null), name, str(s.get("kind"), "app"),
                    str(s.get("serviceAccount"), name), strings(s.get("produces")), consumes,
                    str(s.get("transactionalId"), null), str(s.get("applicationId"), name),
                    Boolean.TRUE.equals(s.get("exactlyOnce")), str(connect.get("groupId"), name),
                    connectors));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return o == null ? List.of() : (List<Map<String, Object>>) o;
    }

    private static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        if (o instanceof List<?> l) {
            for (Object x : l) {
                out.add(x instanceof Map<?, ?> m ? String.valueOf(m.get("topic")) : String.valueOf(x));
            }
        }
        return out;
    }

    private static String str(Object o, String dflt) {
        return o == null ? dflt : String.valueOf(o);
    }

    /** A topic reference resolved to the topics that exist for it: x* matches by prefix. */
    List<String> resolve(String ref, java.util.Collection<String> existing) {
        List<String> out = new ArrayList<>();
        if (ref.endsWith("*")) {
            String prefix = ref.substring(0, ref.length() - 1);
            for (String t : existing) {
                if (t.startsWith(prefix)) {
                    out.add(t);
                }
            }
        } else if (existing.contains(ref)) {
            out.add(ref);
        }
        return out;
    }

    /** A concrete name for a group or transactional id reference: x* becomes x0. */
    static String concrete(String ref) {
        return ref.endsWith("*") ? ref.substring(0, ref.length() - 1) + "0" : ref;
    }
}
