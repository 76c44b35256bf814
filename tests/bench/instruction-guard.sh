#!/usr/bin/env bash
# Guards against a super-linear step: every command runs under valgrind's callgrind at N and at
# 4N services, and the test fails when a command's instruction count grows more than 5 times
# (linear work grows 4 times, n log n a little more). Instruction counts do not depend on the
# machine's load, unlike seconds, so this holds on a busy CI runner.
#
# The topology has the benchmark's shape except that every service is a Kafka Streams app (the
# most names and prefixes per service), and the count leaves out yaml-cpp's parser (linear, and
# most of the instructions): what is counted is kafkamesh's own work, where a step that compares
# everything with everything shows at a few hundred services already, so the guard stays cheap.
# (--collect-atstart=yes comes after --toggle-collect, which would otherwise turn it off.)
# import and drift read the compiled output as a live dump in kubectl's YAML and JSON (indented,
# and on one line, where a position is a column of a single line).
#   instruction-guard.sh KAFKAMESH GENERATOR YAML_LOAD [N]
# Exit 77 (skipped) without valgrind.
set -euo pipefail

kafkamesh=$1
generator=$2
yaml_load=$3
n=${4:-250}
limit=5

if ! command -v valgrind >/dev/null 2>&1; then
  echo "valgrind not found: install it (tests/install-deps.sh --test)" >&2
  exit 77
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# instructions CMD...: the instructions callgrind counted over the whole process (all threads).
instructions() {
  local log="$work/callgrind.log"
  if ! valgrind --tool=callgrind --callgrind-out-file=/dev/null --log-file="$log" \
    --toggle-collect='YAML::Parser::HandleNextDocument*' --collect-atstart=yes "$@" \
    >"$work/stdout" 2>"$work/stderr"; then
    echo "command failed: $*" >&2
    cat "$work/stderr" "$log" >&2
    return 1
  fi
  sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$log"
}

prepare() {  # prepare SIZE: the topology, its 1%-changed version and its compiled output
  local size=$1
  "$generator" "$size" --realistic --streams-every 1 >"$work/t$size.yaml"
  "$generator" "$size" --realistic --streams-every 1 --change-percent 1 >"$work/t$size-changed.yaml"
  "$kafkamesh" compile "$work/t$size.yaml" >"$work/live$size.yaml"
  "$yaml_load" --kubectl-json "$work/live$size.yaml" >"$work/live$size.json"
  "$yaml_load" --json-line "$work/live$size.yaml" >"$work/line$size.json"
}

# The commands, each as a line of arguments where SIZE stands for the topology's size.
commands=(
  "validate T"
  "compile T"
  "diff T T-changed"
  "access T"
  "who-can T Read topic topic-00001"
  "explain T --service team-0000/svc-00000"
  "graph T --max-nodes 100000000"
  "client-config T --service team-0000/svc-00000"
  "import LIVE"
  "drift T --live LIVE"
  "import JSON"
  "drift T --live JSON"
  "import LINE"
)

prepare "$n"
prepare $((4 * n))
failed=0
printf '%-22s %14s %14s %7s\n' command "Ir at $n" "Ir at $((4 * n))" ratio
for line in "${commands[@]}"; do
  counts=()
  for size in "$n" $((4 * n)); do
    args=()
    for word in $line; do
      case $word in
        T) args+=("$work/t$size.yaml") ;;
        T-changed) args+=("$work/t$size-changed.yaml") ;;
        LIVE) args+=("$work/live$size.yaml") ;;
        JSON) args+=("$work/live$size.json") ;;
        LINE) args+=("$work/line$size.json") ;;
        *) args+=("$word") ;;
      esac
    done
    counts+=("$(instructions "$kafkamesh" "${args[@]}")")
  done
  name=${line%% *}
  case $line in
    *LIVE*) name+=" (yaml)" ;;
    *JSON*) name+=" (json)" ;;
    *LINE*) name+=" (one-line json)" ;;
  esac
  ratio=$(awk -v a="${counts[0]}" -v b="${counts[1]}" 'BEGIN { printf "%.2f", b / a }')
  verdict=""
  if awk -v r="$ratio" -v l="$limit" 'BEGIN { exit !(r > l) }'; then
    verdict="  FAIL: more than ${limit}x for 4x the services"
    failed=1
  fi
  printf '%-22s %14s %14s %7s%s\n' "$name" "${counts[0]}" "${counts[1]}" "$ratio" "$verdict"
done
exit $failed
