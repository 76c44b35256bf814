#!/usr/bin/env bash
# The one configuration of build-sanitize/, shared by tests/run-sanitized.sh and tests/fuzz/run.sh:
# clang with AddressSanitizer, UndefinedBehaviorSanitizer and libFuzzer's coverage, so a single
# build serves the test suite under the sanitizers and the fuzzer (the Release build of
# tests/configure.sh, with g++, is the one that treats warnings as errors). kafkamesh_core is
# compiled in batches of files (CMake's unity build): the headers every file includes (yaml-cpp,
# nlohmann's JSON, fmt) are then parsed and their templates compiled once a batch rather than
# once a file, which halves this build (451 s against 250 s at -j2); the suite's runs are the
# same. Two files whose private helpers share a name fail this build only: give one a better name.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang++ >/dev/null 2>&1 || bash tests/install-deps.sh --fuzz
CC=clang CXX=clang++ cmake -S . -B build-sanitize -DKAFKAMESH_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_UNITY_BUILD=ON "$@"
