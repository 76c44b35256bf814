# Sourced by the server tests: the cluster they talk to and the helpers they share.
#   server_env BIN_DIR STATE_DIR   sets kubectl, KUBECONFIG and kubectl's discovery cache
#   namespaces_of FILE             the namespaces the documents of FILE name or create, sorted
#   create_namespaces NS...        creates those that do not exist
#   environments_of TOPOLOGY       the names under the top-level `environments:` of its files
#   finalize_namespaces NS...      deletes them and, as no namespace controller runs here,
#                                  empties their finalizers so that the server removes them

server_env() {
  kubectl=$1/kubectl
  export KUBECONFIG=$2/kubeconfig
  export KUBECACHEDIR=$2/kube-cache
  if [ ! -f "$KUBECONFIG" ]; then
    echo "$(basename "$0" .sh): no server running in $2 (server.sh start)" >&2
    exit 1
  fi
}

# The YAML writer puts metadata's name and namespace at two spaces, one document after another.
namespaces_of() {
  awk '/^---/ { kind = "" } /^kind: / { kind = $2 }
       /^metadata:/ { meta = 1; next } /^[^ ]/ { meta = 0 }
       meta && /^  namespace: / { print $2 }
       meta && kind == "Namespace" && /^  name: / { print $2 }' "$1" | tr -d '"' | sort -u
}

# Namespaces the server keeps itself: never created or deleted here.
system_namespace() {
  case "$1" in default | kube-system | kube-public | kube-node-lease) return 0 ;; esac
  return 1
}

create_namespaces() {
  local ns docs=
  for ns in "$@"; do
    system_namespace "$ns" && continue
    docs+="apiVersion: v1
kind: Namespace
metadata:
  name: $ns
---
"
  done
  [ -z "$docs" ] || printf '%s' "$docs" | "$kubectl" apply --server-side -f - > /dev/null
}

# The namespace controller (kube-controller-manager) is what normally empties
# spec.finalizers through the namespace's finalize subresource once the namespace is empty
# (kubernetes v1.36.3 pkg/controller/namespace/deletion/namespaced_resources_deleter.go,
# finalizeNamespace); a terminating namespace whose finalizers that update empties is deleted
# by the update itself (pkg/registry/core/namespace/storage/storage.go, ShouldDeleteDuringUpdate).
# The callers have deleted every object they created in it already.
finalize_namespaces() {
  local ns names=() left
  for ns in "$@"; do
    system_namespace "$ns" || names+=("$ns")
  done
  [ ${#names[@]} -gt 0 ] || return 0
  "$kubectl" delete namespace "${names[@]}" --wait=false --ignore-not-found > /dev/null
  for ns in "${names[@]}"; do
    printf '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"%s"},"spec":{"finalizers":[]}}' \
      "$ns" | "$kubectl" replace --raw "/api/v1/namespaces/$ns/finalize" -f - > /dev/null 2>&1
  done
  left=$("$kubectl" get namespace "${names[@]}" --ignore-not-found -o name)
  if [ -n "$left" ]; then
    echo "$(basename "$0" .sh): not removed: $left" >&2
    return 1
  fi
}

# The names under a top-level `environments:` of the topology's files.
environments_of() {
  local files=("$1")
  [ -d "$1" ] && files=("$1"/*.yaml)
  awk '/^environments:/ { env = 1; next } /^[^ #]/ { env = 0 }
       env && /^  [A-Za-z0-9_.-]+:/ { sub(/^  /, ""); sub(/:.*/, ""); print }' "${files[@]}"
}
