#!/usr/bin/env bash
# Usage: check-manifests.sh KAFKAMESH_BINARY SOURCE_DIR
# Compiles every example (a directory under examples/, or a top-level examples/*.yaml) and
# validates the emitted manifests, and every manifest the golden cases expect (golden/compile/*/
# stdout of successful cases and their out/ trees), against the upstream schemas with validate.mjs.
# The Bitnami chart's values are not Kubernetes documents: `--only helm-values` output and helm/
# folders are left to check-bitnami-values.sh.
set -euo pipefail
kafkamesh=$1
source_dir=$(cd "$2" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

shopt -s nullglob
examples=("$source_dir"/examples/*/ "$source_dir"/examples/*.yaml)
if [ ${#examples[@]} -eq 0 ]; then
  echo "check-manifests: no examples under $source_dir/examples" >&2
  exit 2
fi
for example in "${examples[@]}"; do
  name=$(basename "$example" .yaml)
  [ "$name" = ci ] && continue  # CI and GitOps files, not a topology
  if ! "$kafkamesh" compile "$example" > "$out/$name.yaml"; then
    echo "check-manifests: kafkamesh compile examples/$name failed" >&2
    exit 1
  fi
done
golden=()
for case_dir in "$source_dir"/golden/compile/*/; do
  [ -f "$case_dir/exit" ] && continue
  grep -q -- '--only helm-values' "$case_dir/cmd" && continue
  [ -s "$case_dir/stdout" ] && golden+=("$case_dir/stdout")
  [ -d "$case_dir/out" ] && golden+=("$case_dir/out")
done
cd "$out"
node "$source_dir/tests/conformance/validate.mjs" ./*.yaml "${golden[@]}"
