#!/usr/bin/env bash
# Builds kafkamesh and runs every test: unit and property tests, golden cases, the upstream-schema
# conformance of every emitted document, the topology schema, the formatting check, the suite
# under sanitizers, emission under ThreadSanitizer and a bounded fuzzing run. Each stage prints
# its wall time; the budget per stage is in tests/README.md ("CI budget").
set -euo pipefail
cd "$(dirname "$0")/.."
run_start=$SECONDS
stage_start=$SECONDS
# Prints the wall time of the stage that just ended and starts the next.
stage_done() {
  echo "stage $1: $((SECONDS - stage_start)) s" >&2
  stage_start=$SECONDS
}

bash tests/install-deps.sh --test
# The conformance tests run on Node 18 or later (Debian 12's nodejs is 18; see tests/README.md "Node for the conformance tests").
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 18 ]; then
  echo "run-all: the conformance tests need Node 18 or later; found $(node --version 2>/dev/null || echo none)" >&2
  exit 1
fi
(cd tests/conformance && npm ci --no-audit --no-fund --loglevel=error)
# Mermaid's CLI drives Debian's Chromium: Puppeteer must not download a browser of its own.
(cd tests/render && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
stage_done install

bash tests/configure.sh
cmake --build build -j2
stage_done build

# Golden files change only through reviewed updates, never as a side effect of a test run: the
# run must leave every file under golden/ exactly as it found it, committed or under review.
golden_snapshot() { find golden -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum; }
golden_before=$(golden_snapshot)
ctest --test-dir build --output-on-failure -j2
golden_after=$(golden_snapshot)
if [ "$golden_before" != "$golden_after" ]; then
  echo "golden/ changed during the test run:" >&2
  diff <(printf '%s\n' "$golden_before") <(printf '%s\n' "$golden_after") >&2 || true
  exit 1
fi
if [ -n "$(git status --porcelain -- golden 2>/dev/null)" ]; then
  echo "golden/ holds uncommitted changes; review them with: git status golden/; git diff golden/"
fi
# Formatting is part of review: the committed .clang-format is the rule.
find src tests -name '*.cpp' -o -name '*.h' | grep -v node_modules | xargs clang-format --dry-run -Werror
echo "formatting: ok"
stage_done tests

# The suite again under AddressSanitizer, UndefinedBehaviorSanitizer and LeakSanitizer, the
# commands that emit on several threads under ThreadSanitizer, then the fuzzer (linked from the
# sanitizer build) over the whole compile for a bounded time (a crash, hang, leak or data race
# fails CI).
bash tests/run-sanitized.sh
stage_done sanitizers
bash tests/run-thread-sanitized.sh
stage_done thread-sanitizer
bash tests/fuzz/run.sh 60
if [ -n "$(ls -A build-sanitize/findings 2>/dev/null)" ]; then
  echo "the fuzzer found inputs that break kafkamesh: build-sanitize/findings/" >&2
  exit 1
fi
echo "fuzzing: ok"
stage_done fuzz
echo "run-all: every stage passed in $((SECONDS - run_start)) s" >&2
