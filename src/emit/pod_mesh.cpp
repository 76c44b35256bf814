#include "emit/pod_mesh.h"

#include <nlohmann/json.hpp>

namespace km::emit {

std::map<std::string, std::string> mesh_pod_labels(const model::Topology& t) {
    if (t.mesh.dataplane != model::Dataplane::sidecar) {
        return {};
    }
    return {{"sidecar.istio.io/inject", "true"}};
}

std::map<std::string, std::string> mesh_pod_annotations(const model::Topology& t) {
    if (t.mesh.dataplane != model::Dataplane::sidecar) {
        return {};
    }
    nlohmann::ordered_json proxy_config = {{"holdApplicationUntilProxyStarts", true}};
    return {{"proxy.istio.io/config", proxy_config.dump()}};
}

}  // namespace km::emit
