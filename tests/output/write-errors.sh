#!/usr/bin/env bash
# Output that cannot be written to a full disk is exit 3 with a message, never a success: a GitOps
# pipeline must not apply a truncated stream as if it were complete. A pipe whose reader went away
# (`kafkamesh ... | head`) is the reader's choice: exit 141 (as SIGPIPE gives cat or grep) and no
# message at all.
#   bash tests/output/write-errors.sh KAFKAMESH REPOSITORY
set -uo pipefail
kafkamesh=$1
repo=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failures=0
expect() {  # expect NAME EXPECTED_EXIT ACTUAL_EXIT STDERR_FILE
  if [ "$3" != "$2" ] || ! grep -q "cannot write to standard output" "$4"; then
    echo "FAIL $1: exit $3, expected $2 with a message"; cat "$4"
    failures=$((failures + 1))
  else
    echo "ok $1"
  fi
}

example="$repo/examples/consol-istio-tutorial/topology.yaml"
"$kafkamesh" compile "$example" >/dev/full 2>"$scratch/err"
expect "compile to a full disk" 3 $? "$scratch/err"

"$kafkamesh" validate "$example" --format json >/dev/full 2>"$scratch/err"
expect "validate --format json to a full disk" 3 $? "$scratch/err"

# Every other command that writes a result says so too, rather than exit 3 in silence.
multi="$repo/examples/multi-team"
for command in "access $multi" "explain $multi --service payments/payment-gateway" \
               "who-can $multi Read topic payments.settled" "version" "schema" \
               "completion bash" "explain-code" "explain-code KM101" \
               "diff $repo/golden/diff/text/base.yaml $repo/golden/diff/text/head.yaml"; do
  # shellcheck disable=SC2086 # the command's words are split on purpose
  "$kafkamesh" $command >/dev/full 2>"$scratch/err"
  expect "$command to a full disk" 3 $? "$scratch/err"
done

# Far more than a pipe buffer, so the writer is still writing when the reader goes away.
awk '{ print } /^topics:/ { for (i = 1; i <= 3000; i++) print "  - {name: topic-" i ", partitions: 3, replicas: 3}" }' \
  "$example" >"$scratch/large.yaml"
quiet_pipe() {  # quiet_pipe NAME EXIT STDERR_FILE [ALSO_ACCEPTED_EXIT]
  if { [ "$2" != 141 ] && [ "$2" != "${4:-141}" ]; } || [ -s "$3" ]; then
    echo "FAIL $1: exit $2, expected 141 and no message"; cat "$3"
    failures=$((failures + 1))
  else
    echo "ok $1"
  fi
}
"$kafkamesh" compile "$scratch/large.yaml" 2>"$scratch/err" | head -c 100 >/dev/null
quiet_pipe "compile into a pipe closed early" "${PIPESTATUS[0]}" "$scratch/err"
# Output smaller than the pipe buffer may be written in full before the reader goes (exit 0) or
# not (exit 141): either way, never a message.
for command in "explain-code" "schema" "version" "compile $scratch/large.yaml"; do
  for run in 1 2 3 4 5; do
    # shellcheck disable=SC2086 # the command's words are split on purpose
    "$kafkamesh" $command 2>"$scratch/err" | head -c 1 >/dev/null
    quiet_pipe "$command into a pipe closed early (run $run)" "${PIPESTATUS[0]}" "$scratch/err" 0
  done
done

[ "$failures" -eq 0 ]
