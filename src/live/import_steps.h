// The steps of import_topology and the values they pass forward: the listener, the mesh
// identities, the services written, the platform document and the files.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "diag/diagnostic_sink.h"
#include "emit/manifest.h"
#include "live/import_topology.h"
#include "live/live_state.h"

namespace km::live {

inline constexpr const char* k_placeholder_ns = "replace-me";

/// The cluster the imported topology describes and its client listener.
struct Listener {
    std::string kafka_name;
    std::string kafka_ns;
    /// No Kafka resource: name and namespace are those every KafkaUser and KafkaTopic is
    /// labelled with (strimzi.io/cluster).
    bool labelled = false;
    std::string authentication;  ///< of the client listener, "" for none
    bool tls = false;
    std::string port;
};

/// A SPIFFE principal of the mesh, <trustDomain>/ns/<ns>/sa/<sa>.
struct MeshIdentity {
    std::string trust_domain;
    std::string ns;
    std::string sa;
};

/// The principals the client policies admit to the brokers and what the import makes of them.
struct Identities {
    std::set<std::string> admitted;
    /// The admitted identities by the default user name they explain, <ns>-<sa>.
    std::map<std::string, std::vector<MeshIdentity>> by_user;
    std::set<std::string> trust_domains;
    std::set<std::string> explained;  ///< admitted principals a service or operator accounts for
    std::set<std::string> claimed;    ///< admitted principals the <ns>-<sa> convention gives away
    /// Set when the admitted operators show the cluster is a Bitnami release of this name.
    std::optional<std::string> bitnami_release;
};

/// One service of the imported topology, for one Kafka principal.
struct ServiceOut {
    std::string name;
    std::string ns;
    std::string user;  ///< written when it is not the default
    bool unresolved = false;
    std::vector<std::string> comments;
    emit::Value value = emit::Value::mapping();
    std::optional<emit::Value> role;       ///< the grants no recipe expresses
    std::set<std::string> literal_topics;  ///< exact topic references, to declare
    const LivePrincipal* principal = nullptr;
    /// Group names this principal reads that another principal reads too: written out, never
    /// left to the default, and acknowledged (KM349) in `shared_written`.
    std::map<std::string, std::vector<std::string>> shared_groups;  ///< name -> the other users
    std::set<std::string> shared_written;
};

/// The services written, by namespace, and the topics they name exactly.
struct WrittenServices {
    std::set<std::string> literal_topics;
    std::map<std::string, std::vector<const ServiceOut*>> by_ns;
};

Listener read_listener(const LiveState& state);

/// L4 facts of the client policies a topology cannot express (KM712) and the policies the
/// topology's own replace, noted in `comments`.
void report_policies(const LiveState& state, const Listener& listener, diag::DiagnosticSink& sink,
                     std::vector<std::string>& comments);

Identities map_identities(const LiveState& state, const Listener& listener);

/// A service per User: principal, in the identity the client policies admit it with (KM713 when
/// none or several match); other principals' ACLs are not imported (KM711).
std::vector<ServiceOut> name_services(const LiveState& state, const Listener& listener,
                                      Identities& ids, diag::DiagnosticSink& sink,
                                      std::vector<std::string>& comments);

/// Each service's fields, its ACLs as recipes and a role (KM710 for host-restricted ACLs), and
/// its quotas.
WrittenServices express_services(const LiveState& state, const Listener& listener,
                                 const Identities& ids, std::vector<ServiceOut>& services,
                                 diag::DiagnosticSink& sink);

/// Admitted principals no Kafka user accounts for (KM714).
void report_unexplained(const LiveState& state, const Identities& ids, diag::DiagnosticSink& sink,
                        std::vector<std::string>& comments);

/// The platform document: metadata, mesh, kafka and topics, headed by `comments`.
emit::Value express_platform(const LiveState& state, const Listener& listener,
                             const Identities& ids, const std::vector<ServiceOut>& services,
                             const std::set<std::string>& literal_topics,
                             std::vector<std::string> comments);

/// The user name a Kafka principal's client would have: its KafkaUser's, else the principal's.
std::string kafka_user_name(const LivePrincipal& p, bool tls);

/// A DNS label from any text: lowercased, other characters turned into '-'.
std::string sanitised_label(const std::string& text);

}  // namespace km::live
