// The topology `kafkamesh init` writes: small, valid, commented, with the editor schema modeline.
#pragma once

#include <string>

namespace km::cli {

enum class Distribution { strimzi, bitnami };

/// A starter topology whose yaml-language-server modeline points at `schema_path`.
std::string starter_topology(Distribution distribution, const std::string& schema_path);

/// A team file for a topology directory: lists only (namespaces, topics, services), no
/// metadata, mesh or kafka, so it validates next to the platform file that declares those.
/// `team` is a DNS-1123 label; it names the namespace and prefixes the topics.
std::string starter_team_topology(const std::string& team, const std::string& schema_path);

}  // namespace km::cli
