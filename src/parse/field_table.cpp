#include "parse/field_table.h"

namespace km::parse {
namespace {

const std::vector<ObjectFields> k_fields = {
    {"",
     {"apiVersion", "kind", "metadata", "mesh", "kafka", "namespaces", "services", "topics",
      "roles", "environments"}},
    {"/metadata", {"name"}},
    {"/mesh",
     {"trustDomain", "clusterDomain", "mtls", "dataplane", "istioVersion", "idleTimeout",
      "nativeSidecars", "defaultDeny", "revision", "rootNamespace", "enforcement", "filters",
      "acknowledge"}},
    {"/mesh/acknowledge/*", {"code", "reason"}},
    {"/mesh/filters", {"kafkaMetrics", "identity", "accessLogs"}},
    {"/mesh/filters/kafkaMetrics", {"proxyImage"}},
    {"/mesh/filters/identity", {"image"}},
    {"/kafka",
     {"name", "namespace", "distribution", "managed", "version", "nodes", "storage",
      "authentication", "listenerPort", "listenerName", "superUsers", "config", "brokerPods",
      "strimzi", "bitnami", "acknowledge"}},
    {"/kafka/acknowledge/*", {"code", "reason"}},
    {"/kafka/brokerPods", {"labels", "serviceAccount"}},
    {"/kafka/storage", {"size", "class"}},
    {"/kafka/strimzi", {"api", "operatorNamespace", "operatorInMesh", "accessOperator"}},
    {"/kafka/bitnami",
     {"chart", "release", "image", "operatorImage", "ignoredUsers", "bootstrap", "admin",
      "existingSecret"}},
    {"/kafka/bitnami/admin", {"user", "secret", "key", "mechanism"}},
    {"/namespaces/*",
     {"name", "managed", "labels", "mtls", "defaultDeny", "limitEgress", "acknowledge"}},
    {"/namespaces/*/acknowledge/*", {"code", "reason"}},
    {"/services/*",
     {"name", "namespace", "serviceAccount", "user", "kind", "produces", "consumes",
      "transactionalId", "roles", "quotas", "applicationId", "exactlyOnce", "connect",
      "authentication", "password", "acknowledge"}},
    {"/services/*/password", {"secret", "key"}},
    {"/services/*/acknowledge/*", {"code", "reason"}},
    {"/services/*/consumes/*", {"topic", "group"}},
    {"/services/*/quotas",
     {"producerByteRate", "consumerByteRate", "requestPercentage", "controllerMutationRate"}},
    {"/services/*/connect", {"groupId", "storageTopics", "connectors"}},
    {"/services/*/connect/storageTopics", {"configs", "offsets", "status"}},
    {"/services/*/connect/connectors/*", {"name", "consumes", "produces"}},
    {"/topics/*",
     {"name", "resourceName", "partitions", "replicas", "config", "external", "acknowledge"}},
    {"/topics/*/acknowledge/*", {"code", "reason"}},
    {"/roles/*", {"name", "grants", "acknowledge"}},
    {"/roles/*/acknowledge/*", {"code", "reason"}},
    {"/roles/*/grants/*",
     {"topics", "groups", "transactionalIds", "cluster", "operations", "effect"}},
    {"/environments/*", {"mesh", "kafka", "topicLimits"}},
    {"/environments/*/topicLimits", {"replicas", "partitions"}},
};

}  // namespace

const std::vector<std::string>& fields_of(std::string_view path) {
    for (const ObjectFields& f : k_fields) {
        if (f.path == path) {
            return f.fields;
        }
    }
    static const std::vector<std::string> none;
    return none;
}

const std::vector<ObjectFields>& object_fields() {
    return k_fields;
}

}  // namespace km::parse
