// Strimzi's standalone User and Topic Operators for a Kafka that Strimzi does not run
// (distribution bitnami): they reconcile the KafkaUser and KafkaTopic documents that the Strimzi
// emitters write against the chart's brokers. Deployments, service accounts and RBAC follow
// Strimzi's own install files (strimzi/strimzi-kafka-operator, packaging/install/user-operator
// and packaging/install/topic-operator, 01-ServiceAccount to 05-Deployment); every environment
// variable is one that UserOperatorConfig or TopicOperatorConfig reads (see the comments below).
#include <fmt/format.h>

#include "emit/emit.h"
#include "emit/mesh_names.h"
#include "emit/pod_mesh.h"
#include "model/bitnami_users.h"

namespace km::emit {
namespace {

/// One environment variable of a container.
void env(Value& list, const std::string& name, Value value) {
    Value& e = list.push(Value::mapping());
    e.set("name", Value::string(name));
    e.set("value", std::move(value));
}

void env_from(Value& list, const std::string& name, const std::string& field, Value source) {
    Value& e = list.push(Value::mapping());
    e.set("name", Value::string(name));
    e.set("valueFrom", Value::mapping()).set(field, std::move(source));
}

Value secret_key(const std::string& secret, const std::string& key) {
    Value ref = Value::mapping();
    ref.set("name", Value::string(secret));
    ref.set("key", Value::string(key));
    return ref;
}

Value own_namespace() {
    Value ref = Value::mapping();
    ref.set("fieldPath", Value::string("metadata.namespace"));
    return ref;
}

struct Operator {
    std::string name;    ///< Deployment, ServiceAccount, Role and RoleBinding
    std::string script;  ///< the image's start script for this operator
    int health_port;     ///< where /healthy and /ready answer
    /// (resource, verbs) of the operator's Role, as in Strimzi's 02-Role file.
    std::vector<std::pair<std::string, std::vector<std::string>>> rules;
    Value env;
    /// (Secret, key) mounted read-only at k_admin_secret_dir, "" for none.
    std::pair<std::string, std::string> admin_secret;
};

/// Where the User Operator reads the admin's password: a file of the mounted Secret, resolved
/// by Kafka's DirectoryConfigProvider inside the admin client's configuration.
constexpr const char* k_admin_secret_dir = "/etc/kafkamesh/admin";

Value rule(const std::string& group, const std::string& resource,
           const std::vector<std::string>& verbs) {
    Value r = Value::mapping();
    r.set("apiGroups", Value::sequence()).push(Value::string(group));
    r.set("resources", Value::sequence()).push(Value::string(resource));
    Value& list = r.set("verbs", Value::sequence());
    for (const std::string& v : verbs) {
        list.push(Value::string(v));
    }
    return r;
}

Value probe(const std::string& path, int port) {
    Value p = Value::mapping();
    Value& get = p.set("httpGet", Value::mapping());
    get.set("path", Value::string(path));
    get.set("port", Value::integer(port));
    p.set("initialDelaySeconds", Value::integer(10));
    p.set("periodSeconds", Value::integer(30));
    return p;
}

void emit_operator(const EmitContext& c, Operator op, std::vector<Manifest>& out) {
    const model::Topology& t = c.topology;
    const std::string& ns = t.kafka->ns.value;
    std::map<std::string, std::string> selector = {{"app.kubernetes.io/name", op.name},
                                                   {"app.kubernetes.io/part-of", "kafkamesh"}};

    Value account = base_document(c, "ServiceAccount", op.name, ns);
    add_document(c, out, rank::service_account, "ServiceAccount", ns, op.name, account);

    Value role = base_document(c, "Role", op.name, ns);
    Value& rules = role.set("rules", Value::sequence());
    for (const auto& [resource, verbs] : op.rules) {
        std::string group = resource == "secrets" ? "" : "kafka.strimzi.io";
        rules.push(rule(group, resource, verbs));
    }
    add_document(c, out, rank::role, "Role", ns, op.name, role);

    Value binding = base_document(c, "RoleBinding", op.name, ns);
    Value& subject = binding.set("subjects", Value::sequence()).push(Value::mapping());
    subject.set("kind", Value::string("ServiceAccount"));
    subject.set("name", Value::string(op.name));
    subject.set("namespace", Value::string(ns));
    Value& ref = binding.set("roleRef", Value::mapping());
    ref.set("apiGroup", Value::string("rbac.authorization.k8s.io"));
    ref.set("kind", Value::string("Role"));
    ref.set("name", Value::string(op.name));
    add_document(c, out, rank::role_binding, "RoleBinding", ns, op.name, binding);

    Value doc = base_document(c, "Deployment", op.name, ns, selector);
    Value& spec = doc.set("spec", Value::mapping());
    spec.set("replicas", Value::integer(1));
    // One instance at a time, as Strimzi's install files ask: two would reconcile against each
    // other.
    spec.set("strategy", Value::mapping()).set("type", Value::string("Recreate"));
    spec.set("selector", Value::mapping()).set("matchLabels", string_map(selector));
    Value& pod = spec.set("template", Value::mapping());
    std::map<std::string, std::string> pod_labels = mesh_pod_labels(t);
    pod_labels.insert(selector.begin(), selector.end());
    Value& pod_metadata = pod.set("metadata", Value::mapping());
    pod_metadata.set("labels", string_map(pod_labels));
    // A long-running client of the brokers: held until its proxy is ready, like Strimzi's entity
    // operator. It never exits on its own, so the proxy's shutdown does not matter.
    if (auto annotations = mesh_pod_annotations(t, PodRole::helper); !annotations.empty()) {
        pod_metadata.set("annotations", string_map(annotations));
    }
    Value& pod_spec = pod.set("spec", Value::mapping());
    pod_spec.set("serviceAccountName", Value::string(op.name));
    Value& container = pod_spec.set("containers", Value::sequence()).push(Value::mapping());
    container.set("name", Value::string(op.name));
    // The 'bitnami' section is optional: without it every setting has its default.
    const std::optional<model::BitnamiOptions>& b = t.kafka->bitnami;
    container.set("image", Value::string(b && b->operator_image ? b->operator_image->value
                                                                : model::k_strimzi_operator_image));
    container.set("args", Value::sequence()).push(Value::string(op.script));
    container.set("env", std::move(op.env));
    container.set("livenessProbe", probe("/healthy", op.health_port));
    container.set("readinessProbe", probe("/ready", op.health_port));
    container.set("securityContext", restricted_security_context());
    Value& mounts = container.set("volumeMounts", Value::sequence());
    Value& mount = mounts.push(Value::mapping());
    mount.set("name", Value::string("strimzi-tmp"));
    mount.set("mountPath", Value::string("/tmp"));
    if (!op.admin_secret.first.empty()) {
        Value& admin = mounts.push(Value::mapping());
        admin.set("name", Value::string("kafkamesh-admin"));
        admin.set("mountPath", Value::string(k_admin_secret_dir));
        admin.set("readOnly", Value::boolean(true));
    }
    Value& resources = container.set("resources", Value::mapping());
    Value& limits = resources.set("limits", Value::mapping());
    limits.set("cpu", Value::string("500m"));
    limits.set("memory", Value::string("256Mi"));
    Value& requests = resources.set("requests", Value::mapping());
    requests.set("cpu", Value::string("100m"));
    requests.set("memory", Value::string("256Mi"));
    Value& volumes = pod_spec.set("volumes", Value::sequence());
    Value& volume = volumes.push(Value::mapping());
    volume.set("name", Value::string("strimzi-tmp"));
    Value& empty_dir = volume.set("emptyDir", Value::mapping());
    empty_dir.set("medium", Value::string("Memory"));
    empty_dir.set("sizeLimit", Value::string("5Mi"));
    if (!op.admin_secret.first.empty()) {
        // Only the admin's key, as a file named after it.
        Value& admin = volumes.push(Value::mapping());
        admin.set("name", Value::string("kafkamesh-admin"));
        Value& secret = admin.set("secret", Value::mapping());
        secret.set("secretName", Value::string(op.admin_secret.first));
        Value& item = secret.set("items", Value::sequence()).push(Value::mapping());
        item.set("key", Value::string(op.admin_secret.second));
        item.set("path", Value::string(op.admin_secret.second));
    }
    add_document(c, out, rank::deployment, "Deployment", ns, op.name, doc);
}

}  // namespace

ReconcilerSettings reconciler_settings(const model::Topology& t) {
    const model::Kafka& k = *t.kafka;
    ReconcilerSettings s;
    std::string fullname = bitnami_fullname(k.bitnami ? k.bitnami->release.value : "kafka");
    s.user_operator = fullname + std::string(model::k_user_operator_suffix);
    s.topic_operator = fullname + std::string(model::k_topic_operator_suffix);
    s.bootstrap = fmt::format("{}:{}", fullname, k.listener_port);
    s.admin_user = std::string(model::k_bitnami_admin_user);
    s.admin_secret = fullname + "-user-passwords";
    // chart 32.4.4 templates/secrets.yaml: index 0 of client-passwords, the admin's.
    s.admin_secret_key = "system-user-password";
    if (k.bitnami && k.bitnami->existing_secret) {
        // With sasl.existingSecret the chart creates no <fullname>-user-passwords: the admin's
        // password is the Secret's client-passwords, whose one entry is kafkamesh-admin's (the
        // chart's only client user).
        s.admin_secret = k.bitnami->existing_secret->value;
        s.admin_secret_key = "client-passwords";
    }
    if (k.bitnami) {
        // A Kafka that this topology does not install (kafka.managed: false) says where it is
        // and who may administer it.
        const model::BitnamiOptions& b = *k.bitnami;
        s.bootstrap = b.bootstrap ? b.bootstrap->value : s.bootstrap;
        s.admin_user = b.admin_user ? b.admin_user->value : s.admin_user;
        s.admin_secret = b.admin_secret ? b.admin_secret->value : s.admin_secret;
        s.admin_secret_key = b.admin_key ? b.admin_key->value : s.admin_secret_key;
        s.admin_scram = b.admin_scram;
    }
    s.labels = fmt::format("kafkamesh.io/topology={},strimzi.io/cluster={}", t.metadata->name.value,
                           k.name.value);
    std::string own;
    for (std::string_view user : model::k_bitnami_reserved_users) {
        if (!own.empty()) {
            own += '|';
        }
        own.append(user);
    }
    if (s.admin_user != model::k_bitnami_admin_user) {
        // A DNS subdomain: '.' is its only regex character, matched literally (Java's
        // Pattern.matches, UserOperatorConfig's ignored-users pattern): ops.admin must not
        // also ignore opsXadmin.
        own += '|';
        for (char ch : s.admin_user) {
            if (ch == '.') {
                own += '\\';
            }
            own += ch;
        }
    }
    s.ignored_users = "(?:" + own + ")";
    if (k.bitnami && k.bitnami->ignored_users) {
        s.ignored_users += "|(?:" + k.bitnami->ignored_users->value + ")";
    }
    return s;
}

namespace {

void emit_user_operator(const EmitContext& c, const ReconcilerSettings& s,
                        std::vector<Manifest>& out) {
    // The admin client's login. The chart's PLAIN entry for its first client user is rendered
    // from the Secret on every start (chart 32.4.4 _helpers.tpl, user_<name>="..."), so it always
    // matches; its SCRAM credential exists only if the user was listed when the storage was
    // formatted. The password never enters the environment: the User Operator logs
    // STRIMZI_KAFKA_ADMIN_CLIENT_CONFIGURATION at start and masks only variables whose name holds
    // PASSWORD (strimzi-kafka-operator 1.2.0, operator-common Util.printEnvInfo, user-operator
    // Main and UserOperatorConfig). The admin client resolves ${dir:<dir>:<key>} itself from the
    // mounted Secret (apache/kafka clients AbstractConfig.resolveConfigVariables and
    // config/provider/DirectoryConfigProvider; Admin.create in DefaultAdminClientProvider).
    std::string jaas = fmt::format(
        "org.apache.kafka.common.security.{} required username=\"{}\" "
        "password=\"${{dir:{}:{}}}\";",
        s.admin_scram ? "scram.ScramLoginModule" : "plain.PlainLoginModule", s.admin_user,
        k_admin_secret_dir, s.admin_secret_key);

    // user-operator UserOperatorConfig.java: STRIMZI_NAMESPACE, STRIMZI_KAFKA_BOOTSTRAP_SERVERS,
    // STRIMZI_LABELS, STRIMZI_CA_CERT_NAME and STRIMZI_CA_KEY_NAME (both required; read only for
    // tls users, which Bitnami never has: KM503), STRIMZI_SECRET_PREFIX,
    // STRIMZI_FULL_RECONCILIATION_INTERVAL_MS, STRIMZI_IGNORED_USERS_PATTERN (matched whole
    // against every user that has SCRAM credentials, ACLs or quotas in Kafka), and
    // STRIMZI_KAFKA_ADMIN_CLIENT_CONFIGURATION (java.util.Properties text).
    Value user_env = Value::sequence();
    env_from(user_env, "STRIMZI_NAMESPACE", "fieldRef", own_namespace());
    env(user_env, "STRIMZI_KAFKA_BOOTSTRAP_SERVERS", Value::string(s.bootstrap));
    env(user_env, "STRIMZI_LABELS", Value::string(s.labels));
    env(user_env, "STRIMZI_CA_CERT_NAME", Value::string(s.user_operator + "-clients-ca-cert"));
    env(user_env, "STRIMZI_CA_KEY_NAME", Value::string(s.user_operator + "-clients-ca"));
    env(user_env, "STRIMZI_SECRET_PREFIX", Value::string(std::string(k_user_secret_prefix)));
    env(user_env, "STRIMZI_ACLS_ADMIN_API_SUPPORTED", Value::string("true"));
    env(user_env, "STRIMZI_FULL_RECONCILIATION_INTERVAL_MS", Value::string("120000"));
    env(user_env, "STRIMZI_IGNORED_USERS_PATTERN", Value::string(s.ignored_users));
    env(user_env, "STRIMZI_KAFKA_ADMIN_CLIENT_CONFIGURATION",
        Value::block(
            fmt::format("security.protocol=SASL_PLAINTEXT\nsasl.mechanism={}\nsasl.jaas.config={}\n"
                        "config.providers=dir\n"
                        "config.providers.dir.class=org.apache.kafka.common.config.provider."
                        "DirectoryConfigProvider\n"
                        "config.providers.dir.param.allowed.paths={}\n",
                        s.admin_scram ? "SCRAM-SHA-512" : "PLAIN", jaas, k_admin_secret_dir)));
    emit_operator(c,
                  {s.user_operator,
                   "/opt/strimzi/bin/user_operator_run.sh",
                   8081,
                   {{"kafkausers", {"get", "list", "watch", "create", "patch", "update"}},
                    {"kafkausers/status", {"get", "patch", "update"}},
                    {"kafkausers/finalizers", {"update"}},
                    {"secrets", {"get", "list", "watch", "create", "patch", "update", "delete"}}},
                   std::move(user_env),
                   {s.admin_secret, s.admin_secret_key}},
                  out);
}

void emit_topic_operator(const EmitContext& c, const ReconcilerSettings& s,
                         std::vector<Manifest>& out) {
    // topic-operator TopicOperatorConfig.java: STRIMZI_NAMESPACE, STRIMZI_RESOURCE_LABELS,
    // STRIMZI_KAFKA_BOOTSTRAP_SERVERS, STRIMZI_FULL_RECONCILIATION_INTERVAL_MS,
    // STRIMZI_SECURITY_PROTOCOL, and STRIMZI_SASL_ENABLED with STRIMZI_SASL_MECHANISM
    // ("plain"), STRIMZI_SASL_USERNAME and STRIMZI_SASL_PASSWORD (setStandardSaslConfigs).
    Value topic_env = Value::sequence();
    env_from(topic_env, "STRIMZI_NAMESPACE", "fieldRef", own_namespace());
    env(topic_env, "STRIMZI_RESOURCE_LABELS", Value::string(s.labels));
    env(topic_env, "STRIMZI_KAFKA_BOOTSTRAP_SERVERS", Value::string(s.bootstrap));
    env(topic_env, "STRIMZI_FULL_RECONCILIATION_INTERVAL_MS", Value::string("120000"));
    env(topic_env, "STRIMZI_SECURITY_PROTOCOL", Value::string("SASL_PLAINTEXT"));
    env(topic_env, "STRIMZI_SASL_ENABLED", Value::string("true"));
    env(topic_env, "STRIMZI_SASL_MECHANISM",
        Value::string(s.admin_scram ? "scram-sha-512" : "plain"));
    env(topic_env, "STRIMZI_SASL_USERNAME", Value::string(s.admin_user));
    env_from(topic_env, "STRIMZI_SASL_PASSWORD", "secretKeyRef",
             secret_key(s.admin_secret, s.admin_secret_key));
    emit_operator(
        c,
        {s.topic_operator,
         "/opt/strimzi/bin/topic_operator_run.sh",
         8080,
         {{"kafkatopics", {"get", "list", "watch", "create", "patch", "update", "delete"}},
          {"kafkatopics/status", {"get", "patch", "update"}},
          {"kafkatopics/finalizers", {"update"}}},
         std::move(topic_env),
         {}},
        out);
}

}  // namespace

void emit_reconcilers(const EmitContext& c, std::vector<Manifest>& out) {
    ReconcilerSettings s = reconciler_settings(c.topology);
    // With service-account tokens no KafkaUser exists, and a User Operator would delete the ACLs
    // kafkamesh apply places (as users it has no KafkaUser for): only topics are reconciled here.
    if (c.topology.kafka->authentication != model::Authentication::service_account_token) {
        emit_user_operator(c, s, out);
    }
    emit_topic_operator(c, s, out);
}

void emit_credential_access(const EmitContext& c, std::vector<Manifest>& out, std::size_t first,
                            std::size_t last) {
    const std::string& ns = c.topology.kafka->ns.value;
    for (std::size_t i = first; i < last; ++i) {
        const graph::Identity& id = c.graph.identities[i];
        if (!has_kafka_user(id)) {
            continue;  // no KafkaUser, no credential
        }
        std::string secret = std::string(k_user_secret_prefix) + id.user;
        std::string name = "kafkamesh-credential-" + id.user;
        Value role = base_document(c, "Role", name, ns);
        Value& r = role.set("rules", Value::sequence()).push(rule("", "secrets", {"get", "watch"}));
        r.set("resourceNames", Value::sequence()).push(Value::string(secret));
        add_document(c, out, rank::role, "Role", ns, name, role);

        Value binding = base_document(c, "RoleBinding", name, ns);
        Value& subject = binding.set("subjects", Value::sequence()).push(Value::mapping());
        subject.set("kind", Value::string("ServiceAccount"));
        subject.set("name", Value::string(id.service_account));
        subject.set("namespace", Value::string(id.ns));
        Value& ref = binding.set("roleRef", Value::mapping());
        ref.set("apiGroup", Value::string("rbac.authorization.k8s.io"));
        ref.set("kind", Value::string("Role"));
        ref.set("name", Value::string(name));
        add_document(c, out, rank::role_binding, "RoleBinding", ns, name, binding);
    }
}

}  // namespace km::emit
