// What `kafkamesh diff` found between two topologies: per-identity access gained and lost, topic,
// setting and manifest changes, and the risk flags (KM601-KM620, and KM459 for a new prefix grant
// over a topic another identity is denied). Renderers read only this.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "diag/diagnostic.h"
#include "graph/mesh_reach.h"
#include "model/acl.h"

namespace km::diff {

/// A source position resolved to its file name, so base and head positions can sit together.
struct Place {
    std::string file;  ///< empty: no position
    std::uint32_t line = 0;
    std::uint32_t column = 0;
};

struct GrantSource {
    std::string rule;  ///< "produces", "role grant", ...
    std::string via;   ///< the service, or the role
    Place place;
};

/// One Kafka ACL entry as the report shows it.
struct Grant {
    model::ResourceType type = model::ResourceType::topic;
    model::PatternType pattern = model::PatternType::literal;
    std::string name;
    model::Effect effect = model::Effect::allow;
    model::Operation operation = model::Operation::Read;
    std::vector<std::string> covers;  ///< declared topics a prefix or '*' grant matches
    std::vector<GrantSource> sources;
};

struct Change {
    std::string field;
    std::string before;  ///< empty: absent before
    std::string after;   ///< empty: absent after
};

enum class Status : std::uint8_t { added, removed, changed };
std::string_view status_name(Status s);

struct IdentityDiff {
    std::string key;
    std::string user;
    Status status = Status::changed;
    std::vector<Grant> gained;
    std::vector<Grant> lost;
    std::vector<graph::MeshPort> reach_gained;
    std::vector<graph::MeshPort> reach_lost;
    std::vector<Change> changes;  ///< user, principal, quotas, super user
};

struct TopicDiff {
    std::string name;
    Status status = Status::changed;
    std::vector<Change> changes;
};

struct ManifestDiff {
    std::string kind;
    std::string ns;
    std::string name;
    Status status = Status::changed;
};

struct Flag {
    diag::Code code{};
    Place place;
    std::string subject;  ///< the identity, topic or setting flagged
    std::string message;
};

struct DiffReport {
    /// The command whose report this is: "diff", or "plan" (a running cluster against a topology,
    /// which has no settings or manifests to list).
    std::string command = "diff";
    std::string base;  ///< how the base was named on the command line
    std::string head;
    std::vector<IdentityDiff> identities;  ///< sorted by key
    std::vector<TopicDiff> topics;         ///< sorted by name
    std::vector<Change> settings;          ///< in a fixed order
    std::vector<ManifestDiff> manifests;   ///< sorted by (kind, namespace, name)
    std::vector<Flag> flags;               ///< sorted by (code, subject, place)

    bool changed() const;
    bool widening() const;  ///< any KM601
    bool risky() const;     ///< any flag
};

}  // namespace km::diff
