#include "check/check_topology.h"

#include "check/checks.h"

namespace km::check {

void check_topology(const model::Topology& topology, diag::DiagnosticSink& sink) {
    check_names(topology, sink);
    check_references(topology, sink);
    check_operations(topology, sink);
    check_identities(topology, sink);
    check_service_kinds(topology, sink);
    check_cluster(topology, sink);
    check_token_auth(topology, sink);
    check_topic_configs(topology, sink);
    check_mesh(topology, sink);
    check_replication(topology, sink);
    check_connect_storage(topology, sink);
    check_shared_names(topology, sink);
    check_destination_names(topology, sink);
}

}  // namespace km::check
