// The sections a topology declares once, in one of its files: metadata, mesh and kafka.
#pragma once

#include "model/topology.h"
#include "parse/reader.h"

namespace km::parse {

void parse_metadata(Reader& r, source::NodeId id, model::Topology& t);
void parse_mesh(Reader& r, source::NodeId id, model::Topology& t);
void parse_kafka(Reader& r, source::NodeId id, model::Topology& t);

}  // namespace km::parse
