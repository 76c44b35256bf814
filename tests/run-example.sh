#!/usr/bin/env bash
# Builds kafkamesh and compiles the ConSol tutorial example to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j2 --target kafkamesh >/dev/null
./build/kafkamesh compile examples/consol-istio-tutorial/topology.yaml
