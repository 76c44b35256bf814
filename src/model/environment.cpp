#include "model/environment.h"

#include <algorithm>
#include <string>

#include "model/derived.h"

namespace km::model {
namespace {

void set_int(ConfigEntry& entry, int value) {
    entry.value.text = std::to_string(value);
    entry.value.type = ConfigValue::Type::integer;
}

/// Lowers the min.insync.replicas of `config`, if written, for replicas going from `before` to
/// `after`.
void lower_min_isr(std::vector<ConfigEntry>& config, int before, int after) {
    std::optional<int> min_isr = config_int(config, "min.insync.replicas");
    if (!min_isr || after >= before) {
        return;
    }
    int lowered = lowered_min_insync_replicas(*min_isr, before, after);
    if (lowered != *min_isr) {
        for (ConfigEntry& e : config) {
            if (e.key.value == "min.insync.replicas") {
                set_int(e, lowered);
            }
        }
    }
}

/// The replication factor Kafka gives a topic created without one (default.replication.factor,
/// written or derived from the node count).
int default_factor(const Kafka& k) {
    if (auto v = config_int(k.config, "default.replication.factor")) {
        return *v;
    }
    return default_replication_factor(k.nodes);
}

}  // namespace

int lowered_min_insync_replicas(int min_isr, int before, int after) {
    if (min_isr >= before) {
        return std::min(min_isr, after);
    }
    return std::min(min_isr, std::max(1, after - 1));
}

void apply_environment(Topology& t, Environment environment) {
    // Topics without their own replicas follow the cluster default as written, before the
    // environment changes the node count or the default itself.
    int written_default = t.kafka ? default_factor(*t.kafka) : 0;
    if (environment.mesh) {
        t.mesh = std::move(*environment.mesh);
        t.has_mesh = true;
    }
    if (environment.kafka) {
        t.kafka = std::move(*environment.kafka);
    }
    const TopicLimits& limits = environment.topic_limits;
    if (limits.replicas && t.kafka) {
        int cap = *limits.replicas;
        int env_default = default_factor(*t.kafka);
        for (ConfigEntry& e : t.kafka->config) {
            if (e.key.value == "default.replication.factor") {
                if (auto v = config_int(t.kafka->config, e.key.value); v && *v > cap) {
                    set_int(e, cap);
                }
            }
        }
        lower_min_isr(t.kafka->config, env_default, std::min(env_default, cap));
        int capped_default = std::min(env_default, cap);
        for (Topic& topic : t.topics) {
            if (topic.replicas) {
                int before = *topic.replicas;
                topic.replicas = std::min(before, cap);
                lower_min_isr(topic.config, before, *topic.replicas);
            } else {
                lower_min_isr(topic.config, written_default, capped_default);
            }
        }
    }
    if (limits.partitions) {
        int cap = *limits.partitions;
        for (Topic& topic : t.topics) {
            if (topic.partitions && *topic.partitions > cap) {
                topic.partitions = cap;
            }
        }
        if (t.kafka) {
            for (ConfigEntry& e : t.kafka->config) {
                if (e.key.value == "num.partitions") {
                    if (auto v = config_int(t.kafka->config, e.key.value); v && *v > cap) {
                        set_int(e, cap);
                    }
                }
            }
        }
    }
}

}  // namespace km::model
