// kafka.apply: a Job that runs `kafkamesh apply` inside the cluster as a declared service's
// account, logging in with its projected token, on the topology compile carries beside it in a
// ConfigMap. Decisions in DECISIONS.md ("Service-account tokens").
#include <fmt/format.h>

#include <algorithm>

#include "emit/client_config.h"
#include "emit/emit.h"
#include "emit/pod_mesh.h"
#include "emit/token_auth.h"
#include "util/strings.h"

namespace km::emit {
namespace {

constexpr std::string_view k_config_dir = "/etc/kafkamesh";

/// ConfigMap keys: "NN-<file name>", in the order read (apply reads a directory sorted by name),
/// each character outside [-._a-zA-Z0-9] replaced by '-'.
std::vector<std::pair<std::string, std::string>> topology_entries(const EmitContext& c) {
    std::vector<std::pair<std::string, std::string>> out;
    if (!c.topology_files) {
        return out;
    }
    for (std::size_t i = 0; i < c.topology_files->size(); ++i) {
        const TopologyFile& f = (*c.topology_files)[i];
        std::string name = f.path.substr(f.path.find_last_of('/') + 1);
        for (char& ch : name) {
            bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                      (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '_';
            ch = ok ? ch : '-';
        }
        out.emplace_back(fmt::format("{:02}-{}", i + 1, name), f.text);
    }
    return out;
}

/// The Java client's OAUTHBEARER settings, which kafkamesh apply reads as librdkafka does: its
/// own token file, refreshed from the file the kubelet rotates.
std::string admin_properties() {
    return fmt::format(
        "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=OAUTHBEARER\n"
        "sasl.oauthbearer.token.endpoint.url=file:{}\n",
        k_client_token_path);
}

Value container(const EmitContext& c, const model::ApplyJob& job) {
    Value out = Value::mapping();
    out.set("name", Value::string("apply"));
    out.set("image", Value::string(job.image.value));
    Value& args = out.set("args", Value::sequence());
    std::vector<std::string> words = {"apply",
                                      fmt::format("{}/topology", k_config_dir),
                                      "--bootstrap-server",
                                      bootstrap_servers(c.topology),
                                      "--command-config",
                                      fmt::format("{}/admin.properties", k_config_dir)};
    if (!c.environment.empty()) {
        words.insert(words.end(), {"--env", c.environment});
    }
    for (const std::string& w : words) {
        args.push(Value::string(w));
    }
    out.set("securityContext", restricted_security_context());
    Value& mounts = out.set("volumeMounts", Value::sequence());
    Value& config = mounts.push(Value::mapping());
    config.set("name", Value::string("topology"));
    config.set("mountPath", Value::string(std::string(k_config_dir)));
    config.set("readOnly", Value::boolean(true));
    Value& token = mounts.push(Value::mapping());
    token.set("name", Value::string("kafka-token"));
    token.set("mountPath", Value::string(std::string(k_client_token_dir)));
    token.set("readOnly", Value::boolean(true));
    return out;
}

Value volumes(const EmitContext& c, const std::string& config_map,
              const std::vector<std::pair<std::string, std::string>>& files) {
    Value out = Value::sequence();
    Value& config = out.push(Value::mapping());
    config.set("name", Value::string("topology"));
    Value& source = config.set("configMap", Value::mapping());
    source.set("name", Value::string(config_map));
    Value& items = source.set("items", Value::sequence());
    Value& admin = items.push(Value::mapping());
    admin.set("key", Value::string("admin.properties"));
    admin.set("path", Value::string("admin.properties"));
    for (const auto& [key, text] : files) {
        Value& item = items.push(Value::mapping());
        item.set("key", Value::string(key));
        item.set("path", Value::string("topology/" + key));
    }
    const model::ServiceAccountToken& t = model::token_options(*c.topology.kafka);
    Value& token = out.push(Value::mapping());
    token.set("name", Value::string("kafka-token"));
    Value& projected = token.set("projected", Value::mapping())
                           .set("sources", Value::sequence())
                           .push(Value::mapping())
                           .set("serviceAccountToken", Value::mapping());
    projected.set("audience", Value::string(t.audience.value));
    projected.set("expirationSeconds", Value::integer(t.expiration_seconds));
    projected.set("path", Value::string("token"));
    return out;
}

}  // namespace

void emit_apply_job(const EmitContext& c, std::vector<Manifest>& out) {
    const model::ApplyJob& job = *c.topology.kafka->apply_job;
    const std::string& topology = c.topology.metadata->name.value;
    auto files = topology_entries(c);
    std::string properties = admin_properties();

    std::string config_map = fmt::format("kafkamesh-apply-{}", topology);
    Value map = base_document(c, "ConfigMap", config_map, job.ns);
    Value& data = map.set("data", Value::mapping());
    data.set("admin.properties", Value::block(properties));
    for (const auto& [key, text] : files) {
        data.set(key, Value::block(text));
    }
    add_document(c, out, rank::config_map, "ConfigMap", job.ns, config_map, map);

    // A Job's pod template cannot change, so each content gets its own Job: the name carries a
    // hash of everything the run depends on, and the pruning apply removes the previous one. The
    // name stays a label value (job-name) of at most 63 characters.
    std::string identity = properties + job.image.value + bootstrap_servers(c.topology) +
                           c.environment + job.service_account;
    for (const auto& [key, text] : files) {
        identity += key + '\n' + text;
    }
    std::string name =
        fmt::format("kafkamesh-apply-{}-{:08x}", topology.substr(0, 37), util::fnv1a(identity));
    Value doc = base_document(c, "Job", name, job.ns);
    Value& spec = doc.set("spec", Value::mapping());
    spec.set("backoffLimit", Value::integer(3));
    Value& pod = spec.set("template", Value::mapping());
    Value& metadata = pod.set("metadata", Value::mapping());
    if (auto labels = mesh_pod_labels(c.topology, PodRole::job); !labels.empty()) {
        metadata.set("labels", string_map(labels));
    }
    if (auto annotations = mesh_pod_annotations(c.topology, PodRole::job); !annotations.empty()) {
        metadata.set("annotations", string_map(annotations));
    }
    Value& pod_spec = pod.set("spec", Value::mapping());
    pod_spec.set("serviceAccountName", Value::string(job.service_account));
    pod_spec.set("restartPolicy", Value::string("Never"));
    pod_spec.set("containers", Value::sequence()).push(container(c, job));
    pod_spec.set("volumes", volumes(c, config_map, files));
    add_document(c, out, rank::job, "Job", job.ns, name, doc);
}

}  // namespace km::emit
