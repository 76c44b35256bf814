#include "admin/apply_run.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>

#include "admin/desired_state.h"
#include "util/shell.h"

namespace km::admin {
namespace {

using Status = ChangeRecord::Status;

std::string config_text(const ConfigUpdate& u) {
    std::vector<std::string> parts;
    for (const auto& [key, values] : u.changed) {
        parts.push_back(fmt::format("{}={}", key, values.second));
    }
    return fmt::format("{} {}", u.name, fmt::join(parts, ", "));
}

/// One step of the run: its records in `result`, from `first`, and how to make them.
struct Step {
    std::size_t first = 0;
    std::size_t size = 0;
    std::function<std::vector<ItemResult>(bool dry_run)> run;
    bool dry_run = false;  ///< the broker validates it first (validate_only)
};

template <class T, class Text>
Step add_step(ApplyResult& result, const std::string& name, const std::vector<T>& items,
              Text text) {
    Step s{result.changes.size(), items.size(), nullptr, false};
    for (const T& item : items) {
        result.changes.push_back({name, text(item), Status::not_run, ""});
    }
    return s;
}

/// Marks the step's records; true when every item succeeded.
bool record(ApplyResult& result, const Step& s, const std::vector<ItemResult>& outcomes, Status ok,
            Status bad) {
    bool all = true;
    for (std::size_t i = 0; i < s.size; ++i) {
        ChangeRecord& c = result.changes[s.first + i];
        std::string error = i < outcomes.size() ? outcomes[i].error : "no answer";
        c.status = error.empty() ? ok : bad;
        c.error = error;
        all = all && error.empty();
    }
    return all;
}

std::vector<Step> steps(Cluster& cluster, const Plan& plan, ApplyResult& result) {
    std::vector<Step> out;
    auto bindings = [](const AclBinding& b) { return binding_text(b); };
    out.push_back(add_step(result, "create ACL", plan.create_acls, bindings));
    out.back().run = [&](bool) { return cluster.create_acls(plan.create_acls); };
    out.push_back(add_step(result, "create topic", plan.create_topics,
                           [](const TopicCreation& t) { return t.name; }));
    out.back().run = [&](bool dry) { return cluster.create_topics(plan.create_topics, dry); };
    out.back().dry_run = true;
    out.push_back(
        add_step(result, "add partitions", plan.add_partitions, [](const PartitionIncrease& p) {
            return fmt::format("{} {} -> {}", p.name, p.from, p.to);
        }));
    out.back().run = [&](bool dry) { return cluster.add_partitions(plan.add_partitions, dry); };
    out.back().dry_run = true;
    out.push_back(add_step(result, "set config", plan.set_configs, config_text));
    out.back().run = [&](bool dry) { return cluster.set_configs(plan.set_configs, dry); };
    out.back().dry_run = true;
    out.push_back(add_step(result, "delete ACL", plan.delete_acls, bindings));
    out.back().run = [&](bool) { return cluster.delete_acls(plan.delete_acls); };
    out.push_back(add_step(result, "delete topic", plan.delete_topics,
                           [](const std::string& t) { return t; }));
    out.back().run = [&](bool) { return cluster.delete_topics(plan.delete_topics); };
    return out;
}

std::string_view status_text(Status s) {
    switch (s) {
        case Status::done:
            return "done";
        case Status::failed:
            return "failed";
        case Status::not_run:
            return "not run";
        case Status::refused:
            return "refused";
    }
    return "not run";
}

}  // namespace

std::size_t ApplyResult::count(ChangeRecord::Status s) const {
    return static_cast<std::size_t>(std::count_if(
        changes.begin(), changes.end(), [s](const ChangeRecord& c) { return c.status == s; }));
}

ApplyResult apply_plan(Cluster& cluster, const Plan& plan) {
    ApplyResult result;
    std::vector<Step> all = steps(cluster, plan, result);
    // The dry runs first: a change the broker would refuse stops the run before any is made.
    for (const Step& s : all) {
        if (s.dry_run && s.size > 0 &&
            !record(result, s, s.run(true), Status::not_run, Status::refused)) {
            result.refused = true;
        }
    }
    if (result.refused) {
        for (ChangeRecord& c : result.changes) {
            if (c.status == Status::not_run) {
                c.error.clear();
            }
        }
        return result;
    }
    for (const Step& s : all) {
        if (s.size > 0 && !record(result, s, s.run(false), Status::done, Status::failed)) {
            break;  // what follows would remove access or data the failed step was to replace
        }
    }
    return result;
}

std::string render_apply_text(const ApplyResult& result, const diff::DiffReport& report) {
    std::string out = fmt::format("kafkamesh apply {} {}\n", report.base, report.head);
    if (result.changes.empty()) {
        out += "nothing to change: the cluster holds what the topology declares\n";
    }
    for (const ChangeRecord& c : result.changes) {
        out += fmt::format("  {:<8} {} {}{}\n", status_text(c.status), c.step, c.subject,
                           c.error.empty() ? "" : ": " + c.error);
    }
    if (!result.changes.empty()) {
        out += fmt::format("{} of {} changes made\n", result.count(Status::done),
                           result.changes.size());
    }
    for (const diff::Flag& f : report.flags) {
        if (f.code == diag::Code::KM606 || f.code == diag::Code::KM807) {
            out +=
                fmt::format("not applied: warning[{}]: {}\n", diag::code_string(f.code), f.message);
        }
    }
    return out;
}

std::vector<std::string> kafka_acls_commands(const Plan& plan, const std::string& bootstrap,
                                             const std::string& command_config) {
    std::vector<std::string> out;
    for (const AclBinding& b : plan.unapplied_acls) {
        std::string line =
            fmt::format("kafka-acls.sh --bootstrap-server {}", util::shell_quote(bootstrap));
        if (!command_config.empty()) {
            line += " --command-config " + util::shell_quote(command_config);
        }
        line += fmt::format(
            " --add --{}-principal {} --operation {} --transactional-id {} "
            "--resource-pattern-type {}",
            b.acl.effect == model::Effect::deny ? "deny" : "allow", util::shell_quote(b.principal),
            model::operation_name(b.acl.operation), util::shell_quote(b.acl.name),
            b.acl.pattern == model::PatternType::prefix ? "prefixed" : "literal");
        out.push_back(std::move(line));
    }
    return out;
}

bool leaves_differences(const diff::DiffReport& report) {
    for (const diff::Flag& f : report.flags) {
        if (f.code == diag::Code::KM606 || f.code == diag::Code::KM807) {
            return true;
        }
    }
    return false;
}

std::string render_apply_json(const ApplyResult& result, const diff::DiffReport& report) {
    using Json = nlohmann::ordered_json;
    Json j = Json::object();
    j["cluster"] = report.base;
    j["topology"] = report.head;
    j["complete"] = result.complete();
    j["refused"] = result.refused;
    Json changes = Json::array();
    for (const ChangeRecord& c : result.changes) {
        changes.push_back({{"step", c.step},
                           {"subject", c.subject},
                           {"status", std::string(status_text(c.status))},
                           {"error", c.error.empty() ? Json(nullptr) : Json(c.error)}});
    }
    j["changes"] = std::move(changes);
    Json unapplied = Json::array();
    for (const diff::Flag& f : report.flags) {
        if (f.code == diag::Code::KM606 || f.code == diag::Code::KM807) {
            unapplied.push_back({{"code", std::string(diag::code_string(f.code))},
                                 {"subject", f.subject},
                                 {"message", f.message}});
        }
    }
    j["notApplied"] = std::move(unapplied);
    return j.dump(2) + "\n";
}

}  // namespace km::admin
