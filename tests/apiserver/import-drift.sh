#!/usr/bin/env bash
# Usage: import-drift.sh KAFKAMESH SOURCE_DIR BIN_DIR STATE_DIR
# Adoption on the real server (README "Adopting a running platform"), for every example and every
# environment of it: its output is applied (server-side), then exported with the README's
# commands,
#   kubectl get kafka,kafkanodepools,kafkausers,kafkatopics -n <kafka namespace> -o json
#   kubectl get authorizationpolicies,peerauthentications -A -o json
# (and the same with -o yaml: both formats import to the same topology)
# so kafkamesh reads what the server returns (managedFields, uid, resourceVersion, defaults).
# `kafkamesh import` of the export must succeed, and `kafkamesh drift` of the topology against
# the export must be empty (exit 0).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/common.sh"
kafkamesh=$1
source_dir=$(cd "$2" && pwd)
server_env "$3" "$4"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
checked=0
fail() { echo "FAIL $*" >&2; failures=$((failures + 1)); }

round_trip() { # round_trip LABEL TOPOLOGY [--env ENV]
  local label=$1 topology=$2 kafka_ns ns
  shift 2
  if ! "$kafkamesh" compile "$topology" "$@" > "$work/out.yaml" 2> "$work/err"; then
    fail "$label: compile:"; cat "$work/err" >&2; return
  fi
  mapfile -t ns < <(namespaces_of "$work/out.yaml")
  create_namespaces "${ns[@]}"
  if ! "$kubectl" apply --server-side -f "$work/out.yaml" > /dev/null 2> "$work/err"; then
    fail "$label: apply refused:"; sed 's/^/  /' "$work/err" >&2
  else
    kafka_ns=$(awk '/^kind: KafkaUser/ { u = 1 } u && /^  namespace: / { print $2; exit }' \
      "$work/out.yaml")
    [ -n "$kafka_ns" ] || kafka_ns=kafka
    "$kubectl" get kafka,kafkanodepools,kafkausers,kafkatopics -n "$kafka_ns" -o yaml \
      > "$work/live.yaml"
    "$kubectl" get authorizationpolicies,peerauthentications -A -o yaml > "$work/mesh.yaml"
    # The same objects as kubectl writes JSON (the README's form), read by the JSON reader.
    "$kubectl" get kafka,kafkanodepools,kafkausers,kafkatopics -n "$kafka_ns" -o json \
      > "$work/live.json"
    "$kubectl" get authorizationpolicies,peerauthentications -A -o json > "$work/mesh.json"
    if ! "$kafkamesh" import "$work/live.yaml" "$work/mesh.yaml" > "$work/imported.yaml" \
        2> "$work/err"; then
      fail "$label: kafkamesh import of the server's objects:"; cat "$work/err" >&2
    elif ! "$kafkamesh" import "$work/live.json" "$work/mesh.json" > "$work/imported-json.yaml" \
        2> "$work/err"; then
      fail "$label: kafkamesh import of the server's objects as JSON:"; cat "$work/err" >&2
    elif ! cmp -s "$work/imported.yaml" "$work/imported-json.yaml"; then
      fail "$label: import of kubectl's JSON differs from import of its YAML:"
      diff "$work/imported.yaml" "$work/imported-json.yaml" >&2
    fi
    for format in yaml json; do
      if ! "$kafkamesh" drift "$topology" "$@" --live "$work/live.$format" "$work/mesh.$format" \
          > "$work/drift.txt" 2>&1; then
        fail "$label: kafkamesh drift against the server's objects ($format) is not empty:"
        cat "$work/drift.txt" >&2
      else
        echo "ok $label: import read the server's objects, drift is empty ($format)"
      fi
    done
    checked=$((checked + 1))
  fi
  "$kubectl" delete --wait=false --ignore-not-found -f "$work/out.yaml" > /dev/null 2>&1
  finalize_namespaces "${ns[@]}" || fail "$label: cleanup"
}

for example in "$source_dir"/examples/*/ "$source_dir"/examples/*.yaml; do
  [ -e "$example" ] || continue
  example=${example%/}
  name=$(basename "$example" .yaml)
  [ "$name" = ci ] && continue
  round_trip "examples/$name" "$example"
  for env in $(environments_of "$example"); do
    round_trip "examples/$name --env $env" "$example" --env "$env"
  done
done
echo "import-drift: $checked outputs round-tripped, $failures failures"
[ "$failures" -eq 0 ] && [ "$checked" -gt 0 ]
