// The only code that talks to Kafka: librdkafka's Admin API (C, rdkafka.h), as Debian 12 ships it
// (2.0.2). Every call is bounded by the timeout; no call is made that this version lacks
// (DECISIONS.md lists what it cannot do and what kafkamesh does instead).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "admin/cluster_state.h"
#include "admin/command_config.h"
#include "admin/reconcile.h"
#include "diag/diagnostic_sink.h"

namespace km::admin {

struct ConnectOptions {
    std::string bootstrap;  ///< host:port[,host:port...]
    std::chrono::milliseconds timeout{30000};
    ClientSettings settings;
};

/// The outcome of one change: empty `error` when it was made (or, in a dry run, accepted).
struct ItemResult {
    std::string error;
};

class Cluster {
  public:
    /// A client for the cluster; nothing (KM804, KM806) when librdkafka refuses a setting or the
    /// token file cannot be read. No connection is made yet.
    static std::unique_ptr<Cluster> open(const ConnectOptions& options, diag::DiagnosticSink& sink);
    ~Cluster();
    Cluster(const Cluster&) = delete;
    Cluster& operator=(const Cluster&) = delete;

    /// Loads librdkafka (rdkafka_library.h); false, with KM811, when it cannot be. Every other
    /// member needs it loaded.
    static bool load_library(diag::DiagnosticSink& sink);
    /// The librdkafka version loaded at run time, as rd_kafka_version() gives it.
    static int library_version();
    /// Whether this librdkafka can name transactional-id ACLs (2.6.0 and later).
    static bool transactional_ids_supported();

    /// Topics (metadata), ACLs (DescribeAcls) and the owned topics' configs (DescribeConfigs),
    /// cut down to `ownership`. Nothing, with KM801 or KM802, when any read fails.
    std::optional<ClusterState> read(const Ownership& ownership, diag::DiagnosticSink& sink);

    // Changes, one result per item in order. `dry_run` asks the broker to validate only.
    std::vector<ItemResult> create_acls(const std::vector<AclBinding>& acls);
    std::vector<ItemResult> delete_acls(const std::vector<AclBinding>& acls);
    std::vector<ItemResult> create_topics(const std::vector<TopicCreation>& topics, bool dry_run);
    std::vector<ItemResult> add_partitions(const std::vector<PartitionIncrease>& topics,
                                           bool dry_run);
    std::vector<ItemResult> set_configs(const std::vector<ConfigUpdate>& updates, bool dry_run);
    std::vector<ItemResult> delete_topics(const std::vector<std::string>& topics);

    struct State;  ///< librdkafka's handle (rdkafka_client.h)

  private:
    explicit Cluster(std::unique_ptr<State> state);
    std::unique_ptr<State> m_state;
};

}  // namespace km::admin
