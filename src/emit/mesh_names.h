// The Kafka workload names moved to model/ so the review commands can share them without emit/.
#pragma once

#include "model/mesh_names.h"

namespace km::emit {

using model::bitnami_fullname;
using model::mesh_names;
using model::MeshNames;

}  // namespace km::emit
