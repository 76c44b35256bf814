#!/usr/bin/env bash
# Builds kafkamesh and compiles the ConSol tutorial example to stdout. Needs no Node: only the
# build dependencies are installed, and only the kafkamesh target is built.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/install-deps.sh
bash tests/configure.sh >/dev/null
cmake --build build -j2 --target kafkamesh >/dev/null
./build/kafkamesh compile examples/consol-istio-tutorial/topology.yaml
