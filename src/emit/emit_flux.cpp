// Flux objects that install the Bitnami chart with kafkamesh's values, so the whole output applies
// with kubectl: a HelmRepository for Bitnami's OCI registry and a HelmRelease carrying the values.
#include "emit/emit.h"

namespace km::emit {

// The chart release the values and their key list (schema/) were checked against.
constexpr const char* k_bitnami_repository = "oci://registry-1.docker.io/bitnamicharts";
constexpr const char* k_bitnami_chart_version = "32.4.4";

void emit_flux(const EmitContext& c, Value values, std::vector<Manifest>& out) {
    const model::Kafka& k = *c.topology.kafka;
    std::string release = k.bitnami ? k.bitnami->release.value : "kafka";
    std::string repository = "bitnami";

    Value repo = base_document(c, "HelmRepository", repository, k.ns.value);
    Value& repo_spec = repo.set("spec", Value::mapping());
    repo_spec.set("type", Value::string("oci"));
    repo_spec.set("url", Value::string(k_bitnami_repository));
    repo_spec.set("interval", Value::string("1h"));
    add_document(c, out, rank::helm_repository, "HelmRepository", k.ns.value, repository,
                 std::move(repo));

    Value doc = base_document(c, "HelmRelease", release, k.ns.value);
    Value& spec = doc.set("spec", Value::mapping());
    // The release name names the pods, Services and service accounts the mesh policies select.
    spec.set("releaseName", Value::string(release));
    spec.set("interval", Value::string("10m"));
    Value& chart = spec.set("chart", Value::mapping()).set("spec", Value::mapping());
    chart.set("chart", Value::string("kafka"));
    chart.set("version", Value::string(k_bitnami_chart_version));
    Value& source = chart.set("sourceRef", Value::mapping());
    source.set("kind", Value::string("HelmRepository"));
    source.set("name", Value::string(repository));
    spec.set("values", std::move(values));
    add_document(c, out, rank::helm_release, "HelmRelease", k.ns.value, release, std::move(doc));
}

}  // namespace km::emit
