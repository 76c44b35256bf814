package dev.kafkamesh.broker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * kcat (librdkafka) configured only from `client-config --format librdkafka`: the plain producer
 * writes, the consumer reads the same records with its group.
 */
final class Kcat {
    private Kcat() {}

    static void run(Topology topo, Path kafkamesh, Broker broker, Path work, Report report) throws Exception {
        Topology.Service producer = null;
        Topology.Service consumer = null;
        String topic = null;
        for (Topology.Service s : topo.services) {
            if (s.kind().equals("app") && s.transactionalId() == null && !s.produces().isEmpty()
                    && !s.produces().get(0).endsWith("*") && producer == null) {
                producer = s;
            }
        }
        if (producer == null) {
            return;
        }
        topic = producer.produces().get(0);
        for (Topology.Service s : topo.services) {
            for (Topology.Consume c : s.consumes()) {
                if (s.kind().equals("app") && c.topic().equals(producer.produces().get(0)) && !c.group().endsWith("*")
                        && consumer == null) {
                    consumer = s;
                }
            }
        }
        if (consumer == null) {
            return;
        }
        Files.createDirectories(work);
        Path pconf = config(topo, kafkamesh, broker, producer, work.resolve("producer.conf"));
        Path cconf = config(topo, kafkamesh, broker, consumer, work.resolve("consumer.conf"));
        List<String> lines = List.of("kcat:" + topo.label + ":0", "kcat:" + topo.label + ":1", "kcat:" + topo.label + ":2");
        String produced = exec(List.of("kcat", "-F", pconf.toString(), "-P", "-t", topic), String.join("\n", lines) + "\n");
        String group = null;
        for (Topology.Consume c : consumer.consumes()) {
            if (group == null && c.topic().equals(topic)) {
                group = Topology.concrete(c.group());
            }
        }
        String consumed = exec(List.of("kcat", "-F", cconf.toString(), "-G", group, "-X", "auto.offset.reset=earliest",
                "-e", "-q", "-f", "%s\\n", topic), null);
        if (produced.contains("invalid credentials with SASL mechanism SCRAM") && oldLibrdkafka()) {
            // librdkafka before 2.6.1 builds a SCRAM client-final-message that Kafka 4.x rejects
            // (confluentinc/librdkafka#4895; edenhill/kcat#462): not a kafkamesh setting.
            System.out.println("kcat " + topo.label + ": NOT RUN over SCRAM: this kcat's librdkafka (" + librdkafka
                    + ") predates 2.6.1, which Kafka 4.x SCRAM needs; the broker said: invalid credentials");
            report.kcatScramOld++;
            return;
        }
        if (!produced.startsWith("ok:") || !consumed.startsWith("ok:")
                || !consumed.substring(3).lines().toList().containsAll(lines)) {
            report.failure(topo.label, "kcat", "kcat producer " + producer.key() + " -> consumer " + consumer.key()
                    + " (group " + group + ") on " + topic + ":\n    producer " + produced + "\n    consumer " + consumed);
        } else {
            System.out.println("kcat " + topo.label + ": " + producer.key() + " wrote and " + consumer.key()
                    + " read " + lines.size() + " records on " + topic);
            report.kcatHeld++;
        }
    }

    /**
     * A service-account-token topology: librdkafka cannot read a token file by configuration, so
     * client-config --format librdkafka must refuse (KM010) rather than print settings that look
     * complete. Checked for the first service; kcat is not run.
     */
    static void refusesTokens(Topology topo, Path kafkamesh, Report report) throws Exception {
        Topology.Service s = topo.services.get(0);
        List<String> cmd = new ArrayList<>(List.of(kafkamesh.toString(), "client-config", "--format", "librdkafka", "--service", s.key()));
        topo.files.forEach(f -> cmd.add(f.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() == 1 && out.contains("KM010")) {
            System.out.println("kcat " + topo.label + ": not run: client-config --format librdkafka refuses " + s.key()
                    + " (KM010: librdkafka cannot read a service-account token file by configuration)");
        } else {
            report.failure(topo.label, "kcat", "client-config --format librdkafka for token service " + s.key()
                    + " did not refuse with KM010:\n    " + out);
        }
    }

    private static String librdkafka = "";

    /** The librdkafka version kcat is built with, from `kcat -V`, is older than 2.6.1. */
    private static boolean oldLibrdkafka() throws Exception {
        String v = exec(List.of("kcat", "-V"), null);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("librdkafka (\\d+)\\.(\\d+)\\.(\\d+)").matcher(v);
        if (!m.find()) {
            return false;
        }
        librdkafka = m.group(0);
        int[] x = {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
        return x[0] < 2 || (x[0] == 2 && (x[1] < 6 || (x[1] == 6 && x[2] < 1)));
    }

    private static Path config(Topology topo, Path kafkamesh, Broker broker, Topology.Service s, Path file) throws Exception {
        List<String> args = new ArrayList<>(List.of("client-config", "--format", "librdkafka", "--service", s.key()));
        topo.files.forEach(f -> args.add(f.toString()));
        ClientConfig c = new ClientConfig(ClientConfig.run(kafkamesh, args), broker);
        if (!c.missing.isEmpty()) {
            throw new IllegalStateException("librdkafka settings unfilled: " + c.missing);
        }
        StringBuilder out = new StringBuilder();
        for (Map.Entry<Object, Object> e : c.props.entrySet()) {
            out.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        Files.writeString(file, out.toString());
        return file;
    }

    private static String exec(List<String> cmd, String input) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (input != null) {
            p.getOutputStream().write(input.getBytes());
        }
        p.getOutputStream().close();
        byte[][] out = new byte[1][];
        Thread reader = new Thread(() -> {
            try {
                out[0] = p.getInputStream().readAllBytes();
            } catch (Exception e) {
                out[0] = new byte[0];
            }
        });
        reader.start();
        boolean exited = p.waitFor(40, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly();
        }
        reader.join(2000);
        String text = out[0] == null ? "" : new String(out[0]);
        return exited && p.exitValue() == 0 ? "ok:" + text : (exited ? "exit " + p.exitValue() : "timed out") + ": " + text;
    }
}
