#include "diff/diff_render.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <tuple>

#include "review/picture.h"

namespace km::diff {
namespace {

using Json = nlohmann::ordered_json;

std::string pattern_text(const Grant& g) {
    return g.pattern == model::PatternType::prefix ? g.name + "*" : g.name;
}

std::string place_text(const Place& p) {
    return p.file.empty() ? std::string() : fmt::format("{}:{}:{}", p.file, p.line, p.column);
}

std::string grant_text(const Grant& g) {
    std::string out =
        fmt::format("{} {} {} {} '{}'", g.effect == model::Effect::allow ? "allow" : "deny",
                    model::operation_name(g.operation), model::resource_type_name(g.type),
                    model::pattern_type_name(g.pattern), pattern_text(g));
    if (!g.sources.empty()) {
        const GrantSource& s = g.sources.front();
        out += fmt::format(" ({} of '{}'{}{})", s.rule, s.via, s.place.file.empty() ? "" : ", ",
                           place_text(s.place));
    }
    return out;
}

std::string change_text(const Change& c) {
    return fmt::format("{}: {} -> {}", c.field, c.before.empty() ? "(none)" : c.before,
                       c.after.empty() ? "(none)" : c.after);
}

/// The Kafka access edges a change adds and removes, drawn like `kafkamesh graph` draws them:
/// one edge per identity, resource, effect and direction of change.
review::Picture change_picture(const DiffReport& r) {
    review::Picture p;
    for (const IdentityDiff& d : r.identities) {
        std::string id = "id:" + d.key;
        std::map<std::tuple<std::string, model::Effect, review::EdgeChange>,
                 std::vector<model::Operation>>
            edges;
        auto gather = [&](const std::vector<Grant>& grants, review::EdgeChange change) {
            for (const Grant& g : grants) {
                if (g.type != model::ResourceType::topic &&
                    g.type != model::ResourceType::cluster) {
                    continue;  // groups and transactional ids name no data
                }
                review::PictureNode node = review::resource_node(g.type, g.pattern, g.name);
                edges[{node.key, g.effect, change}].push_back(g.operation);
                p.nodes.push_back(std::move(node));
            }
        };
        gather(d.gained, review::EdgeChange::added);
        gather(d.lost, review::EdgeChange::removed);
        if (edges.empty()) {
            continue;
        }
        p.nodes.push_back({id, d.key, d.key.substr(0, d.key.find('/')), review::NodeKind::identity,
                           false, false});
        for (auto& [what, ops] : edges) {
            const auto& [resource, effect, change] = what;
            std::sort(ops.begin(), ops.end());
            review::PictureEdge e;
            e.kind = review::edge_kind(ops, effect);
            e.change = change;
            std::vector<std::string_view> names;
            for (model::Operation op : ops) {
                names.push_back(model::operation_name(op));
            }
            e.label = fmt::format("{}{}", effect == model::Effect::deny ? "deny " : "",
                                  fmt::join(names, " "));
            bool inbound = e.kind == review::EdgeKind::consume;
            e.from = inbound ? resource : id;
            e.to = inbound ? id : resource;
            p.edges.push_back(std::move(e));
        }
    }
    review::normalise(p);
    return p;
}

/// A diff of two topologies lists settings and generated manifests; a plan has neither.
bool documents(const DiffReport& r) {
    return r.command == "diff";
}

struct Counts {
    std::size_t added = 0;
    std::size_t removed = 0;
    std::size_t changed = 0;
};

template <typename T>
Counts count(const std::vector<T>& items) {
    Counts c;
    for (const T& i : items) {
        (i.status == Status::added     ? c.added
         : i.status == Status::removed ? c.removed
                                       : c.changed)++;
    }
    return c;
}

std::string counts_text(const Counts& c) {
    return fmt::format("{} added, {} removed, {} changed", c.added, c.removed, c.changed);
}

char status_mark(Status s) {
    return s == Status::added ? '+' : s == Status::removed ? '-' : '~';
}

class TextStyle {
  public:
    explicit TextStyle(bool colour) : m_colour(colour) {}
    std::string paint(const std::string& s, const char* code) const {
        return m_colour ? fmt::format("\x1b[{}m{}\x1b[0m", code, s) : s;
    }
    std::string added(const std::string& s) const { return paint(s, "32"); }
    std::string removed(const std::string& s) const { return paint(s, "31"); }
    std::string bold(const std::string& s) const { return paint(s, "1"); }
    std::string warning(const std::string& s) const { return paint(s, "1;35"); }

