#!/usr/bin/env bash
# Usage: check-bitnami-values.sh KAFKAMESH_BINARY SOURCE_DIR
# Every Bitnami values document kafkamesh emits must use only key paths of the chart's own
# values.yaml (schema/bitnami-kafka-32.values-keys.txt): the values of each example with
# distribution bitnami (as a file and inside a Flux HelmRelease) and of every successful golden
# compile case (helm/values.yaml, --only helm-values output, HelmRelease documents).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/examples.sh"
kafkamesh=$1
source_dir=$(cd "$2" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

shopt -s nullglob
mkdir "$out/values" "$out/flux"
compile_examples "$kafkamesh" "$source_dir" "$out/values" --containing 'distribution: bitnami' \
  --only helm-values
compile_examples "$kafkamesh" "$source_dir" "$out/flux" --containing 'distribution: bitnami' \
  --helm-release flux
if [ "$compiled" -eq 0 ]; then
  echo "check-bitnami-values: no example with distribution bitnami" >&2
  exit 1
fi
targets=("$out")
for case_dir in "$source_dir"/golden/compile/*/; do
  [ -f "$case_dir/exit" ] && continue
  [ -s "$case_dir/stdout" ] && targets+=("$case_dir/stdout")
  [ -d "$case_dir/out" ] && targets+=("$case_dir/out")
done
node "$source_dir/tests/conformance/check-values-keys.mjs" \
  "$source_dir/schema/bitnami-kafka-32.values-keys.txt" "${targets[@]}"
