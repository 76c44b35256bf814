#include "admin/reconcile.h"

#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <string>

namespace km::admin {
namespace {

void plan_acls(const DesiredState& want, const ClusterState& have, const PlanOptions& options,
               Plan& plan) {
    std::vector<AclBinding> wanted;
    for (const auto& [principal, p] : want.principals) {
        for (const live::LiveAcl& acl : p.acls) {
            bool writable =
                options.transactional_ids || acl.type != model::ResourceType::transactional_id;
            (writable ? wanted : plan.unapplied_acls).push_back({principal, acl});
        }
    }
    std::sort(wanted.begin(), wanted.end());
    // `have` holds owned principals only: whatever it holds that is not wanted is stale.
    std::set_difference(wanted.begin(), wanted.end(), have.acls.begin(), have.acls.end(),
                        std::back_inserter(plan.create_acls));
    std::set_difference(have.acls.begin(), have.acls.end(), wanted.begin(), wanted.end(),
                        std::back_inserter(plan.delete_acls));
}

/// The declared settings the topic does not hold, and what AlterConfigs must send.
void plan_config(const std::string& name, const DesiredTopic& d, const TopicState& t, Plan& plan) {
    ConfigUpdate update{name, t.dynamic_config, {}};
    for (const auto& [key, value] : d.config) {
        auto held = t.dynamic_config.find(key);
        if (held != t.dynamic_config.end() && same_config_value(held->second, value)) {
            continue;
        }
        update.changed[key] = {held == t.dynamic_config.end() ? "" : held->second, value};
        update.send[key] = value;
    }
    if (update.changed.empty()) {
        return;
    }
    if (!t.hidden_config.empty()) {
        // A sensitive setting comes back without its value, and a non-incremental AlterConfigs
        // that left it out would remove it: the update is not made.
        for (const std::string& key : t.hidden_config) {
            plan.unapplied.push_back({Unapplied::Kind::hidden_config, name, key, ""});
        }
        return;
    }
    plan.set_configs.push_back(std::move(update));
}

void plan_topic(const std::string& name, const DesiredTopic& d, const TopicState& t, Plan& plan) {
    if (d.partitions && *d.partitions > t.partitions) {
        plan.add_partitions.push_back({name, t.partitions, *d.partitions});
    } else if (d.partitions && *d.partitions < t.partitions) {
        plan.unapplied.push_back({Unapplied::Kind::partitions_decrease, name,
                                  std::to_string(t.partitions), std::to_string(*d.partitions)});
    }
    if (d.replicas && *d.replicas != t.replicas) {
        plan.unapplied.push_back({Unapplied::Kind::replicas_differ, name,
                                  std::to_string(t.replicas), std::to_string(*d.replicas)});
    }
    plan_config(name, d, t, plan);
}

void plan_topics(const DesiredState& want, const ClusterState& have, const PlanOptions& options,
                 Plan& plan) {
    for (const auto& [name, d] : want.topics) {
        auto held = have.topics.find(name);
        if (held == have.topics.end()) {
            plan.create_topics.push_back(
                {name, d.partitions.value_or(-1), d.replicas.value_or(-1), d.config});
        } else {
            plan_topic(name, d, held->second, plan);
        }
    }
    for (const auto& entry : have.topics) {
        if (want.ownership.may_delete_topic(entry.first)) {
            (options.delete_topics ? plan.delete_topics : plan.deletable_topics)
                .push_back(entry.first);
        }
    }
}

}  // namespace

bool Plan::changes() const {
    return !create_acls.empty() || !create_topics.empty() || !add_partitions.empty() ||
           !set_configs.empty() || !delete_acls.empty() || !delete_topics.empty();
}

bool same_config_value(const std::string& held, const std::string& declared) {
    if (held == declared) {
        return true;
    }
    char* end_held = nullptr;
    char* end_declared = nullptr;
    double a = std::strtod(held.c_str(), &end_held);
    double b = std::strtod(declared.c_str(), &end_declared);
    return !held.empty() && !declared.empty() && *end_held == '\0' && *end_declared == '\0' &&
           a == b;
}

Plan compute_plan(const DesiredState& want, const ClusterState& have, const PlanOptions& options) {
    Plan plan;
    plan_acls(want, have, options, plan);
    plan_topics(want, have, options, plan);
    return plan;
}

}  // namespace km::admin