  private:
    bool m_colour;
};

Json place_json(const Place& p) {
    Json j = Json::object();
    j["file"] = p.file.empty() ? Json(nullptr) : Json(p.file);
    j["line"] = p.line;
    j["column"] = p.column;
    return j;
}

Json grant_json(const Grant& g) {
    Json j = Json::object();
    j["resource_type"] = std::string(model::resource_type_name(g.type));
    j["pattern"] = std::string(model::pattern_type_name(g.pattern));
    j["name"] = g.name;
    j["operation"] = std::string(model::operation_name(g.operation));
    j["effect"] = g.effect == model::Effect::allow ? "allow" : "deny";
    j["covers"] = g.covers;
    Json sources = Json::array();
    for (const GrantSource& s : g.sources) {
        Json o = Json::object();
        o["rule"] = s.rule;
        o["via"] = s.via;
        o["place"] = place_json(s.place);
        sources.push_back(std::move(o));
    }
    j["sources"] = std::move(sources);
    return j;
}

Json changes_json(const std::vector<Change>& changes) {
    Json list = Json::array();
    for (const Change& c : changes) {
        Json o = Json::object();
        o["field"] = c.field;
        o["before"] = c.before.empty() ? Json(nullptr) : Json(c.before);
        o["after"] = c.after.empty() ? Json(nullptr) : Json(c.after);
        list.push_back(std::move(o));
    }
    return list;
}

Json ports_json(const std::vector<graph::MeshPort>& ports) {
    Json list = Json::array();
    for (const graph::MeshPort& p : ports) {
        Json o = Json::object();
        o["workload"] = p.workload;
        o["port"] = p.port;
        list.push_back(std::move(o));
    }
    return list;
}

std::string md_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '|' || c == '*' || c == '_' || c == '`' || c == '<' || c == '[' || c == ']' ||
            c == '\\') {
            out += '\\';
        }
        out += c;
    }
    return out;
}

/// A position in the markdown view: a link to the line when `links` names its file.
std::string place_markdown(const Place& p, const FileLinks& links) {
    auto link = links.find(p.file);
    if (p.file.empty() || link == links.end()) {
        return md_escape(place_text(p));
    }
    return fmt::format("[{}]({}#L{})", md_escape(place_text(p)), link->second, p.line);
}

}  // namespace

