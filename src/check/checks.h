// The individual checks check_topology runs, one per file.
#pragma once

#include "diag/diagnostic_sink.h"
#include "model/topology.h"

namespace km::check {

void check_names(const model::Topology& t,
                 diag::DiagnosticSink& sink);  ///< KM302 KM303 KM322 KM333
void check_references(const model::Topology& t,
                      diag::DiagnosticSink& sink);  ///< KM301 KM304 KM305 KM308-KM310
void check_operations(const model::Topology& t, diag::DiagnosticSink& sink);  ///< KM204 KM307
void check_identities(const model::Topology& t,
                      diag::DiagnosticSink& sink);  ///< KM205 KM306 KM315 KM321
void check_service_kinds(const model::Topology& t, diag::DiagnosticSink& sink);  ///< KM318
void check_cluster(const model::Topology& t,
                   diag::DiagnosticSink& sink);  ///< KM311 KM314 KM317 KM319 KM320 KM323 KM330
void check_mesh(const model::Topology& t, diag::DiagnosticSink& sink);  ///< KM331 KM332 KM401-KM410

void check_destination_names(const model::Topology& t,
                             diag::DiagnosticSink& sink);  ///< KM531-KM534

}  // namespace km::check
