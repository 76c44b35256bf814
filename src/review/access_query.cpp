#include "review/access_query.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "graph/authorizer.h"
#include "graph/mesh_reach.h"
#include "review/review_checks.h"
#include "util/parallel.h"
#include "util/strings.h"

namespace km::review {
namespace {

using graph::AclEntry;
using graph::Identity;
using Json = nlohmann::ordered_json;
using model::Operation;

std::string pattern_text(const AclEntry& e) {
    return e.pattern == model::PatternType::prefix ? e.name + "*" : e.name;
}

std::string place_text(const QueryContext& c, diag::Location where) {
    if (!where.known() || where.file >= c.sources.size()) {
        return "";
    }
    return fmt::format("{}:{}:{}", c.sources.file(where.file).path, where.line, where.column);
}

std::string source_text(const QueryContext& c, const graph::Provenance& p) {
    std::string at = place_text(c, p.location);
    return fmt::format("{} of '{}'{}{}", graph::rule_name(p.rule), p.via, at.empty() ? "" : " at ",
                       at);
}

std::string entry_text(const AclEntry& e) {
    return fmt::format("{} {} {} {} '{}'", e.effect == model::Effect::allow ? "allow" : "deny",
                       model::operation_name(e.operation), model::resource_type_name(e.type),
                       model::pattern_type_name(e.pattern), pattern_text(e));
}

/// Operations an ALLOW grants besides its own (Kafka's implied operations).
std::vector<std::string> implied(const AclEntry& e) {
    std::vector<std::string> out;
    if (e.effect != model::Effect::allow || e.operation == Operation::All) {
        return out;
    }
    for (Operation op : {Operation::Describe, Operation::DescribeConfigs}) {
        if (op != e.operation && graph::allow_permits(e.operation, op) &&
            model::operation_valid_for(e.type, op)) {
            out.emplace_back(model::operation_name(op));
        }
    }
    return out;
}

std::vector<std::string> covers(const QueryContext& c, const AclEntry& e) {
    std::vector<std::string> out;
    if (e.type != model::ResourceType::topic ||
        (e.pattern == model::PatternType::literal && e.name != "*")) {
        return out;
    }
    for (const model::Topic& t : c.topology.topics) {
        if (graph::pattern_matches(e, model::ResourceType::topic, t.name.value)) {
            out.push_back(t.name.value);
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

Json place_json(const QueryContext& c, diag::Location where) {
    Json j = Json::object();
    if (!where.known() || where.file >= c.sources.size()) {
        j["file"] = nullptr;
        j["line"] = 0;
        j["column"] = 0;
        return j;
    }
    j["file"] = c.sources.file(where.file).path;
    j["line"] = where.line;
    j["column"] = where.column;
    return j;
}

Json entry_json(const QueryContext& c, const AclEntry& e) {
    Json j = Json::object();
    j["resource_type"] = std::string(model::resource_type_name(e.type));
    j["pattern"] = std::string(model::pattern_type_name(e.pattern));
    j["name"] = e.name;
    j["operation"] = std::string(model::operation_name(e.operation));
    j["effect"] = e.effect == model::Effect::allow ? "allow" : "deny";
    j["implies"] = implied(e);
    j["covers"] = covers(c, e);
    Json sources = Json::array();
    for (const graph::Provenance& p : e.sources) {
        Json s = Json::object();
        s["rule"] = std::string(graph::rule_name(p.rule));
        s["via"] = p.via;
        s["place"] = place_json(c, p.location);
        sources.push_back(std::move(s));
    }
    j["sources"] = std::move(sources);
    return j;
}

Json identity_json(const Identity& id) {
    Json j = Json::object();
    j["identity"] = id.key;
    j["user"] = id.user;
    j["principal"] = "User:" + id.principal_name;
    j["mesh_principal"] = id.mesh_principal;
    j["super_user"] = id.super_user;
    Json equivalent = Json::array();
    for (Operation op : graph::super_user_equivalent_operations(id)) {
        equivalent.push_back(std::string(model::operation_name(op)));
    }
    j["super_user_equivalent"] = std::move(equivalent);
    return j;
}

/// "Alter, ClusterAction" for an identity that is a super user in effect, else "".
std::string equivalent_text(const Identity& id) {
    std::vector<std::string> names;
    for (Operation op : graph::super_user_equivalent_operations(id)) {
        names.emplace_back(model::operation_name(op));
    }
    return fmt::format("{}", fmt::join(names, ", "));
}

std::string equivalent_reason(const std::string& ops) {
    return fmt::format(
        "super-user equivalent: holds {} on the cluster, so it can grant itself "
        "any access",
        ops);
}

std::string md_escape(const std::string& s) {
    std::string out;
    for (char ch : s) {
        if (ch == '|' || ch == '*' || ch == '_' || ch == '`' || ch == '<' || ch == '[' ||
            ch == ']' || ch == '\\') {
            out += '\\';
        }
        out += ch;
    }
    return out;
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) {
        return s;
    }
    std::string out = "\"";
    for (char ch : s) {
        out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    }
    return out + "\"";
}

std::string sources_text(const QueryContext& c, const AclEntry& e) {
    std::vector<std::string> parts;
    for (const graph::Provenance& p : e.sources) {
        parts.push_back(source_text(c, p));
    }
    return fmt::format("{}", fmt::join(parts, "; "));
}

/// A cluster the topology only references (kafka.managed: false): what explain and who-can say
/// about it, or "" for a cluster the topology describes.
std::string referenced_cluster(const QueryContext& c) {
    const model::Kafka& k = *c.topology.kafka;
    if (k.managed) {
        return "";
    }
    return fmt::format(
        "cluster {}/{} is referenced, not managed (kafka.managed: false): its "
        "listener and super users are the running cluster's",
        k.ns.value, k.name.value);
}

/// The declared topics, by name and in name order, so the topics one ACL entry matches are found
/// without looking at every topic: a literal by lookup, a prefix as one range of the sorted names.
class DeclaredTopics {
  public:
    explicit DeclaredTopics(const model::Topology& t) {
        m_sorted.reserve(t.topics.size());
        for (std::size_t i = 0; i < t.topics.size(); ++i) {
            m_sorted.emplace_back(t.topics[i].name.value, i);
        }
        std::sort(m_sorted.begin(), m_sorted.end());
        m_count = t.topics.size();
    }

    const std::size_t* find(std::string_view name) const {
        auto it = std::lower_bound(m_sorted.begin(), m_sorted.end(), name,
                                   [](const auto& entry, std::string_view n) {
                                       return std::string_view(entry.first) < n;
                                   });
        return it != m_sorted.end() && it->first == name ? &it->second : nullptr;
    }

    /// The indexes, in declaration order, of the topics some topic entry of `id` matches.
    void matched_by(const Identity& id, std::vector<std::size_t>& out) const {
        out.clear();
        if (id.super_user) {
            return;  // decided before any ACL: no per-topic row
        }
        for (const AclEntry& e : id.acls) {
            if (e.type != model::ResourceType::topic) {
                continue;
            }
            if (e.pattern == model::PatternType::literal && e.name == "*") {
                out.resize(m_count);
                for (std::size_t i = 0; i < m_count; ++i) {
                    out[i] = i;
                }
                return;
            }
            if (e.pattern == model::PatternType::literal) {
                if (const std::size_t* i = find(e.name)) {
                    out.push_back(*i);
                }
                continue;
            }
            auto it = std::lower_bound(
                m_sorted.begin(), m_sorted.end(), e.name,
                [](const auto& entry, const std::string& n) { return entry.first < n; });
            for (; it != m_sorted.end() && util::starts_with(it->first, e.name); ++it) {
                out.push_back(it->second);
            }
        }
        std::sort(out.begin(), out.end());
        out.erase(std::unique(out.begin(), out.end()), out.end());
    }

  private:
    std::vector<std::pair<std::string, std::size_t>> m_sorted;
    std::size_t m_count = 0;
};

}  // namespace

const Identity* find_service_identity(const QueryContext& c, const std::string& service) {
    for (const model::Service& s : c.topology.services) {
        if (s.ns.value + "/" + s.name.value != service) {
            continue;
        }
        for (const Identity& id : c.graph.identities) {
            if (id.ns == s.ns.value && id.service_account == s.account()) {
                return &id;
            }
        }
    }
    return nullptr;
}

namespace {

std::string explain_service_json(const QueryContext& c, const std::string& service,
                                 const Identity& id, const std::vector<graph::MeshPort>& reach) {
    Json j = Json::object();
    j["service"] = service;
    Json who = identity_json(id);
    for (auto it = who.begin(); it != who.end(); ++it) {
        j[it.key()] = *it;
    }
    Json kafka = Json::array();
    for (const AclEntry& e : id.acls) {
        kafka.push_back(entry_json(c, e));
    }
    j["kafka"] = std::move(kafka);
    Json mesh = Json::array();
    for (const graph::MeshPort& p : reach) {
        mesh.push_back({{"workload", p.workload}, {"port", p.port}, {"why", p.why}});
    }
    j["mesh"] = std::move(mesh);
    j["cluster"] = {{"name", c.topology.kafka->name.value},
                    {"namespace", c.topology.kafka->ns.value},
                    {"managed", c.topology.kafka->managed}};
    return j.dump(2) + "\n";
}

std::string explain_service_markdown(const QueryContext& c, const std::string& service,
                                     const Identity& id,
                                     const std::vector<graph::MeshPort>& reach) {
    std::string out;
    out += fmt::format("### Access of `{}`\n\n", service);
    out += fmt::format("Identity `{}`, Kafka user `{}` (`User:{}`), mesh principal `{}`{}.\n",
                       id.key, id.user, id.principal_name, id.mesh_principal,
                       id.super_user ? ", **super user**: Kafka allows it everything without "
                                       "looking at ACLs"
                                     : "");
    if (std::string referenced = referenced_cluster(c); !referenced.empty()) {
        out += "\n" + referenced + ".\n";
    }
    if (std::string ops = equivalent_text(id); !ops.empty()) {
        out += fmt::format("\n**{}**.\n", equivalent_reason(ops));
    }
    out += "\n#### Kafka\n\n";
    if (id.acls.empty()) {
        out += "No ACL entries.\n";
    } else {
        out += "| effect | operation | resource | pattern | name | from |\n";
        out += "|---|---|---|---|---|---|\n";
        for (const AclEntry& e : id.acls) {
            std::vector<std::string> imp = implied(e);
            out +=
                fmt::format("| {} | {}{} | {} | {} | {} | {} |\n",
                            e.effect == model::Effect::allow ? "allow" : "deny",
                            model::operation_name(e.operation),
                            imp.empty() ? "" : fmt::format(" (implies {})", fmt::join(imp, ", ")),
                            model::resource_type_name(e.type), model::pattern_type_name(e.pattern),
                            md_escape(pattern_text(e)), md_escape(sources_text(c, e)));
        }
    }
    out += "\n#### Mesh\n\n";
    if (reach.empty()) {
        out += "Reaches no Kafka port.\n";
    } else {
        out += "| workload | port | why |\n|---|---:|---|\n";
        for (const graph::MeshPort& p : reach) {
            out += fmt::format("| {} | {} | {} |\n", p.workload, p.port, p.why);
        }
    }
    return out;
}

std::string explain_service_text(const QueryContext& c, const std::string& service,
                                 const Identity& id, const std::vector<graph::MeshPort>& reach) {
    std::string out;
    out += fmt::format("service {}: identity {}, Kafka user {} (User:{}), mesh principal {}\n",
                       service, id.key, id.user, id.principal_name, id.mesh_principal);
    if (std::string referenced = referenced_cluster(c); !referenced.empty()) {
        out += referenced + "\n";
    }
    if (id.super_user) {
        out += "super user: Kafka allows every operation without looking at ACLs\n";
    }
    if (std::string ops = equivalent_text(id); !ops.empty()) {
        out += equivalent_reason(ops) + "\n";
    }
    out += "kafka:\n";
    if (id.acls.empty()) {
        out += "  (no ACL entries)\n";
    }
    for (const AclEntry& e : id.acls) {
        std::vector<std::string> imp = implied(e);
        out += fmt::format("  {}{}\n", entry_text(e),
                           imp.empty() ? "" : fmt::format(", implies {}", fmt::join(imp, ", ")));
        std::vector<std::string> cov = covers(c, e);
        if (!cov.empty()) {
            out += fmt::format("      covers: {}\n", fmt::join(cov, ", "));
        }
        for (const graph::Provenance& p : e.sources) {
            out += "      from " + source_text(c, p) + "\n";
        }
    }
    out += "mesh:\n";
    if (reach.empty()) {
        out += "  (reaches no Kafka port)\n";
    }
    for (const graph::MeshPort& p : reach) {
        out += fmt::format("  {} port {} ({})\n", p.workload, p.port, p.why);
    }
    return out;
}

/// The answer to who-can before it is written out.
struct WhoCan {
    std::string op;  ///< the operation's and the resource type's names
    std::string rt;
    bool prefix_query = false;
    std::vector<std::pair<const Identity*, graph::Decision>> allowed;
    std::vector<std::pair<const Identity*, graph::Decision>> denied;
    /// Not allowed by Kafka today, but able to grant themselves this (and anything else).
    std::vector<std::pair<const Identity*, std::string>> equivalent;
};

WhoCan ask_who_can(const QueryContext& c, Operation operation, model::ResourceType type,
                   const std::string& name) {
    WhoCan a;
    a.op = model::operation_name(operation);
    a.rt = model::resource_type_name(type);
    // A prefix query asks about a name no literal grant can hold: the prefix followed by a
    // character outside every Kafka resource name ([a-zA-Z0-9._-]). Exactly the wildcard and
    // the prefix grants whose prefix starts the queried one then match, as Kafka's authorizer
    // matches them (a prefix grant matches a name it starts).
    a.prefix_query = name.size() > 1 && name.back() == '*';
    std::string probe = a.prefix_query ? name.substr(0, name.size() - 1) + '\x7f' : name;
    for (const Identity& id : c.graph.identities) {
        graph::Decision d = graph::authorize(id, operation, type, probe);
        if (d.allowed()) {
            a.allowed.emplace_back(&id, std::move(d));
            continue;
        }
        if (std::string ops = equivalent_text(id); !ops.empty()) {
            a.equivalent.emplace_back(&id, equivalent_reason(ops));
        }
        if (d.reason == graph::Decision::Reason::denied) {
            a.denied.emplace_back(&id, std::move(d));
        }
    }
    return a;
}

/// Why a decision was made: super user, or the entries that made it and where they come from.
std::string decision_reason(const QueryContext& c, const graph::Decision& d, Operation operation) {
    if (d.reason == graph::Decision::Reason::super_user) {
        // On a referenced cluster the topology cannot make anyone a super user.
        return std::string(c.topology.kafka->managed
                               ? "super user"
                               : "super user, if the running cluster lists it in super.users");
    }
    std::vector<std::string> parts;
    for (const AclEntry* e : d.entries) {
        std::string implies =
            e->effect == model::Effect::allow && e->operation != operation
                ? fmt::format(" ({} implies {})", model::operation_name(e->operation),
                              model::operation_name(operation))
                : "";
        parts.push_back(fmt::format("{}{} from {}", entry_text(*e), implies, sources_text(c, *e)));
    }
    return fmt::format("{}", fmt::join(parts, "; "));
}

std::string who_can_json(const QueryContext& c, const WhoCan& a, const std::string& name) {
    Json j = Json::object();
    j["operation"] = a.op;
    j["resource_type"] = a.rt;
    j["name"] = name;
    j["prefix"] = a.prefix_query;
    for (const auto* list : {&a.allowed, &a.denied}) {
        Json items = Json::array();
        for (const auto& [id, d] : *list) {
            Json o = identity_json(*id);
            o["reason"] = d.reason == graph::Decision::Reason::super_user ? "super_user"
                          : d.reason == graph::Decision::Reason::allowed  ? "allow"
                                                                          : "deny";
            Json grants = Json::array();
            for (const AclEntry* e : d.entries) {
                grants.push_back(entry_json(c, *e));
            }
            o["grants"] = std::move(grants);
            items.push_back(std::move(o));
        }
        j[list == &a.allowed ? "allowed" : "denied"] = std::move(items);
    }
    Json items = Json::array();
    for (const auto& [id, why] : a.equivalent) {
        Json o = identity_json(*id);
        o["reason"] = why;
        items.push_back(std::move(o));
    }
    j["super_user_equivalent"] = std::move(items);
    return j.dump(2) + "\n";
}

std::string who_can_markdown(const QueryContext& c, const WhoCan& a, Operation operation,
                             const std::string& name) {
    std::string out = fmt::format("### Who can {} {} `{}`\n\n", a.op, a.rt, name);
    if (a.allowed.empty()) {
        out += "No identity.\n";
    } else {
        out += "| identity | user | reason |\n|---|---|---|\n";
        for (const auto& [id, d] : a.allowed) {
            out += fmt::format("| {} | {} | {} |\n", md_escape(id->key), md_escape(id->user),
                               md_escape(decision_reason(c, d, operation)));
        }
    }
    if (!a.denied.empty()) {
        out += "\n#### Stopped by a deny grant\n\n| identity | user | deny |\n|---|---|---|\n";
        for (const auto& [id, d] : a.denied) {
            out += fmt::format("| {} | {} | {} |\n", md_escape(id->key), md_escape(id->user),
                               md_escape(decision_reason(c, d, operation)));
        }
    }
    if (!a.equivalent.empty()) {
        out += "\n#### Super-user equivalent\n\n| identity | user | why |\n|---|---|---|\n";
        for (const auto& [id, why] : a.equivalent) {
            out += fmt::format("| {} | {} | {} |\n", md_escape(id->key), md_escape(id->user),
                               md_escape(why));
        }
    }
    return out;
}

std::string who_can_text(const QueryContext& c, const WhoCan& a, Operation operation,
                         const std::string& name) {
    std::string out = fmt::format("who can {} {} '{}': {} identit{}\n", a.op, a.rt, name,
                                  a.allowed.size(), a.allowed.size() == 1 ? "y" : "ies");
    if (a.prefix_query) {
        out += fmt::format(
            "  (every {} whose name starts with '{}'; a narrower deny may still remove some)\n",
            a.rt, name.substr(0, name.size() - 1));
    }
    for (const auto& [id, d] : a.allowed) {
        out += fmt::format("  {} (user {}): {}\n", id->key, id->user,
                           decision_reason(c, d, operation));
    }
    if (!a.denied.empty()) {
        out += "stopped by a deny grant:\n";
        for (const auto& [id, d] : a.denied) {
            out += fmt::format("  {} (user {}): {}\n", id->key, id->user,
                               decision_reason(c, d, operation));
        }
    }
    if (!a.equivalent.empty()) {
        out += "can grant it to themselves:\n";
        for (const auto& [id, why] : a.equivalent) {
            out += fmt::format("  {} (user {}): {}\n", id->key, id->user, why);
        }
    }
    return out;
}

/// One row of the access matrix: what an identity may do on a resource or pattern.
struct MatrixRow {
    std::string identity;
    std::string user;
    std::string resource_type;
    std::string pattern;
    std::string name;
    std::vector<std::string> allowed;
    std::vector<std::string> denied;
};

/// The operations a matrix row weighs for a resource type: the valid ones but All, listed once.
const std::vector<Operation>& row_operations(model::ResourceType type) {
    static const std::array<std::vector<Operation>, 4> by_type = [] {
        std::array<std::vector<Operation>, 4> table;
        for (auto t : {model::ResourceType::cluster, model::ResourceType::group,
                       model::ResourceType::topic, model::ResourceType::transactional_id}) {
            for (Operation op : model::valid_operations(t)) {
                if (op != Operation::All) {
                    table[static_cast<std::size_t>(t)].push_back(op);
                }
            }
        }
        return table;
    }();
    return by_type[static_cast<std::size_t>(type)];
}

/// Declared topics by their effective operations. Only the topics one of the identity's own
/// entries matches can have a row, so the work grows with the rows printed, not with identities
/// times topics.
void declared_topic_rows(const QueryContext& c, const DeclaredTopics& declared, const Identity& id,
                         std::vector<MatrixRow>& rows) {
    std::vector<std::size_t> candidates;
    declared.matched_by(id, candidates);
    for (std::size_t i : candidates) {
        const model::Topic& t = c.topology.topics[i];
        MatrixRow row{id.key, id.user, "topic", "literal", t.name.value, {}, {}};
        for (Operation op : row_operations(model::ResourceType::topic)) {
            graph::Decision d = graph::authorize(id, op, model::ResourceType::topic, t.name.value);
            if (d.reason == graph::Decision::Reason::allowed) {
                row.allowed.emplace_back(model::operation_name(op));
            } else if (d.reason == graph::Decision::Reason::denied) {
                row.denied.emplace_back(model::operation_name(op));
            }
        }
        if (!row.allowed.empty() || !row.denied.empty()) {
            rows.push_back(std::move(row));
        }
    }
}

/// A pattern stands for many resources: it grants what its own allows permit, less what a deny
/// over the whole pattern forbids.
MatrixRow pattern_row(const Identity& id, model::ResourceType type, model::PatternType pattern,
                      const std::string& name) {
    MatrixRow row{id.key,
                  id.user,
                  std::string(model::resource_type_name(type)),
                  std::string(model::pattern_type_name(pattern)),
                  pattern == model::PatternType::prefix ? name + "*" : name,
                  {},
                  {}};
    AclEntry self;
    self.type = type;
    self.pattern = pattern;
    self.name = name;
    for (Operation op : row_operations(type)) {
        bool allowed = false;
        bool denied = false;
        for (const AclEntry& e : id.acls) {
            bool same = e.type == type && e.pattern == pattern && e.name == name;
            if (e.effect == model::Effect::allow) {
                allowed = allowed || (same && graph::allow_permits(e.operation, op));
            } else if (graph::deny_forbids(e.operation, op) && (same || pattern_covers(e, self))) {
                denied = true;
            }
        }
        if (denied) {
            row.denied.emplace_back(model::operation_name(op));
        } else if (allowed) {
            row.allowed.emplace_back(model::operation_name(op));
        }
    }
    return row;
}

/// Every other pattern the identity's entries name, each once.
void pattern_rows(const DeclaredTopics& declared, const Identity& id,
                  std::vector<MatrixRow>& rows) {
    std::set<std::tuple<model::ResourceType, model::PatternType, std::string>> patterns;
    for (const AclEntry& e : id.acls) {
        bool declared_topic = e.type == model::ResourceType::topic &&
                              e.pattern == model::PatternType::literal &&
                              declared.find(e.name) != nullptr;
        if (!declared_topic) {
            patterns.emplace(e.type, e.pattern, e.name);
        }
    }
    for (const auto& [type, pattern, name] : patterns) {
        rows.push_back(pattern_row(id, type, pattern, name));
    }
}

/// The rows of the identities [first, last), appended to `rows`.
void identity_rows(const QueryContext& c, const DeclaredTopics& declared, std::size_t first,
                   std::size_t last, std::vector<MatrixRow>& rows) {
    for (std::size_t i = first; i < last; ++i) {
        const Identity& id = c.graph.identities[i];
        if (id.super_user) {
            rows.push_back({id.key, id.user, "*", "literal", "*", {"All"}, {}});
        } else if (!graph::super_user_equivalent_operations(id).empty()) {
            // It can grant itself All on everything; its own grants follow.
            rows.push_back({id.key, id.user, "*", "super-user-equivalent", "*", {"All"}, {}});
        }
        declared_topic_rows(c, declared, id, rows);
        pattern_rows(declared, id, rows);
        for (const graph::MeshPort& p : graph::mesh_reach(c.topology, id)) {
            rows.push_back({id.key,
                            id.user,
                            "mesh",
                            "port",
                            fmt::format("{}:{}", p.workload, p.port),
                            {"Connect"},
                            {}});
        }
    }
}

/// Each identity's rows read the topology and the graph only: the first half of the
/// identities is done on a second core, and its rows come first, as in identity order.
std::vector<MatrixRow> matrix_rows(const QueryContext& c) {
    DeclaredTopics declared(c.topology);
    std::size_t count = c.graph.identities.size();
    std::vector<MatrixRow> rows;
    std::vector<MatrixRow> second_half;
    util::run_beside([&] { identity_rows(c, declared, 0, count / 2, rows); },
                     [&] { identity_rows(c, declared, count / 2, count, second_half); });
    rows.insert(rows.end(), std::make_move_iterator(second_half.begin()),
                std::make_move_iterator(second_half.end()));
    return rows;
}

std::string operations_text(const std::vector<std::string>& v) {
    return fmt::format("{}", fmt::join(v, " "));
}

std::string matrix_json(const std::vector<MatrixRow>& rows) {
    Json list = Json::array();
    for (const MatrixRow& r : rows) {
        Json o = Json::object();
        o["identity"] = r.identity;
        o["user"] = r.user;
        o["resource_type"] = r.resource_type;
        o["pattern"] = r.pattern;
        o["name"] = r.name;
        o["allowed"] = r.allowed;
        o["denied"] = r.denied;
        list.push_back(std::move(o));
    }
    Json j = Json::object();
    j["rows"] = std::move(list);
    return j.dump(2) + "\n";
}

std::string matrix_csv(const std::vector<MatrixRow>& rows) {
    std::string out = "identity,user,resource_type,pattern,name,allowed,denied\n";
    for (const MatrixRow& r : rows) {
        out += fmt::format("{},{},{},{},{},{},{}\n", csv_field(r.identity), csv_field(r.user),
                           r.resource_type, r.pattern, csv_field(r.name),
                           csv_field(operations_text(r.allowed)),
                           csv_field(operations_text(r.denied)));
    }
    return out;
}

std::string matrix_markdown(const QueryContext& c, const std::vector<MatrixRow>& rows) {
    std::string out = "### Access matrix\n\n";
    out += "| identity | user | resource | pattern | name | allowed | denied |\n";
    out += "|---|---|---|---|---|---|---|\n";
    for (const MatrixRow& r : rows) {
        out += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", md_escape(r.identity),
                           md_escape(r.user), r.resource_type, r.pattern, md_escape(r.name),
                           operations_text(r.allowed), operations_text(r.denied));
    }
    if (std::string referenced = referenced_cluster(c); !referenced.empty()) {
        out += "\n" + referenced + ".\n";
    }
    return out;
}

std::string matrix_text(const QueryContext& c, const std::vector<MatrixRow>& rows) {
    std::size_t w_id = 8;
    std::size_t w_res = 8;
    for (const MatrixRow& r : rows) {
        w_id = std::max(w_id, r.identity.size());
        w_res = std::max(w_res, r.resource_type.size() + r.pattern.size() + r.name.size() + 2);
    }
    std::string out =
        fmt::format("{:<{}}  {:<{}}  {}\n", "identity", w_id, "resource", w_res, "operations");
    std::string resource;
    for (const MatrixRow& r : rows) {
        resource.assign(r.resource_type).append(" ").append(r.pattern).append(" ").append(r.name);
        std::string ops_text = operations_text(r.allowed);
        if (!r.denied.empty()) {
            // Appended piece by piece: g++ 12 at -O3 reports a false -Wrestrict on
            // `const char* + std::string&&` here, as in diag/render.cpp.
            if (!ops_text.empty()) {
                ops_text += ' ';
            }
            ops_text += "denied: ";
            ops_text += operations_text(r.denied);
        }
        fmt::format_to(std::back_inserter(out), "{:<{}}  {:<{}}  {}\n", r.identity, w_id, resource,
                       w_res, ops_text);
    }
    if (std::string referenced = referenced_cluster(c); !referenced.empty()) {
        out += referenced + "\n";
    }
    return out;
}

}  // namespace

std::string explain_service(const QueryContext& c, const std::string& service, const Identity& id,
                            Format format) {
    std::vector<graph::MeshPort> reach = graph::mesh_reach(c.topology, id);
    if (format == Format::json) {
        return explain_service_json(c, service, id, reach);
    }
    if (format == Format::markdown) {
        return explain_service_markdown(c, service, id, reach);
    }
    return explain_service_text(c, service, id, reach);
}

std::string who_can(const QueryContext& c, Operation operation, model::ResourceType type,
                    const std::string& name, Format format) {
    WhoCan answer = ask_who_can(c, operation, type, name);
    if (format == Format::json) {
        return who_can_json(c, answer, name);
    }
    if (format == Format::markdown) {
        return who_can_markdown(c, answer, operation, name);
    }
    return who_can_text(c, answer, operation, name);
}

std::string access_matrix(const QueryContext& c, Format format) {
    std::vector<MatrixRow> rows = matrix_rows(c);
    switch (format) {
        case Format::json:
            return matrix_json(rows);
        case Format::csv:
            return matrix_csv(rows);
        case Format::markdown:
            return matrix_markdown(c, rows);
        case Format::text:
            break;
    }
    return matrix_text(c, rows);
}

}  // namespace km::review
