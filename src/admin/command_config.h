// --command-config: a Java properties file as Kafka's own tools take it (kafka-acls.sh,
// kafka-topics.sh), turned into librdkafka settings. librdkafka's own names pass through; the
// Java names with a safe librdkafka equivalent are translated; the rest are refused by name.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diag/diagnostic_sink.h"

namespace km::admin {

/// One entry: the key's position is where diagnostics point (never at the value, which may be a
/// password).
struct Setting {
    std::string key;
    std::string value;
    diag::Location location;
};

/// The entries of a properties file (java.util.Properties#load: `key=value`, `key: value` or
/// `key value`, # and ! comments, backslash escapes and line continuations), in file order, a
/// later entry replacing an earlier one. A malformed escape is KM803.
std::vector<Setting> read_properties(std::string_view text, std::uint32_t file,
                                     diag::DiagnosticSink& sink);

/// The same text with every value replaced by '*', for the source lines diagnostics quote.
std::string masked_properties(std::string_view text);

struct ClientSettings {
    std::vector<Setting> settings;  ///< librdkafka's names, in a fixed order
    /// sasl.oauthbearer.token.endpoint.url=file:...: the token file a refresh callback reads.
    std::string token_file;
    diag::Location token_location;
    diag::Location scram_location;  ///< where a SCRAM sasl.mechanism was set, if it was
    bool scram = false;
};

/// Translates Java settings to librdkafka's (KM804 for a key that cannot be; KM805 when SCRAM
/// is asked of a librdkafka older than 2.6.1, `librdkafka_version` as rd_kafka_version() gives
/// it). Nothing is returned when an error was reported.
std::optional<ClientSettings> translate_settings(const std::vector<Setting>& java,
                                                 int librdkafka_version,
                                                 diag::DiagnosticSink& sink);

}  // namespace km::admin
