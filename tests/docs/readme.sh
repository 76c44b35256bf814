#!/usr/bin/env bash
# Usage: readme.sh KAFKAMESH SOURCE_DIR
# The README shows kafkamesh's own output; this keeps it kafkamesh's. The topology of "A first
# topology" must validate; the diagnostic shown there must be what validate prints for the same
# topology with the typo; the client-config block of "Connecting an app" must be what
# client-config prints; the service-account-token cluster block must be the example's. Also: the
# README stays a guide (at most 4,000 words) and every file it
# names as a reference exists.
set -uo pipefail
kafkamesh=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
readme="$2/README.md"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL $*" >&2; failures=$((failures + 1)); }

# The Nth fenced block (1-based) whose opening fence is exactly $1 (```yaml, ```, ```sh).
block() {
  awk -v fence="$1" -v want="$2" '
    inside && /^```/ { inside = 0; if (mine && n == want) exit; next }
    inside && mine && n == want { print }
    !inside && /^```/ { inside = 1; mine = ($0 == fence); if (mine) n++ }' "$readme"
}

block '```yaml' 1 > "$work/topology.yaml"
grep -q '^kind: Topology' "$work/topology.yaml" || fail "the first yaml block is not a topology"
(cd "$work" && "$kafkamesh" validate --quiet topology.yaml) || fail "the README's topology does not validate"

sed 's/consumes: \[payments\]/consumes: [paymnts]/' "$work/topology.yaml" > "$work/typo.yaml"
mkdir -p "$work/typo" && mv "$work/typo.yaml" "$work/typo/topology.yaml"
(cd "$work/typo" && "$kafkamesh" validate topology.yaml) > /dev/null 2> "$work/typo.err"
shown=$(block '```' 1)
if [ "$shown" != "$(cat "$work/typo.err")" ]; then
  fail "the README's KM301 example differs from validate's output:"
  diff <(echo "$shown") "$work/typo.err" >&2
fi

shown=$(awk '/^\$ kafkamesh client-config topology.yaml --service shop\/checkout$/ { on = 1; next }
             on && /^```/ { exit } on { print }' "$readme")
[ -n "$shown" ] || fail "the README has no client-config example"
actual=$(cd "$work" && "$kafkamesh" client-config topology.yaml --service shop/checkout)
if [ "$shown" != "$actual" ]; then
  fail "the README's client-config example differs from client-config's output:"
  diff <(echo "$shown") <(echo "$actual") >&2
fi

# "One identity, no passwords": its cluster block is the example's, line for line, and the label
# its pruning apply selects is the example's metadata.name.
example="$2/examples/service-account-tokens/topology.yaml"
strip() { sed 's/[[:space:]]*#.*$//; s/[[:space:]]*$//' | grep -v '^$'; }
block '```yaml' 2 | strip > "$work/tokens.yaml"
grep -q 'authentication: service-account-token' "$work/tokens.yaml" ||
  fail "the second yaml block is not the service-account-token cluster"
while IFS= read -r line; do
  strip < "$example" | grep -qxF -- "$line" || fail "the README's token block has '$line', which the example does not"
done < "$work/tokens.yaml"
name=$(awk '/^metadata:/ { on = 1; next } on && /name:/ { print $2; exit }' "$example")
grep -q "kafkamesh.io/topology=$name " "$readme" ||
  fail "the README's token section prunes by another label than the example's name '$name'"

words=$(wc -w < "$readme")
[ "$words" -le 4000 ] || fail "the README has $words words; the guide keeps to 4,000"
for path in $(grep -o '`src/[a-z]*/DECISIONS.md`\|`tests/README.md`\|`src/doc/kafkamesh.1.in`' "$readme" | tr -d '`' | sort -u); do
  [ -f "$2/$path" ] || fail "the README names $path, which does not exist"
done
echo "readme: $words words, examples match, $failures failures"
[ "$failures" -eq 0 ]
