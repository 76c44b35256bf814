#include "live/replaced_policies.h"

#include <fmt/format.h>

namespace km::live {

std::vector<std::string> name_replaced_policies(const LiveState& state, const std::string& kafka_ns,
                                                const std::string& listener_port,
                                                const std::string& topology_name,
                                                diag::DiagnosticSink& sink) {
    std::vector<std::string> comments;
    for (const LivePolicy& p : state.policies) {
        if (p.ns != kafka_ns || p.action != "ALLOW" || p.selector.empty() ||
            !p.ports.contains(listener_port) || !p.topology_label.empty()) {
            continue;
        }
        // An ALLOW admits what any ALLOW selecting the pod admits (istio/api
        // security/v1beta1/authorization.proto: "allow a request if it matches any of the ALLOW
        // policies"), so kafkamesh's policies cannot revoke what this one lists.
        auto& d = sink.report(
            diag::Code::KM719, p.location,
            fmt::format("AuthorizationPolicy {}/{} admits the client port and is not kafkamesh's: "
                        "the compiled client policies replace it",
                        p.ns, p.name));
        diag::add_note(d, {},
                       "ALLOW policies add up: while it stays, a service the topology removes "
                       "keeps its mesh access to the brokers");
        diag::add_help(d, fmt::format("in the apply that switches to 'enforcement: enforce' (never "
                                      "during the dry run), hand it to the pruning apply: "
                                      "kubectl label authorizationpolicy -n {} {} "
                                      "kafkamesh.io/topology={}",
                                      p.ns, p.name, topology_name));
        comments.push_back(fmt::format(
            "KM719: AuthorizationPolicy {}/{} is replaced by the compiled client policies; when "
            "enforcing, label it kafkamesh.io/topology={} so the pruning apply deletes it",
            p.ns, p.name, topology_name));
    }
    return comments;
}

}  // namespace km::live
