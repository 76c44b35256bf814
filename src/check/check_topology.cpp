#include "check/check_topology.h"

#include "check/checks.h"
#include "util/parallel.h"

namespace km::check {

void check_topology(const model::Topology& topology, diag::DiagnosticSink& sink) {
    // Every check reads the topology and writes only its sink, so two halves of about the same
    // cost at scale (the name checks against the rest) run on two cores; their diagnostics are
    // joined in the order one thread would have reported them.
    diag::DiagnosticSink names, rest, shared_names, destination_names;
    util::run_beside(
        [&] {
            check_names(topology, names);
            check_shared_names(topology, shared_names);
        },
        [&] {
            check_references(topology, rest);
            check_operations(topology, rest);
            check_identities(topology, rest);
            check_service_kinds(topology, rest);
            check_cluster(topology, rest);
            check_token_auth(topology, rest);
            check_topic_configs(topology, rest);
            check_mesh(topology, rest);
            check_replication(topology, rest);
            check_connect_storage(topology, rest);
            check_destination_names(topology, destination_names);
        });
    sink.append(std::move(names));
    sink.append(std::move(rest));
    sink.append(std::move(shared_names));
    sink.append(std::move(destination_names));
}

}  // namespace km::check
