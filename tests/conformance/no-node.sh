#!/bin/sh
# Stands in for node in the tests when the build was configured on a machine without Node: each
# conformance test fails with this message instead of the whole configure failing.
echo "node was not found when the build was configured: install it (bash tests/install-deps.sh --test)" >&2
echo "and configure again (cmake -S . -B build)" >&2
exit 1
