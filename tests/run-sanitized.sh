#!/usr/bin/env bash
# Builds kafkamesh and its tests with AddressSanitizer and UndefinedBehaviorSanitizer (and
# LeakSanitizer) and runs the test suite against that build, less the tests labelled `external`
# (the output as outside systems read it: the API server, the broker, renderers, the package),
# which run no command the rest do not. Called by run-all.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/configure-sanitized.sh >/dev/null
cmake --build build-sanitize -j2
# Any report aborts its process, so the test that ran it fails.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build-sanitize --output-on-failure -j2 -LE external
echo "sanitizers: ok"
