#!/usr/bin/env bash
# Builds the libFuzzer target with clang (ASan + UBSan) and fuzzes the whole compile for a
# bounded time, seeded from examples/, golden/ and tests/hostile/.
#   bash tests/fuzz/run.sh [SECONDS]     default 60; findings are left in build-fuzz/findings/
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
command -v clang++ >/dev/null 2>&1 || bash tests/install-deps.sh --fuzz
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DKAFKAMESH_FUZZ=ON -DBUILD_TESTING=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz -j2 --target kafkamesh_fuzz

corpus=build-fuzz/corpus
mkdir -p "$corpus" build-fuzz/findings
find examples golden tests/hostile -name '*.yaml' -size -64k -exec cp -t "$corpus" {} + 2>/dev/null || true
# detect_leaks: a leak is a finding too; -timeout: a hang is one after 10 s on one input.
ASAN_OPTIONS=detect_leaks=1 build-fuzz/tests/fuzz/kafkamesh_fuzz "$corpus" \
  -dict=tests/fuzz/yaml.dict -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix=build-fuzz/findings/ \
  2>&1 | tail -n 25