std::string render_text(const DiffReport& r, bool colour) {
    if (!r.changed()) {
        return "";
    }
    TextStyle style(colour);
    std::string out =
        style.bold(fmt::format("kafkamesh {} {} {}", r.command, r.base, r.head)) + "\n";
    if (documents(r)) {
        out += fmt::format(
            "identities: {}; topics: {}; settings: {} changed; manifests: {}; risk "
            "flags: {}\n",
            counts_text(count(r.identities)), counts_text(count(r.topics)), r.settings.size(),
            counts_text(count(r.manifests)), r.flags.size());
    } else {
        out += fmt::format("principals: {}; topics: {}; risk flags: {}\n",
                           counts_text(count(r.identities)), counts_text(count(r.topics)),
                           r.flags.size());
    }
    for (const IdentityDiff& d : r.identities) {
        out += "\n" +
               style.bold(fmt::format("{} {} (user {}){}", status_mark(d.status), d.key, d.user,
                                      d.status == Status::changed
                                          ? ""
                                          : fmt::format(", {} identity", status_name(d.status)))) +
               "\n";
        for (const Grant& g : d.gained) {
            out += style.added("  + " + grant_text(g)) + "\n";
            if (!g.covers.empty()) {
                out += fmt::format("      covers: {}\n", fmt::join(g.covers, ", "));
            }
        }
        for (const Grant& g : d.lost) {
            out += style.removed("  - " + grant_text(g)) + "\n";
        }
        for (const graph::MeshPort& p : d.reach_gained) {
            out += style.added(fmt::format("  + mesh {} port {} ({})", p.workload, p.port, p.why)) +
                   "\n";
        }
        for (const graph::MeshPort& p : d.reach_lost) {
            out +=
                style.removed(fmt::format("  - mesh {} port {} ({})", p.workload, p.port, p.why)) +
                "\n";
        }
        for (const Change& c : d.changes) {
            out += "  ~ " + change_text(c) + "\n";
        }
    }
    if (!r.topics.empty()) {
        out += "\n" + style.bold("topics") + "\n";
        for (const TopicDiff& t : r.topics) {
            out += fmt::format("  {} {}\n", status_mark(t.status), t.name);
            for (const Change& c : t.changes) {
                out += "      " + change_text(c) + "\n";
            }
        }
    }
    if (!r.settings.empty()) {
        out += "\n" + style.bold("settings") + "\n";
        for (const Change& c : r.settings) {
            out += "  ~ " + change_text(c) + "\n";
        }
    }
    if (!r.manifests.empty()) {
        out += "\n" + style.bold("manifests") + "\n";
        for (const ManifestDiff& m : r.manifests) {
            out += fmt::format("  {} {} {}{}\n", status_mark(m.status), m.kind,
                               m.ns.empty() ? "" : m.ns + "/", m.name);
        }
    }
    if (!r.flags.empty()) {
        out += "\n" + style.bold("risk flags") + "\n";
        for (const Flag& f : r.flags) {
            std::string where = place_text(f.place);
            out += fmt::format("{}{}: {}\n", where.empty() ? "" : where + ": ",
                               style.warning(fmt::format("warning[{}]", diag::code_string(f.code))),
                               f.message);
        }
    }
    return out;
}

std::string render_markdown(const DiffReport& r, const FileLinks& links) {
    if (!r.changed()) {
        return "";
    }
    std::string out =
        documents(r) ? "### kafkamesh policy diff\n\n" : "### kafkamesh plan for a cluster\n\n";
    out += fmt::format("`{}` → `{}`\n\n", r.base, r.head);
    out += "| | added | removed | changed |\n|---|---:|---:|---:|\n";
    auto row = [&](const char* what, Counts c) {
        out += fmt::format("| {} | {} | {} | {} |\n", what, c.added, c.removed, c.changed);
    };
    row(documents(r) ? "identities" : "principals", count(r.identities));
    row("topics", count(r.topics));
    if (documents(r)) {
        out += fmt::format("| settings | | | {} |\n", r.settings.size());
        row("manifests", count(r.manifests));
    }
    out += fmt::format("\n**Risk flags: {}**\n", r.flags.size());
    if (!r.flags.empty()) {
        out += "\n| code | where | finding |\n|---|---|---|\n";
        for (const Flag& f : r.flags) {
            out += fmt::format("| {} | {} | {} |\n", diag::code_string(f.code),
                               place_markdown(f.place, links), md_escape(f.message));
        }
    }
    if (review::Picture picture = change_picture(r); !picture.edges.empty()) {
        // GitHub renders a mermaid block in a comment as a diagram.
        out += "\n#### Access changes\n\nAdded edges are green, removed ones red and dashed.\n\n";
        out += "```mermaid\n" + review::render_mermaid(picture) + "```\n";
    }
    if (!r.identities.empty()) {
        out += "\n#### Access by identity\n";
        for (const IdentityDiff& d : r.identities) {
            out += fmt::format("\n**{}** (user `{}`){}\n\n", md_escape(d.key), d.user,
                               d.status == Status::changed
                                   ? ""
                                   : fmt::format(": {} identity", status_name(d.status)));
            for (const Grant& g : d.gained) {
                out += "- gains " + md_escape(grant_text(g)) + "\n";
                if (!g.covers.empty()) {
                    out += fmt::format("  - covers: {}\n",
                                       md_escape(fmt::format("{}", fmt::join(g.covers, ", "))));
                }
            }
            for (const Grant& g : d.lost) {
                out += "- loses " + md_escape(grant_text(g)) + "\n";
            }
            for (const graph::MeshPort& p : d.reach_gained) {
                out += fmt::format("- reaches {} port {} ({})\n", md_escape(p.workload), p.port,
                                   p.why);
            }
            for (const graph::MeshPort& p : d.reach_lost) {
                out += fmt::format("- no longer reaches {} port {} ({})\n", md_escape(p.workload),
                                   p.port, p.why);
            }
            for (const Change& c : d.changes) {
                out += "- " + md_escape(change_text(c)) + "\n";
            }
        }
    }
    if (!r.topics.empty()) {
        out += "\n#### Topics\n\n";
        for (const TopicDiff& t : r.topics) {
            out += fmt::format("- {} `{}`\n", status_name(t.status), t.name);
            for (const Change& c : t.changes) {
                out += "  - " + md_escape(change_text(c)) + "\n";
            }
        }
    }
    if (!r.settings.empty()) {
        out += "\n#### Settings\n\n";
        for (const Change& c : r.settings) {
            out += "- " + md_escape(change_text(c)) + "\n";
        }
    }
    if (!r.manifests.empty()) {
        out += "\n#### Generated manifests\n\n";
        for (const ManifestDiff& m : r.manifests) {
            out += fmt::format("- {} {} `{}{}`\n", status_name(m.status), m.kind,
                               m.ns.empty() ? "" : m.ns + "/", m.name);
        }
    }
    return out;
}

