#!/usr/bin/env bash
# Usage: go.sh
# Prints the path of a go command new enough for this module's go.mod (Go 1.26), for
# build.sh. It takes, in order: $GO, `go` on PATH, /usr/local/go/bin/go, if one of them is
# 1.26 or later. Otherwise (a bare Debian 12 has only Debian's golang-go, Go 1.19, which
# knows no GOTOOLCHAIN) it asks that older go to download the Go toolchain module
# golang.org/toolchain@v0.0.1-go1.27.3.<os>-<arch> from the module proxy, checked against the
# checksum database as every module is, and prints that toolchain's bin/go. This is what a Go
# 1.21 or later does by itself for GOTOOLCHAIN=go1.27.3 (cmd/go/internal/toolchain/select.go); README.md
# beside this file says why.
set -euo pipefail
min_minor=26
toolchain=go1.27.3

minor_of() { # prints the minor version of the go command $1, or nothing
  "$1" env GOVERSION 2>/dev/null | sed -n 's/^go1\.\([0-9]*\).*/\1/p'
}

candidates=()
[ -n "${GO:-}" ] && candidates+=("$GO")
command -v go >/dev/null 2>&1 && candidates+=("$(command -v go)")
candidates+=(/usr/local/go/bin/go /usr/lib/go/bin/go)
bootstrap=
for go in "${candidates[@]}"; do
  [ -x "$go" ] || continue
  minor=$(minor_of "$go")
  [ -n "$minor" ] || continue
  if [ "$minor" -ge "$min_minor" ]; then
    echo "$go"
    exit 0
  fi
  # `go mod download MODULE@VERSION` outside a module needs Go 1.17 or later.
  [ -z "$bootstrap" ] && [ "$minor" -ge 17 ] && bootstrap=$go
done
if [ -z "$bootstrap" ]; then
  echo "go.sh: no go command found; install Debian's golang-go (tests/install-deps.sh --test)" >&2
  exit 1
fi
case "$(uname -m)" in
  x86_64) arch=amd64 ;;
  aarch64) arch=arm64 ;;
  *) echo "go.sh: no Go toolchain module for $(uname -m)" >&2; exit 1 ;;
esac
module=golang.org/toolchain@v0.0.1-$toolchain.linux-$arch
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# Outside any module, with modules on; the answer is JSON with the extracted directory.
if ! json=$(cd "$scratch" && GO111MODULE=on GOFLAGS=-mod=mod "$bootstrap" mod download -json "$module"); then
  echo "go.sh: $bootstrap mod download $module failed:" >&2
  echo "$json" >&2
  exit 1
fi
dir=$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
if [ -z "$dir" ] || [ ! -f "$dir/bin/go" ]; then
  echo "go.sh: $module has no bin/go:" >&2
  echo "$json" >&2
  exit 1
fi
# Module zips carry no file modes: the go command marks the toolchain's programs executable
# after extracting it (cmd/go/internal/toolchain/select.go, Exec: bin/ and pkg/tool/); do the same.
chmod u+x "$dir/bin/"* "$dir/pkg/tool/"*/* 2>/dev/null || true
minor=$(minor_of "$dir/bin/go")
if [ -z "$minor" ] || [ "$minor" -lt "$min_minor" ]; then
  echo "go.sh: $dir/bin/go does not run" >&2
  exit 1
fi
echo "$dir/bin/go"
