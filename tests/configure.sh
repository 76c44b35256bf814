#!/usr/bin/env bash
# The one configuration of build/ shared by tests/run-example.sh and tests/run-all.sh, so that
# running one after the other in the same clone, in either order, reuses the build instead of
# switching its settings (a Release build with warnings as errors, as CI builds it).
#   bash tests/configure.sh [EXTRA CMAKE ARGUMENTS]
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DKAFKAMESH_WERROR=ON "$@"
