// The entries of a topology's lists: namespaces, services, topics and roles, each appended to
// the topology as it is read.
#pragma once

#include "model/topology.h"
#include "parse/reader.h"

namespace km::parse {

void parse_namespace(Reader& r, source::NodeId id, model::Topology& t);
void parse_service(Reader& r, source::NodeId id, model::Topology& t);
void parse_topic(Reader& r, source::NodeId id, model::Topology& t);
void parse_role(Reader& r, source::NodeId id, model::Topology& t);

}  // namespace km::parse
