#!/usr/bin/env bash
# Compiles every hostile case and requires its diagnostic code on stderr, its exit code and
# nothing at all on stdout (a GitOps pipeline applies whatever stdout holds).
#   bash tests/hostile/run.sh KAFKAMESH
set -uo pipefail
kafkamesh=$1
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failures=0
count=0
while IFS=$'\t' read -r name code exit_code; do
  case "$name" in '#'* | '') continue ;; esac
  count=$((count + 1))
  # 10 s and 1 GiB per case: a hang or a memory blow-up is a failure, not a stuck CI job.
  # (AddressSanitizer reserves terabytes of address space: under it the time limit stays.)
  (if [ -z "${ASAN_OPTIONS:-}" ]; then ulimit -v 1048576; fi; timeout 10 "$kafkamesh" compile "$here/cases/$name" \
     >"$scratch/stdout" 2>"$scratch/stderr")
  actual=$?
  problems=""
  [ "$actual" = "$exit_code" ] || problems+=" exit $actual, expected $exit_code;"
  [ -s "$scratch/stdout" ] && problems+=" stdout not empty;"
  grep -q "\[$code\]" "$scratch/stderr" || problems+=" no $code on stderr;"
  if [ -n "$problems" ]; then
    failures=$((failures + 1))
    echo "FAIL $name:$problems"
    head -c 600 "$scratch/stderr" | sed 's/^/    /'; echo
  fi
done <"$here/expectations.tsv"
echo "$count hostile cases, $failures failed"
[ "$count" -ge 100 ] && [ "$failures" -eq 0 ]
