package dev.kafkamesh.broker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.yaml.snakeyaml.Yaml;

/**
 * Applies what kafkamesh compiled the way Strimzi's operators would; the mapping, with the upstream
 * files it follows, is written down in README.md beside this file ("The adapter").
 */
final class Adapter {
    record User(String name, String namespace, String cluster, String auth, String principal,
                List<AclBinding> acls, Map<String, Double> quotas) {}
    record Topic(String name, int partitions, Map<String, String> config) {}

    final List<User> users = new ArrayList<>();
    final List<Topic> topics = new ArrayList<>();
    final Set<String> superUsers = new TreeSet<>();
    /** KafkaAccess ns/name -> KafkaUser ns/name */
    final Map<String, String> accesses = new HashMap<>();
    String secretPrefix = "";

    /** The Secrets the operators would write: "ns/name" -> key -> value (a file path for files). */
    static final Map<String, Map<String, String>> SECRETS = new ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    Adapter(Path compiled) throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.walk(compiled)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        for (Path f : files) {
            for (Object o : new Yaml().loadAll(Files.readString(f))) {
                if (o instanceof Map<?, ?> doc) {
                    read((Map<String, Object>) doc);
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void read(Map<String, Object> doc) {
        String kind = String.valueOf(doc.get("kind"));
        Map<String, Object> meta = (Map<String, Object>) doc.getOrDefault("metadata", Map.of());
        Map<String, Object> spec = (Map<String, Object>) doc.getOrDefault("spec", Map.of());
        switch (kind) {
            case "KafkaUser" -> readUser(meta, spec);
            case "KafkaTopic" -> {
                // Topic Operator: spec.topicName if set, else metadata.name.
                String name = (String) spec.getOrDefault("topicName", meta.get("name"));
                Map<String, String> config = new HashMap<>();
                ((Map<String, Object>) spec.getOrDefault("config", Map.of()))
                        .forEach((k, v) -> config.put(k, String.valueOf(v)));
                Object partitions = spec.get("partitions");
                topics.add(new Topic(name, partitions == null ? 1 : ((Number) partitions).intValue(), config));
            }
            case "Kafka" -> {
                Map<String, Object> kafka = (Map<String, Object>) spec.getOrDefault("kafka", Map.of());
                Map<String, Object> authz = (Map<String, Object>) kafka.getOrDefault("authorization", Map.of());
                for (Object su : (List<Object>) authz.getOrDefault("superUsers", List.of())) {
                    // Strimzi KafkaBrokerConfigurationBuilder: each entry becomes User:<entry>.
                    superUsers.add("User:" + su);
                }
            }
            case "KafkaAccess" -> {
                Map<String, Object> user = (Map<String, Object>) spec.get("user");
                accesses.put(meta.get("namespace") + "/" + meta.get("name"),
                        user.get("namespace") + "/" + user.get("name"));
            }
            default -> {
                scanValues(doc);
            }
        }
    }

    /** Bitnami values (config."super.users") and the standalone User Operator's env. */
    @SuppressWarnings("unchecked")
    private void scanValues(Object node) {
        if (node instanceof Map<?, ?> m) {
            Object su = m.get("super.users");
            if (su instanceof String s) {
                for (String u : s.split(";")) {
                    superUsers.add(u.trim());
                }
            }
            if ("STRIMZI_SECRET_PREFIX".equals(m.get("name")) && m.get("value") != null) {
                secretPrefix = String.valueOf(m.get("value"));
            }
            for (Object v : m.values()) {
                scanValues(v);
            }
        } else if (node instanceof List<?> l) {
            for (Object v : l) {
                scanValues(v);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void readUser(Map<String, Object> meta, Map<String, Object> spec) {
        String name = (String) meta.get("name");
        Map<String, Object> labels = (Map<String, Object>) meta.getOrDefault("labels", Map.of());
        Map<String, Object> authn = (Map<String, Object>) spec.getOrDefault("authentication", Map.of());
        String auth = String.valueOf(authn.getOrDefault("type", "none"));
        // KafkaUserModel.getUserName: TLS users are CN=<name>, SCRAM users <name>.
        boolean cn = auth.equals("tls") || auth.equals("tls-external");
        String principal = "User:" + (cn ? "CN=" + name : name);
        List<AclBinding> acls = new ArrayList<>();
        Map<String, Object> authz = (Map<String, Object>) spec.getOrDefault("authorization", Map.of());
        for (Map<String, Object> rule : (List<Map<String, Object>>) authz.getOrDefault("acls", List.of())) {
            Map<String, Object> res = (Map<String, Object>) rule.get("resource");
            ResourcePattern pattern = pattern(res);
            List<Object> ops = new ArrayList<>((List<Object>) rule.getOrDefault("operations", List.of()));
            if (rule.get("operation") != null) {
                ops.add(rule.get("operation"));
            }
            AclPermissionType perm = "deny".equals(rule.get("type")) ? AclPermissionType.DENY : AclPermissionType.ALLOW;
            String host = String.valueOf(rule.getOrDefault("host", "*"));
            for (Object op : ops) {
                acls.add(new AclBinding(pattern, new AccessControlEntry(principal, host, operation(String.valueOf(op)), perm)));
            }
        }
        Map<String, Double> quotas = new HashMap<>();
        ((Map<String, Object>) spec.getOrDefault("quotas", Map.of())).forEach((k, v) -> {
            String key = switch (k) {
                case "producerByteRate" -> "producer_byte_rate";
                case "consumerByteRate" -> "consumer_byte_rate";
                case "requestPercentage" -> "request_percentage";
                case "controllerMutationRate" -> "controller_mutation_rate";
                default -> null;
            };
            if (key != null) {
                quotas.put(key, ((Number) v).doubleValue());
            }
        });
        users.add(new User(name, (String) meta.get("namespace"), String.valueOf(labels.get("strimzi.io/cluster")),
                auth, principal, acls, quotas));
    }

    /** SimpleAclRuleResource.toKafkaResourcePattern: prefix -> PREFIXED, cluster -> kafka-cluster. */
    private static ResourcePattern pattern(Map<String, Object> res) {
        String type = String.valueOf(res.get("type"));
        PatternType pt = "prefix".equals(res.get("patternType")) ? PatternType.PREFIXED : PatternType.LITERAL;
        return switch (type) {
            case "topic" -> new ResourcePattern(ResourceType.TOPIC, (String) res.get("name"), pt);
            case "group" -> new ResourcePattern(ResourceType.GROUP, (String) res.get("name"), pt);
            case "transactionalId" -> new ResourcePattern(ResourceType.TRANSACTIONAL_ID, (String) res.get("name"), pt);
            case "cluster" -> new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL);
            default -> throw new IllegalArgumentException("unknown ACL resource type " + type);
        };
    }

    /** Strimzi's operation names (AclOperation in the CRD) to Kafka's: DescribeConfigs -> DESCRIBE_CONFIGS. */
    static AclOperation operation(String op) {
        return AclOperation.valueOf(op.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
    }

    /** Creates the topics, users, credentials, quotas and ACLs, then fills SECRETS. */
    void apply(Admin admin, Pki pki, int maxReplicas) throws Exception {
        List<NewTopic> newTopics = new ArrayList<>();
        for (Topic t : topics) {
            Map<String, String> config = new HashMap<>(t.config());
            // One node: replicas and min.insync.replicas above 1 cannot be placed or met.
            config.computeIfPresent("min.insync.replicas", (k, v) -> String.valueOf(Math.min(Integer.parseInt(v), maxReplicas)));
            newTopics.add(new NewTopic(t.name(), t.partitions(), (short) maxReplicas).configs(config));
        }
        for (var e : admin.createTopics(newTopics).values().entrySet()) {
            try {
                e.getValue().get();
            } catch (ExecutionException ex) {
                if (!(ex.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("KafkaTopic " + e.getKey() + ": " + ex.getCause(), ex.getCause());
                }
            }
        }
        List<UserScramCredentialUpsertion> scram = new ArrayList<>();
        List<AclBinding> acls = new ArrayList<>();
        List<ClientQuotaAlteration> quotas = new ArrayList<>();
        SecureRandom random = new SecureRandom();
        for (User u : users) {
            Map<String, String> secret = new HashMap<>();
            if (u.auth().equals("scram-sha-512")) {
                // KafkaUserModel: a generated 32-character password, sasl.jaas.config built from it.
                StringBuilder pw = new StringBuilder();
                String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
                for (int i = 0; i < 32; i++) {
                    pw.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                scram.add(new UserScramCredentialUpsertion(u.name(), new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), pw.toString()));
                secret.put("password", pw.toString());
                secret.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + u.name() + "\" password=\"" + pw + "\";");
            } else if (u.auth().equals("tls")) {
                Path store = pki.keystore(u.name(), false);
                secret.put("user.p12", store.toString());
                secret.put("user.password", Pki.PASSWORD);
                secret.put("ca.crt", pki.caPem().toString());
            }
            SECRETS.put(u.namespace() + "/" + secretPrefix + u.name(), secret);
            // The cluster CA Secret <cluster>-cluster-ca-cert (KafkaResources.clusterCaCertificateSecretName).
            SECRETS.put(u.namespace() + "/" + u.cluster() + "-cluster-ca-cert", Map.of(
                    "ca.crt", pki.caPem().toString(), "ca.p12", pki.truststore().toString(), "ca.password", Pki.PASSWORD));
            acls.addAll(u.acls());
            if (!u.quotas().isEmpty()) {
                ClientQuotaEntity entity = new ClientQuotaEntity(Map.of(ClientQuotaEntity.USER, u.principal().substring(5)));
                List<ClientQuotaAlteration.Op> ops = new ArrayList<>();
                u.quotas().forEach((k, v) -> ops.add(new ClientQuotaAlteration.Op(k, v)));
                quotas.add(new ClientQuotaAlteration(entity, ops));
            }
        }
        // KafkaAccess: the Access Operator copies the user's credential into a Secret beside the app
        // (kafka-access-operator KafkaUserData: password, sasl.jaas.config, ssl.keystore.*, ssl.truststore.crt).
        for (var e : accesses.entrySet()) {
            String[] user = e.getValue().split("/", 2);
            Map<String, String> from = SECRETS.getOrDefault(user[0] + "/" + secretPrefix + user[1], Map.of());
            Map<String, String> secret = new HashMap<>(from);
            if (from.containsKey("user.p12")) {
                secret.put("ssl.keystore.p12", from.get("user.p12"));
                secret.put("ssl.keystore.password", from.get("user.password"));
            }
            secret.put("ssl.truststore.crt", pki.caPem().toString());
            SECRETS.put(e.getKey(), secret);
        }
        if (!scram.isEmpty()) {
            admin.alterUserScramCredentials(new ArrayList<>(scram)).all().get();
            // The credential reaches the broker's cache through the metadata log: wait for it there,
            // as an operator's next reconciliation would find it.
            List<String> names = scram.stream().map(UserScramCredentialUpsertion::user).distinct().toList();
            long end = System.currentTimeMillis() + 30_000;
            while (true) {
                try {
                    var found = admin.describeUserScramCredentials(names).all().get();
                    if (found.keySet().containsAll(names)) {
                        break;
                    }
                } catch (ExecutionException e) {
                    if (System.currentTimeMillis() > end) {
                        throw e;
                    }
                }
                Thread.sleep(100);
            }
        }
        if (!acls.isEmpty()) {
            admin.createAcls(acls).all().get();
            // The broker's authorizer answers DescribeAcls: wait until it holds them all.
            long end = System.currentTimeMillis() + 30_000;
            while (!new java.util.HashSet<>(admin.describeAcls(AclBindingFilter.ANY).values().get()).containsAll(acls)
                    && System.currentTimeMillis() < end) {
                Thread.sleep(100);
            }
        }
        if (!quotas.isEmpty()) {
            admin.alterClientQuotas(quotas).all().get();
        }
    }

    /** Removes this topology's ACLs (so topologies that follow on the same broker start clean). */
    void removeAcls(Admin admin) throws Exception {
        List<AclBindingFilter> filters = new ArrayList<>();
        for (User u : users) {
            for (AclBinding b : u.acls()) {
                filters.add(b.toFilter());
            }
        }
        if (!filters.isEmpty()) {
            admin.deleteAcls(filters).all().get();
        }
    }

    /** The compiled ACLs of a principal (empty when the topology has no KafkaUser for it). */
    List<AclBinding> aclsOf(String principal) {
        for (User u : users) {
            if (u.principal().equals(principal)) {
                return u.acls();
            }
        }
        return List.of();
    }

    /** Kafka's authorizer rule for one request, over the compiled ACLs: a deny wins, then an allow. */
    static boolean grants(List<AclBinding> acls, ResourceType type, String name, AclOperation op) {
        boolean allowed = false;
        for (AclBinding b : acls) {
            ResourcePattern p = b.pattern();
            if (p.resourceType() != type) {
                continue;
            }
            boolean matches = p.name().equals("*") || (p.patternType() == PatternType.LITERAL ? p.name().equals(name)
                    : name.startsWith(p.name()));
            if (!matches) {
                continue;
            }
            AclOperation a = b.entry().operation();
            boolean covers = a == op || a == AclOperation.ALL;
            if (b.entry().permissionType() == AclPermissionType.DENY) {
                if (covers) {
                    return false;
                }
            } else if (covers || (op == AclOperation.DESCRIBE && Set.of(AclOperation.READ, AclOperation.WRITE,
                    AclOperation.DELETE, AclOperation.ALTER).contains(a))
                    || (op == AclOperation.DESCRIBE_CONFIGS && a == AclOperation.ALTER_CONFIGS)) {
                allowed = true;
            }
        }
        return allowed;
    }
}
