#!/usr/bin/env bash
# Usage: check-manifests.sh KAFKAMESH_BINARY SOURCE_DIR
# Compiles every example (a directory under examples/, or a top-level examples/*.yaml) and
# validates the emitted manifests, and every manifest the golden cases expect (golden/compile/*/
# stdout of successful cases and their out/ trees), against the upstream schemas with validate.mjs.
# The Bitnami chart's values are not Kubernetes documents: `--only helm-values` output and helm/
# folders are left to check-bitnami-values.sh. `--print-prune-allowlist` prints kubectl flags.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/examples.sh"
kafkamesh=$1
source_dir=$(cd "$2" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

shopt -s nullglob
compile_examples "$kafkamesh" "$source_dir" "$out"
if [ "$compiled" -eq 0 ]; then
  echo "check-manifests: no examples under $source_dir/examples" >&2
  exit 2
fi
golden=()
for case_dir in "$source_dir"/golden/compile/*/; do
  [ -f "$case_dir/exit" ] && continue
  grep -q -- '--only helm-values' "$case_dir/cmd" && continue
  grep -q -- '--print-prune-allowlist' "$case_dir/cmd" && continue
  [ -s "$case_dir/stdout" ] && golden+=("$case_dir/stdout")
  [ -d "$case_dir/out" ] && golden+=("$case_dir/out")
done
cd "$out"
node "$source_dir/tests/conformance/validate.mjs" ./*.yaml "${golden[@]}"
