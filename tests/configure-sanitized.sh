#!/usr/bin/env bash
# The one configuration of build-sanitize/, shared by tests/run-sanitized.sh and tests/fuzz/run.sh:
# clang with AddressSanitizer, UndefinedBehaviorSanitizer and libFuzzer's coverage, so a single
# build serves the test suite under the sanitizers and the fuzzer (the Release build of
# tests/configure.sh, with g++, is the one that treats warnings as errors).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang++ >/dev/null 2>&1 || bash tests/install-deps.sh --fuzz
CC=clang CXX=clang++ cmake -S . -B build-sanitize -DKAFKAMESH_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
