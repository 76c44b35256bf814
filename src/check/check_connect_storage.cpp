// Connect storage topics the topology declares itself, against what Kafka Connect accepts at
// start: the config topic has exactly one partition (connect/runtime KafkaConfigBackingStore),
// and all three are compact only (TopicAdmin.verifyTopicCleanupPolicyOnlyCompact). The ones
// kafkamesh declares for a service are made that way (model::add_implicit_declarations).
#include <fmt/format.h>

#include "check/checks.h"
#include "model/derived.h"

namespace km::check {
namespace {

void check_storage_topic(const model::Topology& t, const model::Service& s,
                         const model::Topic& topic, bool configs, diag::DiagnosticSink& sink) {
    const model::Kafka& k = *t.kafka;
    if (configs) {
        int partitions = topic.partitions
                             ? *topic.partitions
                             : model::config_int(k.config, "num.partitions").value_or(1);
        if (partitions != 1) {
            auto& d = sink.report(
                diag::Code::KM345,
                topic.partitions_location.known() ? topic.partitions_location : topic.location,
                fmt::format("Connect config topic '{}' of service '{}' has {} partitions",
                            topic.name.value, s.name.value, partitions));
            diag::add_help(d,
                           "Kafka Connect refuses to start unless its config topic has "
                           "exactly one partition; set 'partitions: 1'");
        }
    }
    const model::ConfigEntry* policy = model::find_config(topic.config, "cleanup.policy");
    const model::ConfigEntry* broker_policy = model::find_config(k.config, "log.cleanup.policy");
    std::string value = policy          ? policy->value.text
                        : broker_policy ? broker_policy->value.text
                                        : std::string("delete");
    if (value != "compact") {
        auto& d = sink.report(
            diag::Code::KM345, policy ? policy->value.location : topic.location,
            fmt::format("Connect storage topic '{}' of service '{}' has cleanup.policy '{}'",
                        topic.name.value, s.name.value, value));
        diag::add_help(d,
                       "Kafka Connect refuses to start unless its storage topics are compact "
                       "only; set 'cleanup.policy: compact'");
    }
}

}  // namespace

void check_connect_storage(const model::Topology& t, diag::DiagnosticSink& sink) {
    if (!t.kafka) {
        return;
    }
    for (const model::Service& s : t.services) {
        if (s.kind != model::ServiceKind::connect) {
            continue;
        }
        model::StorageTopics storage = model::connect_storage_topics(s);
        for (const model::Topic& topic : t.topics) {
            if (topic.implicit || topic.external) {
                continue;
            }
            const std::string& name = topic.name.value;
            if (name == storage.configs || name == storage.offsets || name == storage.status) {
                check_storage_topic(t, s, topic, name == storage.configs, sink);
            }
        }
    }
}

}  // namespace km::check
