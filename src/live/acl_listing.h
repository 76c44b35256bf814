// Reads the text of `kafka-acls.sh --list` (Kafka 3.x and 4.x). Emits KM701, KM703 and KM704.
#pragma once

#include "live/live_state.h"
#include "live/text_lines.h"

namespace km::live {

void read_acl_text(const LineReader& r, LiveState& state);

}  // namespace km::live