std::string render_json(const DiffReport& r) {
    Json j = Json::object();
    if (!documents(r)) {
        j["command"] = r.command;  // diff's own JSON stays as it was
    }
    j["base"] = r.base;
    j["head"] = r.head;
    j["changed"] = r.changed();
    j["widening"] = r.widening();
    j["risky"] = r.risky();
    Json identities = Json::array();
    for (const IdentityDiff& d : r.identities) {
        Json o = Json::object();
        o["identity"] = d.key;
        o["user"] = d.user;
        o["status"] = std::string(status_name(d.status));
        Json gained = Json::array();
        for (const Grant& g : d.gained) {
            gained.push_back(grant_json(g));
        }
        Json lost = Json::array();
        for (const Grant& g : d.lost) {
            lost.push_back(grant_json(g));
        }
        o["kafka"] = {{"gained", std::move(gained)}, {"lost", std::move(lost)}};
        o["mesh"] = {{"gained", ports_json(d.reach_gained)}, {"lost", ports_json(d.reach_lost)}};
        o["changes"] = changes_json(d.changes);
        identities.push_back(std::move(o));
    }
    j["identities"] = std::move(identities);
    Json topics = Json::array();
    for (const TopicDiff& t : r.topics) {
        Json o = Json::object();
        o["name"] = t.name;
        o["status"] = std::string(status_name(t.status));
        o["changes"] = changes_json(t.changes);
        topics.push_back(std::move(o));
    }
    j["topics"] = std::move(topics);
    j["settings"] = changes_json(r.settings);
    Json manifests = Json::array();
    for (const ManifestDiff& m : r.manifests) {
        Json o = Json::object();
        o["kind"] = m.kind;
        o["namespace"] = m.ns.empty() ? Json(nullptr) : Json(m.ns);
        o["name"] = m.name;
        o["status"] = std::string(status_name(m.status));
        manifests.push_back(std::move(o));
    }
    j["manifests"] = std::move(manifests);
    Json flags = Json::array();
    for (const Flag& f : r.flags) {
        Json o = Json::object();
        o["code"] = std::string(diag::code_string(f.code));
        o["severity"] = std::string(diag::severity_string(diag::default_severity(f.code)));
        o["place"] = place_json(f.place);
        o["subject"] = f.subject;
        o["message"] = f.message;
        flags.push_back(std::move(o));
    }
    j["flags"] = std::move(flags);
    return j.dump(2) + "\n";
}

}  // namespace km::diff
