#!/usr/bin/env bash
# Usage: prune.sh KAFKAMESH SOURCE_DIR BIN_DIR STATE_DIR
# The removal guide's kubectl path on the real server (README "Applying, and removing what the topology stops declaring"): the
# output of removal/base.yaml is applied with the documented command
#   kafkamesh compile T | kubectl apply --prune -l kafkamesh.io/topology=<name> \
#     $(kafkamesh compile T --print-prune-allowlist) -f -
# then objects kafkamesh does not own are added beside it, then the output of removal/head.yaml
# (a service, a topic and a namespace removed) is applied with the same command. Afterwards:
#   - every document of head.yaml's output is in the cluster;
#   - every object of base.yaml's output that head.yaml's lacks, of a kind on the allowlist, in a
#     namespace the second apply visits, is gone (what the topology stopped granting);
#   - every such object of a protected kind (Namespace, KafkaTopic, Kafka, KafkaNodePool) is
#     still there (data-bearing objects are never pruned);
#   - the objects kafkamesh does not own are unchanged (same resourceVersion).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/common.sh"
kafkamesh=$1
server_env "$3" "$4"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL $*" >&2; failures=$((failures + 1)); }

# "Kind namespace/name" of every document, as the listing below prints objects.
keys_of() {
  awk '/^---/ { if (kind != "") print kind " " ns "/" name; kind = ns = name = "" }
       /^kind: / { kind = $2 } /^metadata:/ { meta = 1; next } /^[^ ]/ { meta = 0 }
       meta && /^  name: / { name = $2 } meta && /^  namespace: / { ns = $2 }
       END { if (kind != "") print kind " " ns "/" name }' "$1" | tr -d '"' | sort -u
}

# The documented apply of topology $1; its output is kept in $work/$2.yaml.
apply_documented() {
  local topology=$1 label=$2
  "$kafkamesh" compile "$topology" > "$work/$label.yaml" || { fail "compile $topology"; return 1; }
  "$kafkamesh" compile "$topology" --print-prune-allowlist > "$work/$label.allowlist" \
    || { fail "compile $topology --print-prune-allowlist"; return 1; }
  # shellcheck disable=SC2046 # the allowlist is one flag per word, as the README's $(...) passes it
  if ! "$kafkamesh" compile "$topology" | "$kubectl" apply --prune -l kafkamesh.io/topology=shop \
      $(cat "$work/$label.allowlist") -f - > "$work/$label.out" 2> "$work/$label.err"; then
    fail "the documented apply of $label was refused:"
    sed 's/^/  /' "$work/$label.err" >&2
    return 1
  fi
  grep ' pruned$' "$work/$label.out" | sed "s/^/$label: /" || true
}

# Every object of the kinds the outputs hold, in the same "Kind namespace/name" form.
list_cluster() {
  local kinds
  kinds=$(cat "$work"/base.yaml "$work"/head.yaml 2>/dev/null | awk '/^apiVersion: / { api = $2 }
    /^kind: / { g = api; sub(/\/?v[0-9a-z]+$/, "", g); print tolower($2) (g == "" ? "" : "." g) }' \
    | sort -u | paste -sd, -)
  "$kubectl" get "$kinds,configmap,secret" -A \
    -o 'jsonpath={range .items[*]}{.kind} {.metadata.namespace}/{.metadata.name} {.metadata.resourceVersion}{"\n"}{end}'
}

foreign='apiVersion: v1
kind: ConfigMap
metadata: {name: shop-settings, namespace: shop}
data: {owner: shop team}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: hand-written, namespace: kafka}
spec:
  selector: {matchLabels: {app: debug}}
  action: ALLOW
  rules: [{from: [{source: {principals: [cluster.local/ns/shop/sa/debug]}}]}]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: other-topology
  namespace: kafka
  labels: {app.kubernetes.io/managed-by: kafkamesh, kafkamesh.io/topology: other}
spec:
  selector: {matchLabels: {app: other}}
  action: ALLOW
---
apiVersion: kafka.strimzi.io/v1
kind: KafkaUser
metadata:
  name: legacy-app
  namespace: kafka
  labels: {strimzi.io/cluster: events}
spec:
  authentication: {type: scram-sha-512}
'

apply_documented "$here/removal/base.yaml" base || exit 1
# Applied with kubectl apply too, so that they carry the last-applied annotation that prune
# looks for: only the label selector and the allowlist keep them.
printf '%s' "$foreign" | "$kubectl" apply -f - > /dev/null || { fail "foreign objects refused"; exit 1; }
list_cluster > "$work/before.txt"
apply_documented "$here/removal/head.yaml" head || exit 1
list_cluster > "$work/after.txt"

cut -d' ' -f1,2 "$work/after.txt" | sort -u > "$work/after.keys"
keys_of "$work/base.yaml" > "$work/base.keys"
keys_of "$work/head.yaml" > "$work/head.keys"
visited=" $(keys_of "$work/head.yaml" | sed -n 's|^[^ ]* \([^/][^/]*\)/.*|\1|p' | sort -u | tr '\n' ' ')"
allowed=" $(sed 's|.*/||' "$work/head.allowlist" | tr '\n' ' ')"
while read -r key; do
  grep -qxF "$key" "$work/after.keys" || fail "$key of the new output is not in the cluster"
done < "$work/head.keys"
pruned=0
while read -r key; do
  kind=${key%% *}
  ns=${key#* }
  ns=${ns%%/*}
  present=no
  grep -qxF "$key" "$work/after.keys" && present=yes
  case " Namespace KafkaTopic Kafka KafkaNodePool HelmRelease " in
    *" $kind "*)
      [ $present = yes ] || fail "$key is protected but was deleted"
      echo "kept (protected): $key"
      continue ;;
  esac
  if [[ "$allowed" == *" $kind "* ]] && [[ -n "$ns" && "$visited" == *" $ns "* ]]; then
    [ $present = no ] || fail "$key is no longer granted but is still in the cluster"
    [ $present = no ] && pruned=$((pruned + 1))
  else
    echo "kept (namespace not visited or kind not on the allowlist, as documented): $key"
  fi
done < <(comm -23 "$work/base.keys" "$work/head.keys")
[ "$pruned" -gt 0 ] || fail "nothing was pruned"
for key in "ConfigMap shop/shop-settings" "AuthorizationPolicy kafka/hand-written" \
    "AuthorizationPolicy kafka/other-topology" "KafkaUser kafka/legacy-app"; do
  before=$(grep -F "$key " "$work/before.txt")
  after=$(grep -F "$key " "$work/after.txt")
  [ -n "$before" ] && [ "$before" = "$after" ] \
    || fail "$key, not kafkamesh's, was changed or deleted (before: '$before', after: '$after')"
done

# Leave the server empty for the next test.
"$kubectl" delete --wait=false --ignore-not-found -f "$work/base.yaml" > /dev/null 2>&1
printf '%s' "$foreign" | "$kubectl" delete --wait=false --ignore-not-found -f - > /dev/null 2>&1
mapfile -t ns < <(namespaces_of "$work/base.yaml")
finalize_namespaces "${ns[@]}" || fail "cleanup"
echo "prune: $pruned objects pruned, $failures failures"
[ "$failures" -eq 0 ]
