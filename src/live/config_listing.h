// Reads the text of `kafka-configs.sh --describe --entity-type users`: user quotas and SCRAM
// credentials. Emits KM701 and KM703.
#pragma once

#include "live/live_state.h"
#include "live/text_lines.h"

namespace km::live {

void read_configs_text(const LineReader& r, LiveState& state);

}  // namespace km::live
