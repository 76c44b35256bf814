package dev.kafkamesh.broker;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

/** The connectors the Connect workers run: a source writing given records, a sink collecting them. */
public final class TestConnectors {
    /** sink connector name -> values it received */
    static final Map<String, Set<String>> RECEIVED = new ConcurrentHashMap<>();

    private TestConnectors() {}

    public static final class Source extends SourceConnector {
        private Map<String, String> config;
        @Override public void start(Map<String, String> props) { config = props; }
        @Override public Class<? extends Task> taskClass() { return SourceTaskImpl.class; }
        @Override public List<Map<String, String>> taskConfigs(int max) { return List.of(config); }
        @Override public void stop() {}
        @Override public ConfigDef config() { return new ConfigDef(); }
        @Override public String version() { return "1"; }
    }

    public static final class SourceTaskImpl extends SourceTask {
        private List<String> values;
        private String topic;
        private boolean done;
        @Override public String version() { return "1"; }
        @Override public void start(Map<String, String> props) {
            topic = props.get("test.topic");
            values = List.of(props.get("test.values").split(","));
        }
        @Override public List<SourceRecord> poll() throws InterruptedException {
            if (done) {
                Thread.sleep(200);
                return null;
            }
            done = true;
            return values.stream().map(v -> new SourceRecord(Map.of("source", topic), Map.of("position", v),
                    topic, null, Schema.STRING_SCHEMA, v, Schema.STRING_SCHEMA, v)).toList();
        }
        @Override public void stop() {}
    }

    public static final class Sink extends SinkConnector {
        private Map<String, String> config;
        @Override public void start(Map<String, String> props) { config = props; }
        @Override public Class<? extends Task> taskClass() { return SinkTaskImpl.class; }
        @Override public List<Map<String, String>> taskConfigs(int max) { return List.of(config); }
        @Override public void stop() {}
        @Override public ConfigDef config() { return new ConfigDef(); }
        @Override public String version() { return "1"; }
    }

    public static final class SinkTaskImpl extends SinkTask {
        private String name;
        @Override public String version() { return "1"; }
        @Override public void start(Map<String, String> props) { name = props.get("name"); }
        @Override public void put(Collection<SinkRecord> records) {
            Set<String> got = RECEIVED.computeIfAbsent(name, k -> ConcurrentHashMap.newKeySet());
            for (SinkRecord r : records) {
                got.add(String.valueOf(r.value()));
            }
        }
        @Override public void stop() {}
    }
}
