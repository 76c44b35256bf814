// Topic and broker config entries against Kafka's own config names and types
// (kafka_configs.def): a misspelt key is an error with a did-you-mean, a value is checked by the
// type Kafka parses it as, and a topic's min.insync.replicas against its own replicas.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <limits>

#include "check/checks.h"
#include "parse/value_formats.h"
#include "util/strings.h"

namespace km::check {
namespace {

enum class ConfigType : std::uint8_t {
    k_boolean,
    k_string,
    k_int,
    k_short,
    k_long,
    k_double,
    k_list,
    k_class,
    k_password
};

struct KnownConfig {
    KafkaConfigScope scope;
    std::string_view name;
    ConfigType type;
    std::string_view at_least;
    std::string_view at_most;
    std::string_view allowed;  ///< comma-separated; empty: any value of the type
};

constexpr KnownConfig k_known[] = {
#define KAFKA_CONFIG(scope, name, type, at_least, at_most, allowed) \
    {KafkaConfigScope::scope, name, ConfigType::k_##type, at_least, at_most, allowed},
#include "check/kafka_configs.def"
#undef KAFKA_CONFIG
};

const KnownConfig* find_known(KafkaConfigScope scope, std::string_view name) {
    for (const KnownConfig& k : k_known) {
        if (k.scope == scope && k.name == name) {
            return &k;
        }
    }
    return nullptr;
}

std::string_view type_text(ConfigType t) {
    switch (t) {
        case ConfigType::k_boolean:
            return "a boolean (true or false)";
        case ConfigType::k_int:
            return "an int";
        case ConfigType::k_short:
            return "a short";
        case ConfigType::k_long:
            return "a long";
        case ConfigType::k_double:
            return "a number";
        case ConfigType::k_list:
            return "a comma-separated list";
        default:
            return "a string";
    }
}

/// A whole number as Kafka's ConfigDef parses one; false when the text is not one.
bool whole(std::string_view text, std::int64_t& value) {
    if (!text.empty() && text.front() == '+') {
        text.remove_prefix(1);
    }
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size();
}

std::optional<double> number(std::string_view text) {
    std::string copy(text);
    char* end = nullptr;
    double value = std::strtod(copy.c_str(), &end);
    if (copy.empty() || end != copy.c_str() + copy.size()) {
        return std::nullopt;
    }
    return value;
}

std::vector<std::string_view> split_list(std::string_view text) {
    std::vector<std::string_view> out;
    while (true) {
        std::size_t comma = text.find(',');
        std::string_view item = text.substr(0, comma);
        while (!item.empty() && item.front() == ' ') {
            item.remove_prefix(1);
        }
        while (!item.empty() && item.back() == ' ') {
            item.remove_suffix(1);
        }
        out.push_back(item);
        if (comma == std::string_view::npos) {
            return out;
        }
        text.remove_prefix(comma + 1);
    }
}

/// Why Kafka would refuse the value, or nothing when it parses and validates.
std::optional<std::string> value_problem(const KnownConfig& k, const model::ConfigValue& v) {
    const std::string& text = v.text;
    switch (k.type) {
        case ConfigType::k_boolean: {
            // ConfigDef parses a string "true"/"false" ignoring case.
            std::string lower = text;
            std::transform(lower.begin(), lower.end(), lower.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            if (lower != "true" && lower != "false") {
                return fmt::format("'{}' is not {}", text, type_text(k.type));
            }
            return std::nullopt;
        }
        case ConfigType::k_int:
        case ConfigType::k_short:
        case ConfigType::k_long: {
            std::int64_t n = 0;
            bool parsed = v.type != model::ConfigValue::Type::boolean && whole(text, n);
            std::int64_t low =
                k.type == ConfigType::k_long  ? std::numeric_limits<std::int64_t>::min()
                : k.type == ConfigType::k_int ? std::numeric_limits<std::int32_t>::min()
                                              : std::numeric_limits<std::int16_t>::min();
            std::int64_t high =
                k.type == ConfigType::k_long  ? std::numeric_limits<std::int64_t>::max()
                : k.type == ConfigType::k_int ? std::numeric_limits<std::int32_t>::max()
                                              : std::numeric_limits<std::int16_t>::max();
            if (!parsed || n < low || n > high) {
                return fmt::format("'{}' is not {}", text, type_text(k.type));
            }
            std::int64_t bound = 0;
            if (whole(k.at_least, bound) && n < bound) {
                return fmt::format("{} is below the minimum of {}", text, bound);
            }
            if (whole(k.at_most, bound) && n > bound) {
                return fmt::format("{} is above the maximum of {}", text, bound);
            }
            return std::nullopt;
        }
        case ConfigType::k_double: {
            std::optional<double> n =
                v.type == model::ConfigValue::Type::boolean ? std::nullopt : number(text);
            if (!n) {
                return fmt::format("'{}' is not {}", text, type_text(k.type));
            }
            if (auto min = number(k.at_least); min && *n < *min) {
                return fmt::format("{} is below the minimum of {}", text, k.at_least);
            }
            if (auto max = number(k.at_most); max && *n > *max) {
                return fmt::format("{} is above the maximum of {}", text, k.at_most);
            }
            return std::nullopt;
        }
        case ConfigType::k_list:
        case ConfigType::k_string: {
            if (k.allowed.empty()) {
                return std::nullopt;
            }
            std::vector<std::string_view> allowed = split_list(k.allowed);
            std::vector<std::string_view> items = k.type == ConfigType::k_list
                                                      ? split_list(text)
                                                      : std::vector<std::string_view>{text};
            for (std::string_view item : items) {
                if (std::find(allowed.begin(), allowed.end(), item) == allowed.end()) {
                    return fmt::format(
                        "'{}' is not one of {}", item,
                        util::join(std::vector<std::string>(allowed.begin(), allowed.end()), ", "));
                }
            }
            return std::nullopt;
        }
        default:
            return std::nullopt;
    }
}

}  // namespace

bool check_kafka_config_entry(KafkaConfigScope scope, const model::ConfigEntry& e,
                              diag::DiagnosticSink& sink) {
    if (!is_config_key(e.key.value) || !is_config_value(e.value.text)) {
        return false;  // KM533: not a config Kafka could read at all
    }
    std::string_view where_text = scope == KafkaConfigScope::topic ? "topic" : "broker";
    const KnownConfig* known = find_known(scope, e.key.value);
    if (!known) {
        std::vector<std::string_view> names;
        for (const KnownConfig& k : k_known) {
            if (k.scope == scope) {
                names.push_back(k.name);
            }
        }
        if (auto match = util::closest_match(e.key.value, names)) {
            auto& d =
                sink.report(diag::Code::KM325, e.key.location,
                            fmt::format("'{}' is not a Kafka {} config", e.key.value, where_text));
            diag::add_help(d, fmt::format("did you mean '{}'?", *match));
        } else {
            auto& d = sink.report(
                diag::Code::KM326, e.key.location,
                fmt::format("'{}' is not a {} config that Kafka defines", e.key.value, where_text));
            diag::add_help(d, scope == KafkaConfigScope::topic
                                  ? "Kafka refuses a topic config it does not know; check the "
                                    "name against the topic configs of the Kafka documentation"
                                  : "Kafka ignores a broker config it does not know, unless a "
                                    "plugin reads it; check the name");
        }
        return false;
    }
    if (auto problem = value_problem(*known, e.value)) {
        auto& d = sink.report(diag::Code::KM327, e.value.location,
                              fmt::format("{} config '{}': {}", where_text, known->name, *problem));
        std::string_view name = known->name;
        if (util::ends_with(name, ".ms") && e.value.type == model::ConfigValue::Type::string) {
            diag::add_help(d, fmt::format("'{}' is a whole number of milliseconds, for example "
                                          "604800000 for 7 days",
                                          name));
        } else if (util::ends_with(name, ".bytes") &&
                   e.value.type == model::ConfigValue::Type::string) {
            diag::add_help(d, fmt::format("'{}' is a whole number of bytes, for example "
                                          "1073741824 for 1 GiB",
                                          name));
        } else if (problem->find(" is not ") != std::string::npos) {
            diag::add_help(d, fmt::format("Kafka reads '{}' as {}", name, type_text(known->type)));
        }
        return false;
    }
    return true;
}

void check_topic_configs(const model::Topology& t, diag::DiagnosticSink& sink) {
    for (const model::Topic& topic : t.topics) {
        for (const model::ConfigEntry& e : topic.config) {
            if (!check_kafka_config_entry(KafkaConfigScope::topic, e, sink)) {
                continue;
            }
            // min.insync.replicas above the topic's own replication factor: every acks=all
            // write fails with NotEnoughReplicas (Kafka's TopicConfig MIN_IN_SYNC_REPLICAS_DOC).
            if (e.key.value == "min.insync.replicas" && topic.replicas) {
                std::int64_t min_isr = 0;
                if (whole(e.value.text, min_isr) && min_isr > *topic.replicas) {
                    auto& d = sink.report(
                        diag::Code::KM328, e.value.location,
                        fmt::format("topic '{}' sets min.insync.replicas {}, more than its {} "
                                    "replica{}",
                                    topic.name.value, min_isr, *topic.replicas,
                                    *topic.replicas == 1 ? "" : "s"));
                    diag::add_note(d, topic.replicas_location, "the replicas are set here");
                    diag::add_help(d,
                                   "producers with acks=all could never write; lower it to at "
                                   "most the replicas, usually replicas - 1");
                }
            }
        }
    }
}

}  // namespace km::check
