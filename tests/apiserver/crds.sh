#!/usr/bin/env bash
# Usage: KUBECONFIG=... crds.sh KUBECTL v1|v1beta2
# Installs (server-side apply) the upstream CRDs of every kind kafkamesh emits and waits until
# the server serves them:
#   Istio      istio.io/api v1.31.4 (Go module, checksum pinned below), the module's
#              kubernetes/customresourcedefinitions.gen.yaml
#   Strimzi    crds/strimzi-1.2.0-* (v1, the API kafkamesh emits by default) or, for
#              `strimzi.api: v1beta2`, crds/strimzi-0.51.0-* (the last release serving v1beta2,
#              beside v1); no registry package carries Strimzi's CRDs, see README.md
#   KafkaAccess crds/strimzi-access-operator-0.3.0-040-Crd-kafkaaccess.yaml
#   Flux       crds/flux-* (HelmRelease and HelmRepository of `--helm-release flux`)
# Switching from v1beta2 back to v1 first forgets v1beta2 in the CRDs' status.storedVersions,
# which the server requires (a CRD must keep serving every stored version); the callers delete
# every Strimzi object before switching, so nothing is stored in v1beta2 any more.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
kubectl=$1
strimzi_api=$2
istio_module=istio.io/api@v1.31.4
istio_sum=h1:AcnncYrlDj1PJkym7h88Gggkef4MAra8QpGaXRMsr+E=

go=$(bash "$here/go.sh")
# Outside any module, so that no go.mod or go.sum is touched; the checksum database checks the
# download, and the pinned checksum below checks that it is the release this file names.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
json=$(cd "$scratch" && GOTOOLCHAIN=local GOFLAGS= GO111MODULE=on "$go" mod download -json "$istio_module")
sum=$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Sum": "\(.*\)",$/\1/p')
dir=$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
if [ "$sum" != "$istio_sum" ]; then
  echo "crds.sh: $istio_module has checksum '$sum', expected $istio_sum" >&2
  exit 1
fi
case "$strimzi_api" in
  v1) strimzi=("$here"/crds/strimzi-1.2.0-*.yaml) ;;
  v1beta2) strimzi=("$here"/crds/strimzi-0.51.0-*.yaml) ;;
  *) echo "crds.sh: unknown Strimzi API $strimzi_api" >&2; exit 2 ;;
esac
if [ "$strimzi_api" = v1 ]; then
  for crd in kafkas kafkanodepools kafkatopics kafkausers; do
    stored=$("$kubectl" get crd "$crd.kafka.strimzi.io" -o 'jsonpath={.status.storedVersions}' \
      2>/dev/null || true)
    case "$stored" in
      *v1beta2*)
        "$kubectl" patch crd "$crd.kafka.strimzi.io" --subresource=status --type=merge \
          -p '{"status":{"storedVersions":["v1"]}}' > /dev/null
        ;;
    esac
  done
fi
files=(-f "$dir/kubernetes/customresourcedefinitions.gen.yaml")
for f in "${strimzi[@]}" "$here"/crds/strimzi-access-operator-*.yaml "$here"/crds/flux-*.yaml; do
  files+=(-f "$f")
done
"$kubectl" apply --server-side --force-conflicts "${files[@]}" > /dev/null
"$kubectl" wait --for condition=established --timeout=120s crd --all > /dev/null
