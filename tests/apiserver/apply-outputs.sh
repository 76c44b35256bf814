#!/usr/bin/env bash
# Usage: apply-outputs.sh KAFKAMESH SOURCE_DIR BIN_DIR STATE_DIR
# Every output of every example (the stream, each environment's stream, the `-o DIR` layouts)
# and every golden compile case (its stdout, its out/ tree) goes to the real kube-apiserver
# running in STATE_DIR, each case into namespaces that do not exist yet:
#   1. the namespaces the documents name are created (a server-side dry run cannot see a
#      namespace that the same apply would create),
#   2. `kubectl apply --server-side --dry-run=server`, then the same apply for real, of the
#      stream with -f or of the directory with -k (the documented commands, which apply in the
#      documented order), and every document must be reported applied,
#   3. everything applied is deleted again, namespaces included.
# A document the server refuses fails the test with the server's message; every case runs, so
# one run shows every refusal. Outputs with `strimzi.api: v1beta2` run last, on Strimzi 0.51.0's
# CRDs (crds.sh), which are switched back to 1.2.0's afterwards.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/common.sh"
kafkamesh=$1
source_dir=$(cd "$2" && pwd)
server_env "$3" "$4"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cases=()   # "name<TAB>-f|-k<TAB>path"
add_case() { cases+=("$1"$'\t'"$2"$'\t'"$3"); }

collect_examples() {
  local example name env
  for example in "$source_dir"/examples/*/ "$source_dir"/examples/*.yaml; do
    [ -e "$example" ] || continue
    example=${example%/}
    name=$(basename "$example" .yaml)
    [ "$name" = ci ] && continue
    compile "examples/$name" "$work/$name.yaml" "$example" || continue
    add_case "examples/$name" -f "$work/$name.yaml"
    for env in $(environments_of "$example"); do
      compile "examples/$name --env $env" "$work/$name-$env.yaml" "$example" --env "$env" || continue
      add_case "examples/$name --env $env" -f "$work/$name-$env.yaml"
    done
    compile "examples/$name -o DIR" /dev/null "$example" -o "$work/$name-out" || continue
    add_case "examples/$name -o DIR" -k "$work/$name-out"
    compile "examples/$name -o DIR --layout by-namespace" /dev/null "$example" \
      -o "$work/$name-teams" --layout by-namespace || continue
    add_case "examples/$name -o DIR --layout by-namespace" -k "$work/$name-teams"
  done
}

compile_failures=0
compile() { # compile LABEL STDOUT TOPOLOGY OPTION...
  local label=$1 out=$2
  shift 2
  if ! "$kafkamesh" compile "$@" > "$out" 2> "$work/compile.err"; then
    echo "FAIL kafkamesh compile $label:" >&2
    cat "$work/compile.err" >&2
    compile_failures=$((compile_failures + 1))
    return 1
  fi
}

# The golden cases' expected output, as tests/conformance/check-manifests.sh picks it; their
# equality with kafkamesh's output is what the golden tests check.
collect_goldens() {
  local case_dir name
  for case_dir in "$source_dir"/golden/compile/*/; do
    name=golden/compile/$(basename "$case_dir")
    [ -f "$case_dir/exit" ] && continue
    grep -q -- '--only helm-values' "$case_dir/cmd" && continue
    grep -q -- '--print-prune-allowlist' "$case_dir/cmd" && continue
    grep -qs '^kind: ' "$case_dir/stdout" && add_case "$name" -f "$case_dir/stdout"
    [ -f "$case_dir/out/kustomization.yaml" ] && add_case "$name out/" -k "$case_dir/out"
  done
}

applied_total=0
refused=0
declare -A seen
run_case() { # run_case NAME -f|-k PATH
  local name=$1 mode=$2 path=$3 rendered=$work/rendered.yaml expected applied ns sum
  if [ "$mode" = -k ]; then
    "$kubectl" kustomize "$path" > "$rendered" || { refused=$((refused + 1)); return; }
  else
    cp "$path" "$rendered"
  fi
  # The same documents as an earlier case (a golden case of an example) are applied once.
  sum=$(sha256sum < "$rendered")
  if [ -n "${seen[$sum]:-}" ]; then
    echo "ok $name: the documents of ${seen[$sum]}"
    return
  fi
  seen[$sum]=$name
  mapfile -t ns < <(namespaces_of "$rendered")
  create_namespaces "${ns[@]}"
  expected=$(grep -c '^kind: ' "$rendered")
  if ! "$kubectl" apply --server-side --dry-run=server "$mode" "$path" > "$work/out" 2> "$work/err"; then
    echo "REFUSED (server dry run) $name:" >&2
    sed 's/^/  /' "$work/err" >&2
    refused=$((refused + 1))
  elif ! "$kubectl" apply --server-side "$mode" "$path" > "$work/out" 2> "$work/err"; then
    echo "REFUSED $name:" >&2
    sed 's/^/  /' "$work/err" >&2
    refused=$((refused + 1))
  else
    applied=$(grep -c ' serverside-applied$' "$work/out")
    if [ "$applied" -ne "$expected" ]; then
      echo "FAIL $name: $expected documents, $applied applied:" >&2
      sed 's/^/  /' "$work/out" >&2
      refused=$((refused + 1))
    fi
    applied_total=$((applied_total + applied))
    echo "ok $name: $applied documents"
  fi
  "$kubectl" delete --wait=false --ignore-not-found -f "$rendered" > /dev/null 2>&1
  finalize_namespaces "${ns[@]}" || refused=$((refused + 1))
}

collect_examples
collect_goldens
later=()
for c in "${cases[@]}"; do
  IFS=$'\t' read -r name mode path <<< "$c"
  if grep -rqs '^apiVersion: kafka.strimzi.io/v1beta2' "$path"; then
    later+=("$c")
    continue
  fi
  run_case "$name" "$mode" "$path"
done
if [ ${#later[@]} -gt 0 ]; then
  bash "$here/crds.sh" "$kubectl" v1beta2
  for c in "${later[@]}"; do
    IFS=$'\t' read -r name mode path <<< "$c"
    run_case "$name (Strimzi 0.51.0 CRDs)" "$mode" "$path"
  done
  bash "$here/crds.sh" "$kubectl" v1
fi
echo "apiserver: ${#cases[@]} outputs, $applied_total documents applied, $refused refused, $compile_failures compile failures"
[ "$refused" -eq 0 ] && [ "$compile_failures" -eq 0 ] && [ ${#cases[@]} -gt 0 ]
