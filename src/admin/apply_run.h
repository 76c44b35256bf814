// apply: the plan's changes made in an order that never leaves less access than planned on the
// way (create ACLs, create topics, add partitions, set configs, then delete stale ACLs, then
// delete topics), after the broker has validated every topic change in a dry run.
#pragma once

#include <string>
#include <vector>

#include "admin/kafka_admin.h"
#include "admin/reconcile.h"
#include "diff/diff_report.h"

namespace km::admin {

struct ChangeRecord {
    enum class Status : std::uint8_t { done, failed, not_run, refused };
    std::string step;     ///< "create ACL", "create topic", ...
    std::string subject;  ///< the binding or topic, as text
    Status status = Status::not_run;
    std::string error;
};

struct ApplyResult {
    std::vector<ChangeRecord> changes;  ///< in the order they were (or would have been) made
    bool refused = false;               ///< the dry run refused a change: nothing was changed
    std::size_t count(ChangeRecord::Status s) const;
    bool complete() const { return count(ChangeRecord::Status::done) == changes.size(); }
};

/// Runs the plan; stops at the first step that fails, the rest not run.
ApplyResult apply_plan(Cluster& cluster, const Plan& plan);

std::string render_apply_text(const ApplyResult& result, const diff::DiffReport& report);
/// The ACLs this librdkafka cannot place (Plan::unapplied_acls) as `kafka-acls.sh --add` command
/// lines, one per binding, for an operator to run with Kafka's own tool.
std::vector<std::string> kafka_acls_commands(const Plan& plan, const std::string& bootstrap,
                                             const std::string& command_config);
/// Whether the report names a difference apply does not make (KM606, KM807): after apply the
/// cluster has then not converged on the topology.
bool leaves_differences(const diff::DiffReport& report);
std::string render_apply_json(const ApplyResult& result, const diff::DiffReport& report);

}  // namespace km::admin
