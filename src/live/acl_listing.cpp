#include "live/acl_listing.h"

#include <fmt/format.h>

#include <cctype>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace km::live {
namespace {

// kafka-acls.sh --list
//
// Kafka 3.x (core/src/main/scala/kafka/admin/AclCommand.scala, printResourceAcls) prints
//   s"Current ACLs for resource `$resource`: $Newline ${acls.map("\t" + _).mkString(Newline)}
//   $Newline"
// and Kafka 4.x (tools/src/main/java/org/apache/kafka/tools/AclCommand.java, printResourceAcls)
//   "Current ACLs for resource `" + resource + "`:" + NL + "\t" + acl (joined by NL) + NL
// with `ACLs for principal `<p>`` before each principal's block under --principal. The resource is
// ResourcePattern#toString, "ResourcePattern(resourceType=TOPIC, name=x, patternType=LITERAL)",
// each entry AccessControlEntryData#toString,
// "(principal=User:x, host=*, operation=READ, permissionType=ALLOW)".

/// The value of `key=` in a "(a=x, b=y, c=z)" text, ending at the next of `next`, or at the end.
/// Searched from the right for the later keys, because principals and group names may hold ", ".
std::optional<std::string> field(std::string_view text, std::string_view key,
                                 std::string_view next) {
    std::size_t start = text.find(key);
    if (start == std::string_view::npos) {
        return std::nullopt;
    }
    start += key.size();
    std::size_t end = next.empty() ? text.size() : text.rfind(next);
    if (end == std::string_view::npos || end < start) {
        return std::nullopt;
    }
    return std::string(text.substr(start, end - start));
}

std::optional<model::Operation> kafka_operation(std::string_view upper) {
    // AclOperation's enum names are the topology's (Strimzi's) spellings in upper snake case:
    // DescribeConfigs is DESCRIBE_CONFIGS. Derived once from the model's list of operations.
    static const std::vector<std::pair<std::string, model::Operation>> ops = [] {
        std::vector<std::pair<std::string, model::Operation>> out;
        for (std::string_view name : model::operation_names()) {
            std::string spelled;
            for (char c : name) {
                if (std::isupper(static_cast<unsigned char>(c)) && !spelled.empty()) {
                    spelled += '_';
                }
                spelled += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            }
            out.emplace_back(std::move(spelled), *model::parse_operation(name));
        }
        return out;
    }();
    for (const auto& [name, op] : ops) {
        if (upper == name) {
            return op;
        }
    }
    return std::nullopt;
}

/// A token ACL stops Strimzi's User Operator: its ACL cache converts every ACL of the cluster,
/// ignored users' included, and throws on the resource types USER and DELEGATION_TOKEN and the
/// operations CREATE_TOKENS and DESCRIBE_TOKENS, then drops the cache, so every reconcile fails
/// (strimzi-kafka-operator 1.2.0, user-operator SimpleAclRuleResource.fromKafkaResourcePattern,
/// SimpleAclRule.fromKafkaAclOperation, AbstractCache.updateCache). kafkamesh runs that operator
/// on both distributions: an error, never a skipped entry.
void report_token_acl(const LineReader& r, diag::Location at, const std::string& what) {
    auto& d = r.sink.report(diag::Code::KM704, at,
                            fmt::format("an ACL with {} is in the cluster: Strimzi's User "
                                        "Operator cannot read it and stops reconciling every "
                                        "KafkaUser",
                                        what));
    diag::add_help(d,
                   "remove the token ACLs (kafka-acls.sh --remove) before adopting the "
                   "cluster; delegation tokens cannot be managed next to the User Operator");
}

/// The resource of the block being read; none after a resource line that cannot be granted or
/// read, whose entries are then skipped.
struct Block {
    std::optional<LiveAcl> resource;
    bool skip = false;
};

/// The resource type kafka-acls.sh prints, when a topology can grant on it.
std::optional<model::ResourceType> resource_type(std::string_view spelled) {
    static const std::pair<std::string_view, model::ResourceType> types[] = {
        {"TOPIC", model::ResourceType::topic},
        {"GROUP", model::ResourceType::group},
        {"CLUSTER", model::ResourceType::cluster},
        {"TRANSACTIONAL_ID", model::ResourceType::transactional_id},
    };
    for (auto [name, t] : types) {
        if (spelled == name) {
            return t;
        }
    }
    return std::nullopt;
}

/// "Current ACLs for resource `ResourcePattern(resourceType=..., name=..., patternType=...)`:"
/// opens a block: its resource, or nothing and a diagnostic.
std::optional<LiveAcl> read_resource_line(const LineReader& r, std::string_view line,
                                          diag::Location at) {
    std::string_view body = line.substr(std::string_view("Current ACLs for resource `").size());
    std::size_t close = body.rfind(")`:");
    auto type = field(body, "resourceType=", ", name=");
    auto name = field(body, ", name=", ", patternType=");
    auto pattern = close == std::string_view::npos
                       ? std::nullopt
                       : field(body.substr(0, close), ", patternType=", "");
    if (!type || !name || !pattern) {
        r.sink.report(diag::Code::KM701, at,
                      "a resource line not in the form kafka-acls.sh prints: "
                      "ResourcePattern(resourceType=..., name=..., patternType=...)");
        return std::nullopt;
    }
    std::optional<model::ResourceType> known = resource_type(*type);
    if (!known && (*type == "USER" || *type == "DELEGATION_TOKEN")) {
        report_token_acl(r, at, fmt::format("resource type {}", *type));
        return std::nullopt;
    }
    if (!known) {
        r.sink.report(diag::Code::KM703, at,
                      fmt::format("resource type {} is not one a topology can grant; its "
                                  "entries are left out",
                                  *type));
        return std::nullopt;
    }
    if (*pattern != "LITERAL" && *pattern != "PREFIXED") {
        r.sink.report(diag::Code::KM701, at,
                      fmt::format("pattern type '{}' is neither LITERAL nor PREFIXED", *pattern));
        return std::nullopt;
    }
    LiveAcl acl;
    acl.location = at;
    acl.type = *known;
    acl.pattern = *pattern == "PREFIXED" ? model::PatternType::prefix : model::PatternType::literal;
    acl.name = acl.type == model::ResourceType::cluster ? "kafka-cluster" : *name;
    return acl;
}

/// "(principal=User:x, host=*, operation=READ, permissionType=ALLOW)": one ACL of the block's
/// resource, given to its principal.
void read_entry_line(const LineReader& r, std::string_view line, diag::Location at,
                     const LiveAcl& resource, LiveState& state) {
    std::string_view body = line.substr(1, line.size() - (line.ends_with(")") ? 2 : 1));
    auto permission = field(body, ", permissionType=", "");
    auto operation = field(body, ", operation=", ", permissionType=");
    std::string_view before_op = body.substr(0, body.rfind(", operation="));
    auto host = field(before_op, ", host=", "");
    std::optional<std::string> principal;
    if (auto h = before_op.rfind(", host="); h != std::string_view::npos) {
        principal = std::string(before_op.substr(10, h - 10));
    }
    if (!line.ends_with(")") || !permission || !operation || !host || !principal ||
        body.rfind(", operation=") == std::string_view::npos) {
        r.sink.report(diag::Code::KM701, at,
                      "an ACL entry not in the form kafka-acls.sh prints: (principal=..., "
                      "host=..., operation=..., permissionType=...)");
        return;
    }
    auto op = kafka_operation(*operation);
    if (!op && (*operation == "CREATE_TOKENS" || *operation == "DESCRIBE_TOKENS")) {
        report_token_acl(r, at, fmt::format("operation {}", *operation));
        return;
    }
    if (!op) {
        r.sink.report(diag::Code::KM703, at,
                      fmt::format("operation {} is not one a topology can grant; the "
                                  "entry is left out",
                                  *operation));
        return;
    }
    if (*permission != "ALLOW" && *permission != "DENY") {
        r.sink.report(diag::Code::KM701, at,
                      fmt::format("permission type '{}' is neither ALLOW nor DENY", *permission));
        return;
    }
    LiveAcl acl = resource;
    acl.location = at;
    acl.operation = *op;
    acl.effect = *permission == "DENY" ? model::Effect::deny : model::Effect::allow;
    acl.host = *host;
    LivePrincipal& p = state.principal(*principal);
    if (!p.location.known()) {
        p.location = acl.location;
    }
    p.acls.push_back(std::move(acl));
}

}  // namespace

void read_acl_text(const LineReader& r, LiveState& state) {
    state.parts.insert(Part::acls);
    Block block;
    for_each_line(r.sources.file(r.file).text, [&](std::uint32_t number, std::string_view raw) {
        std::string_view line = trim(raw);
        diag::Location at = r.at(number, indent_of(raw));
        // "#" lines are never printed by the tool: a note an operator added to the export.
        if (line.empty() || line.starts_with("#") || line.starts_with("ACLs for principal `")) {
            return;
        }
        if (line.starts_with("Current ACLs for resource `ResourcePattern(")) {
            block.resource = read_resource_line(r, line, at);
            block.skip = !block.resource;
        } else if (!line.starts_with("(principal=")) {
            r.sink.report(diag::Code::KM701, at, "a line that kafka-acls.sh --list does not print");
        } else if (!block.skip && !block.resource) {
            r.sink.report(diag::Code::KM701, at,
                          "an ACL entry before any 'Current ACLs for resource' line");
        } else if (!block.skip) {
            read_entry_line(r, line, at, *block.resource, state);
        }
    });
}

}  // namespace km::live
