#!/usr/bin/env bash
# Usage: build.sh BIN_DIR
# Builds kmapi (kube-apiserver with embedded etcd, and kubectl; see README.md) once per
# go.mod + go.sum + main.go + this script + Go version, into the user's cache
# (${XDG_CACHE_HOME:-$HOME/.cache}/kafkamesh/apiserver/<key>/), and links BIN_DIR/kmapi and
# BIN_DIR/kubectl to it. A later run with the same inputs only links: it starts in a second.
# The Go build cache is the machine's own (GOCACHE), so a changed main.go rebuilds only it.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin_dir=$1
go=$(bash "$here/go.sh")
key=$( (cat "$here/go.mod" "$here/go.sum" "$here/main.go" "$here/build.sh"; "$go" env GOVERSION GOOS GOARCH) \
  | sha256sum | cut -c1-16)
# The release's version where kubectl version and the server's /version report it, set as
# kubernetes' own build does (hack/lib/version.sh, kube::version::ldflags).
release=$(sed -n 's/^[[:space:]]*k8s.io\/kubernetes \(v[0-9.]*\)$/\1/p' "$here/go.mod")
minor=${release#v1.}
minor=${minor%%.*}
ldflags="-s -w"
for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
  ldflags+=" -X $pkg.gitVersion=$release -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  ldflags+=" -X $pkg.gitTreeState=clean"
done
cache=${XDG_CACHE_HOME:-$HOME/.cache}/kafkamesh/apiserver
target=$cache/$key
if [ ! -x "$target/kmapi" ]; then
  mkdir -p "$cache"
  tmp=$(mktemp -d "$cache/.build-XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  echo "build.sh: building kube-apiserver and kubectl ($("$go" env GOVERSION)); a first build takes a while" >&2
  start=$(date +%s)
  # -mod=readonly: go.sum must already hold every module; nothing is resolved anew.
  (cd "$here" && CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-mod=readonly \
    "$go" build -trimpath -ldflags="$ldflags" -o "$tmp/kmapi" .)
  echo "build.sh: built in $(($(date +%s) - start)) s" >&2
  rm -rf "$target"
  mv "$tmp" "$target"
  trap - EXIT
fi
mkdir -p "$bin_dir"
ln -sfn "$target/kmapi" "$bin_dir/kmapi"
ln -sfn "$target/kmapi" "$bin_dir/kubectl"
