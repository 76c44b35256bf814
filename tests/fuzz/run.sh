#!/usr/bin/env bash
# Builds the libFuzzer target with clang (ASan + UBSan) and fuzzes the whole compile for a
# bounded time, seeded from examples/, golden/ and tests/hostile/.
#   bash tests/fuzz/run.sh [SECONDS]     default 60; findings are left in build-sanitize/findings/
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
# The build of the sanitizer suite (tests/run-sanitized.sh): after it, only the fuzzer links.
bash tests/configure-sanitized.sh >/dev/null
cmake --build build-sanitize -j2 --target kafkamesh_fuzz

corpus=build-sanitize/fuzz-corpus
mkdir -p "$corpus" build-sanitize/findings
find examples golden tests/hostile -name '*.yaml' -size -64k -exec cp -t "$corpus" {} + 2>/dev/null || true
# detect_leaks: a leak is a finding too; -timeout: a hang is one after 10 s on one input.
ASAN_OPTIONS=detect_leaks=1 build-sanitize/tests/fuzz/kafkamesh_fuzz "$corpus" \
  -dict=tests/fuzz/yaml.dict -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix=build-sanitize/findings/ \
  2>&1 | tail -n 25
