// Builds a YAML document out of parts of others: copies a subtree, or lays one mapping over
// another key by key (topology.md "Environments"). Every node keeps the position it was written
// at, so diagnostics about an override point at the override.
#pragma once

#include "source/yaml_tree.h"

namespace km::source {

/// Copies the subtree at `id` of `from` into `to`; returns its id in `to`.
NodeId copy_subtree(YamlDocument& to, const YamlDocument& from, NodeId id);

/// `over` laid over `base` into `to`: two mappings merge key by key (recursively, keys of `base`
/// first in their order, then the new keys of `over`); anything else, a sequence above all, is
/// replaced whole by `over`. The merged mapping keeps `base`'s position.
NodeId overlay(YamlDocument& to, const YamlDocument& base, NodeId base_id, const YamlDocument& over,
               NodeId over_id);

/// Adds a mapping of the given key and value nodes (already in `to`) at `location`.
NodeId add_mapping(YamlDocument& to, const std::vector<NodeId>& keys_and_values,
                   diag::Location location);

}  // namespace km::source
