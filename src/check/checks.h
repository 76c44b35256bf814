// The individual checks check_topology runs, one per file.
#pragma once

#include <cstdint>
#include <string_view>

#include "diag/diagnostic_sink.h"
#include "model/topology.h"

namespace km::check {

void check_names(const model::Topology& t,
                 diag::DiagnosticSink& sink);  ///< KM302 KM303 KM322 KM333-KM335 KM341
void check_references(const model::Topology& t,
                      diag::DiagnosticSink& sink);  ///< KM301 KM304 KM305 KM308-KM310
void check_operations(const model::Topology& t, diag::DiagnosticSink& sink);  ///< KM204 KM307
void check_identities(const model::Topology& t,
                      diag::DiagnosticSink& sink);  ///< KM205 KM306 KM315 KM321
void check_service_kinds(const model::Topology& t, diag::DiagnosticSink& sink);  ///< KM318
void check_cluster(
    const model::Topology& t,
    diag::DiagnosticSink& sink);  ///< KM311 KM314 KM317 KM319 KM320 KM323 KM330 KM350
void check_mesh(const model::Topology& t, diag::DiagnosticSink& sink);  ///< KM331 KM332 KM401-KM410
void check_replication(const model::Topology& t,
                       diag::DiagnosticSink& sink);  ///< KM342-KM344 KM346
void check_connect_storage(const model::Topology& t, diag::DiagnosticSink& sink);  ///< KM345
void check_shared_names(const model::Topology& t, diag::DiagnosticSink& sink);     ///< KM347-KM349
void check_token_auth(const model::Topology& t,
                      diag::DiagnosticSink& sink);  ///< KM330 KM351-KM354

/// A config key written in Kafka's alphabet, and a value without a line break or control
/// character (KM533 reports the others; no other check looks at them then).
bool is_config_key(std::string_view s);
bool is_config_value(std::string_view s);

enum class KafkaConfigScope : std::uint8_t { topic, broker };
/// One config entry against Kafka's names and types (KM325 KM326 KM327); true when it is known
/// and its value valid.
bool check_kafka_config_entry(KafkaConfigScope scope, const model::ConfigEntry& e,
                              diag::DiagnosticSink& sink);
void check_topic_configs(const model::Topology& t,
                         diag::DiagnosticSink& sink);  ///< KM325-KM328 on topics[].config

void check_destination_names(const model::Topology& t,
                             diag::DiagnosticSink& sink);  ///< KM531-KM534

}  // namespace km::check
