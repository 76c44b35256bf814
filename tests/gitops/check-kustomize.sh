#!/usr/bin/env bash
# Usage: [KUBECTL=PATH] check-kustomize.sh SOURCE_DIR
# `kubectl kustomize` must render every golden output directory that holds a kustomization.yaml,
# with exactly the documents of the files it lists, in the order listed (sortOptions fifo, which
# needs kustomize 5, bundled with kubectl 1.27 and later). KUBECTL defaults to kubectl on PATH;
# CTest passes the kubectl that tests/apiserver/build.sh builds. No kubectl, or one without
# kustomize 5, is a failure: the check never skips.
set -euo pipefail
source_dir=$(cd "$1" && pwd)
kubectl=${KUBECTL:-kubectl}
if ! command -v "$kubectl" >/dev/null 2>&1; then
  echo "check-kustomize: $kubectl not found (tests/apiserver/build.sh builds one)" >&2
  exit 1
fi
kustomize=$("$kubectl" version --client 2>/dev/null | sed -n 's/^Kustomize Version: v\([0-9]*\).*/\1/p')
if [ -z "$kustomize" ] || [ "$kustomize" -lt 5 ]; then
  echo "check-kustomize: $kubectl bundles no kustomize 5 (sortOptions)" >&2
  exit 1
fi
# The kind and metadata.name of every document, one per line. Only metadata's name: kustomize
# re-emits sequences without indentation, so a RoleBinding subject's name sits at two spaces too.
names() {
  awk '/^kind: / { print } /^metadata:/ { meta = 1; next } /^[^ ]/ { meta = 0 }
       meta && /^  name: / { print; meta = 0 }'
}
shopt -s nullglob
checked=0
for kustomization in "$source_dir"/golden/compile/*/out/kustomization.yaml; do
  dir=$(dirname "$kustomization")
  rendered=$("$kubectl" kustomize "$dir" | names)
  listed=$(sed -n 's/^  - //p' "$kustomization" | while read -r f; do cat "$dir/$f"; done | names)
  if [ "$rendered" != "$listed" ]; then
    echo "check-kustomize: ${dir#"$source_dir"/}: kubectl kustomize does not render the listed documents in order" >&2
    diff <(printf '%s\n' "$listed") <(printf '%s\n' "$rendered") >&2 || true
    exit 1
  fi
  checked=$((checked + 1))
done
if [ "$checked" -eq 0 ]; then
  echo "check-kustomize: no golden output directory with a kustomization.yaml" >&2
  exit 1
fi
echo "kubectl kustomize: $checked output directories rendered"
