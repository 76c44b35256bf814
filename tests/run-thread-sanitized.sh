#!/usr/bin/env bash
# Builds kafkamesh with ThreadSanitizer and runs what works on several threads (the files of a
# topology, parsed a file per core; the checks and the access graph, two halves each; the
# emission jobs: compile, compile -o) on every example (multi-team is a directory of files) and
# on a generated topology with more emission jobs than threads; diff, which builds its two
# sides on two cores; access, whose matrix is made in two halves; and drift, which reads the
# live files on a thread of its own while the topology compiles, against that topology's output
# as kubectl's YAML and JSON. A data race aborts the command with a report. Called by
# run-all.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
# Batched like the sanitizer build (tests/configure-sanitized.sh says why).
cmake -S . -B build-tsan -DKAFKAMESH_SANITIZE_THREAD=ON -DKAFKAMESH_WERROR=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_UNITY_BUILD=ON >/dev/null
cmake --build build-tsan -j2 --target kafkamesh kafkamesh_generate_topology kafkamesh_yaml_load
export TSAN_OPTIONS=halt_on_error=1:abort_on_error=1
kafkamesh=build-tsan/kafkamesh
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# 3,000 services: three slices of KafkaUsers and six of KafkaTopics besides the mesh and cluster jobs.
build-tsan/tests/kafkamesh_generate_topology 3000 --realistic >"$scratch/large.yaml"
build-tsan/tests/kafkamesh_generate_topology 3000 --realistic --change-percent 1 >"$scratch/changed.yaml"
count=0
for input in examples/*/topology.yaml examples/multi-team "$scratch/large.yaml"; do
  count=$((count + 1))
  "$kafkamesh" compile "$input" >/dev/null
  "$kafkamesh" compile "$input" -o "$scratch/out-$count" >/dev/null
done
"$kafkamesh" diff "$scratch/large.yaml" "$scratch/changed.yaml" >/dev/null
"$kafkamesh" access "$scratch/large.yaml" >/dev/null
"$kafkamesh" compile "$scratch/large.yaml" >"$scratch/live.yaml"
build-tsan/tests/kafkamesh_yaml_load --kubectl-json "$scratch/live.yaml" >"$scratch/live.json"
"$kafkamesh" drift "$scratch/large.yaml" --live "$scratch/live.yaml" >/dev/null
"$kafkamesh" drift "$scratch/large.yaml" --live "$scratch/live.json" >/dev/null
echo "thread sanitizer: ok ($count inputs compiled, to stdout and -o, one diff, one access" \
  "matrix, two drifts)"
