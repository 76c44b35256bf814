#!/usr/bin/env bash
# The pictures of `kafkamesh graph` and of `diff --format markdown`, drawn by the real renderers:
# Graphviz's dot (Debian) must render every example without a warning, Mermaid's own CLI (pinned
# in package-lock.json, driving Debian's Chromium) must render every Mermaid picture, and the SVG
# of each example must hold exactly the nodes and edges that `kafkamesh access --format json`
# says the topology grants.
#
# check-pictures.sh KAFKAMESH SOURCE_DIR
set -euo pipefail
kafkamesh=$1
source_dir=$2
here=$(cd "$(dirname "$0")" && pwd)
mmdc="$here/node_modules/.bin/mmdc"
for tool in dot /usr/bin/chromium "$mmdc"; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "check-pictures: $tool is missing (bash tests/install-deps.sh --test; npm ci in tests/render)" >&2
    exit 1
  fi
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mermaid() {  # mermaid IN.mmd OUT.svg: renders with Mermaid's CLI, failing on any error
  if ! "$mmdc" --quiet -p "$here/puppeteer-config.json" -i "$1" -o "$2" >"$work/mmdc.log" 2>&1 ||
     [ ! -s "$2" ]; then
    echo "check-pictures: mermaid could not render $1:" >&2
    cat "$work/mmdc.log" >&2
    exit 1
  fi
}

pictures=0
for example in "$source_dir"/examples/*/; do
  name=$(basename "$example")
  [ "$name" = ci ] && continue
  "$kafkamesh" graph "$example" > "$work/$name.dot"
  dot -Tsvg "$work/$name.dot" -o "$work/$name.dot.svg" 2> "$work/$name.dot.err"
  if [ -s "$work/$name.dot.err" ]; then
    echo "check-pictures: Graphviz warns on examples/$name:" >&2
    cat "$work/$name.dot.err" >&2
    exit 1
  fi
  "$kafkamesh" graph "$example" --format mermaid > "$work/$name.mmd"
  mermaid "$work/$name.mmd" "$work/$name.mmd.svg"
  "$kafkamesh" access "$example" --format json > "$work/$name.access.json"
  node "$here/check-svg.mjs" "$work/$name.access.json" "$work/$name.dot.svg" "$work/$name.mmd.svg"
  pictures=$((pictures + 1))
done

# A diff's pull-request comment: its mermaid block renders, with the changed edges in it.
diff_case="$source_dir/golden/diff/markdown"
"$kafkamesh" diff "$diff_case/base.yaml" "$diff_case/head.yaml" --format markdown > "$work/diff.md" || true
awk '/^```mermaid$/{inside=1; next} /^```$/{inside=0} inside' "$work/diff.md" > "$work/diff.mmd"
if [ ! -s "$work/diff.mmd" ]; then
  echo "check-pictures: the markdown diff of golden/diff/markdown holds no mermaid diagram" >&2
  exit 1
fi
mermaid "$work/diff.mmd" "$work/diff.svg"
grep -q 'class="[^"]*edgeLabel' "$work/diff.svg" || { echo "check-pictures: no edge in the diff picture" >&2; exit 1; }
echo "pictures: $pictures examples drawn by dot and mermaid, the diff comment by mermaid"
