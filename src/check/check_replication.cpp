// Replication against the cluster: each topic's replicas against the min ISR the cluster applies
// to it, the replication settings of kafka.config against the node count, and node counts that
// add no fault tolerance.
#include <fmt/format.h>

#include "check/checks.h"
#include "model/derived.h"

namespace km::check {
namespace {

struct Effective {
    int value = 0;
    const model::ConfigEntry* entry = nullptr;  ///< where the user set it, else null (derived)
};

Effective cluster_setting(const model::Kafka& k, std::string_view key) {
    for (const model::ReplicationSetting& s : model::replication_settings()) {
        if (s.key != key) {
            continue;
        }
        if (auto v = model::config_int(k.config, key)) {
            return {*v, model::find_config(k.config, key)};
        }
        return {model::derived_replication_value(s, k.nodes), nullptr};
    }
    return {};
}

/// Kafka refuses every acks=all write (the producer default) to a partition whose in-sync
/// replicas are fewer than min.insync.replicas (Partition.scala, NotEnoughReplicasException),
/// so replicas below it make a topic unwritable, and replicas equal to it stall writes whenever
/// one replica is down, such as during every rolling restart.
void check_replicas_against(diag::DiagnosticSink& sink, diag::Location where,
                            const std::string& what, int replicas, const Effective& isr) {
    if (replicas < isr.value) {
        auto& d = sink.report(
            diag::Code::KM342, where,
            fmt::format("{} has {} replica{}, below the cluster's min.insync.replicas of {}", what,
                        replicas, replicas == 1 ? "" : "s", isr.value));
        if (isr.entry) {
            diag::add_note(d, isr.entry->key.location, "min.insync.replicas is set here");
        }
        diag::add_help(d,
                       "Kafka refuses every acks=all write to it; raise its replicas, or set "
                       "a lower min.insync.replicas in its config");
    } else if (replicas == isr.value && isr.value > 1) {
        auto& d = sink.report(
            diag::Code::KM343, where,
            fmt::format("{} has {} replicas, as many as the cluster's min.insync.replicas", what,
                        replicas));
        if (isr.entry) {
            diag::add_note(d, isr.entry->key.location, "min.insync.replicas is set here");
        }
        diag::add_help(d,
                       "acks=all writes stop whenever one replica is down, as during every "
                       "rolling restart; keep replicas above min.insync.replicas");
    }
}

void check_topics(const model::Topology& t, const model::Kafka& k, diag::DiagnosticSink& sink) {
    Effective isr = cluster_setting(k, "min.insync.replicas");
    Effective default_rf = cluster_setting(k, "default.replication.factor");
    bool default_rf_used = false;
    for (const model::Topic& topic : t.topics) {
        // A topic's own min.insync.replicas is checked with its other settings; only the cluster
        // default is held against replicas here.
        if (topic.external || model::find_config(topic.config, "min.insync.replicas")) {
            continue;
        }
        if (!topic.replicas) {
            default_rf_used = true;
            continue;
        }
        if (*topic.replicas > k.nodes) {
            continue;  // KM311
        }
        diag::Location where =
            topic.replicas_location.known() ? topic.replicas_location : topic.location;
        check_replicas_against(sink, where, fmt::format("topic '{}'", topic.name.value),
                               *topic.replicas, isr);
    }
    if (default_rf_used && (isr.entry || default_rf.entry)) {
        diag::Location where =
            default_rf.entry ? default_rf.entry->key.location : isr.entry->key.location;
        check_replicas_against(
            sink, where,
            fmt::format("a topic without 'replicas' (default.replication.factor {})",
                        default_rf.value),
            default_rf.value, isr);
    }
}

void check_cluster_settings(const model::Kafka& k, diag::DiagnosticSink& sink) {
    for (const model::ReplicationSetting& s : model::replication_settings()) {
        const model::ConfigEntry* entry = model::find_config(k.config, s.key);
        std::optional<int> value = model::config_int(k.config, s.key);
        if (!entry || !value) {
            continue;
        }
        if (*value > k.nodes) {
            auto& d = sink.report(diag::Code::KM344, entry->value.location,
                                  fmt::format("'{}' is {}, but the cluster has {} node{}", s.key,
                                              *value, k.nodes, k.nodes == 1 ? "" : "s"));
            if (k.nodes_location.known()) {
                diag::add_note(d, k.nodes_location, "the node count is set here");
            }
            diag::add_help(d, s.min_isr ? "no partition can ever have that many in-sync "
                                          "replicas, so acks=all writes always fail"
                                        : "Kafka cannot create a topic with more replicas than "
                                          "nodes; the internal topics it guards are never made");
            continue;
        }
        if (s.min_isr && s.key != "min.insync.replicas") {
            Effective factor = cluster_setting(k, s.factor_key);
            if (*value > factor.value) {
                auto& d = sink.report(diag::Code::KM342, entry->value.location,
                                      fmt::format("'{}' is {}, above '{}' of {}", s.key, *value,
                                                  s.factor_key, factor.value));
                if (factor.entry) {
                    diag::add_note(d, factor.entry->key.location,
                                   fmt::format("'{}' is set here", s.factor_key));
                }
                diag::add_help(d, "the internal topic can never be written; lower it");
            }
        }
    }
}

}  // namespace

void check_replication(const model::Topology& t, diag::DiagnosticSink& sink) {
    if (!t.kafka) {
        return;
    }
    const model::Kafka& k = *t.kafka;
    check_cluster_settings(k, sink);
    check_topics(t, k, sink);
    // With combined roles every node is a KRaft voter, and the quorum needs a majority: two
    // voters tolerate no failure, like one, and four tolerate one, like three.
    if (k.nodes_location.known() && k.nodes % 2 == 0) {
        auto& d = sink.report(
            diag::Code::KM346, k.nodes_location,
            fmt::format("{} nodes are {} KRaft controller voters; a majority needs {}, so the "
                        "cluster survives no more node failures than with {}",
                        k.nodes, k.nodes, k.nodes / 2 + 1, k.nodes - 1));
        diag::add_help(d, fmt::format("use {} or {} nodes", k.nodes - 1, k.nodes + 1));
    }
}

}  // namespace km::check
