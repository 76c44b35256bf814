#!/usr/bin/env bash
# Builds the .deb with CPack, unpacks it into a scratch root as dpkg would install it, and checks
# what a new user gets: a binary that runs, its Depends, the man page, the completions, the schema.
#   check-deb.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
fail() { echo "check-deb: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB -B "$build/package" >/dev/null) || fail "cpack failed"
deb=$(ls "$build"/package/kafkamesh_*.deb | head -n 1)
[ -f "$deb" ] || fail "no .deb in $build/package"
echo "built $(basename "$deb")"

depends=$(dpkg-deb -f "$deb" Depends)
for lib in libyaml-cpp0.7 libfmt9 librdkafka1; do
  [[ "$depends" == *"$lib"* ]] || fail "Depends lacks $lib: $depends"
done

dpkg -x "$deb" "$root"
# plan and apply load librdkafka when they run (src/admin/DECISIONS.md): the binary must not link
# it, or every command pays for it and its TLS and SASL libraries.
if readelf -d "$root/usr/bin/kafkamesh" | grep -q 'NEEDED.*librdkafka'; then
  fail "usr/bin/kafkamesh links librdkafka; plan and apply load it"
fi
for f in usr/bin/kafkamesh \
         usr/share/man/man1/kafkamesh.1 \
         usr/share/bash-completion/completions/kafkamesh \
         usr/share/zsh/vendor-completions/_kafkamesh \
         usr/share/fish/vendor_completions.d/kafkamesh.fish \
         usr/share/kafkamesh/topology.schema.json; do
  [ -s "$root/$f" ] || fail "missing or empty: /$f"
done

bin="$root/usr/bin/kafkamesh"
"$bin" version | head -n 1 | grep -q '^kafkamesh [0-9]' || fail "installed binary does not run"
cmp -s <("$bin" schema) "$root/usr/share/kafkamesh/topology.schema.json" \
  || fail "installed schema differs from 'kafkamesh schema'"
cmp -s <("$bin" completion bash) "$root/usr/share/bash-completion/completions/kafkamesh" \
  || fail "installed bash completion differs from 'kafkamesh completion bash'"
# The installed completion works as bash-completion would load it.
reply=$(bash -c "source '$root/usr/share/bash-completion/completions/kafkamesh'
  COMP_WORDS=(kafkamesh comp); COMP_CWORD=1; _kafkamesh; echo \"\${COMPREPLY[*]}\"")
[ "$reply" = "compile completion" ] || fail "bash completion of 'comp' gave '$reply'"
# The man page renders without a warning.
warnings=$(groff -man -Tutf8 -ww -z "$root/usr/share/man/man1/kafkamesh.1" 2>&1)
[ -z "$warnings" ] || fail "man page warnings: $warnings"
echo "ok: binary, Depends ($depends), man page, completions and schema installed"
