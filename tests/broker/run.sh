#!/usr/bin/env bash
# Runs topologies through a real Apache Kafka broker with real clients (README.md beside this file).
#   tests/broker/run.sh [--random N] [--seed S] [-v] [TOPOLOGY...]   (default: every example)
#   tests/broker/run.sh --apply [-v]   kafkamesh plan and apply against the broker (ApplyCheck.java)
# A TOPOLOGY is a topology file or a directory of them; the default adds fixtures/tls-apps.yaml
# (TLS client authentication, which no example uses) and the Strimzi service-account-token
# topology of golden/compile (the example of that authentication is Bitnami). The last line printed is
#   broker: S services ran, D denials held, F failures
# and the exit status is 0 only when every service did its job and every probe was refused.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${KAFKAMESH_BUILD_DIR:-$root/build}
bin=$build/kafkamesh

if [ ! -x "$bin" ]; then
  bash "$root/tests/configure.sh" >&2 && cmake --build "$build" -j2 --target kafkamesh >&2
fi

# Test set-up: the pinned Kafka jars come from Maven Central into ~/.m2 the first time (like
# `npm ci`), then the harness is compiled offline.
compile() {
  (cd "$here" && mvn -q -B -o compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >&2)
}
if ! compile 2>/dev/null; then
  (cd "$here" && mvn -q -B dependency:go-offline >&2)
  compile
fi

args=()
topologies=()
random=no
apply=no
while [ $# -gt 0 ]; do
  case "$1" in
    --random) random=yes; args+=("$1" "$2"); shift 2 ;;
    --seed|--parallel) args+=("$1" "$2"); shift 2 ;;
    -v) args+=("$1"); shift ;;
    --apply) apply=yes; args+=("$1"); shift ;;
    *) topologies+=("$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"); shift ;;
  esac
done
if [ ${#topologies[@]} -eq 0 ] && [ $random = no ] && [ $apply = no ]; then
  topologies=("$root/examples/consol-istio-tutorial/topology.yaml" "$root/examples/existing-platform/topology.yaml"
              "$root/examples/multi-team" "$root/examples/university-messaging/topology.yaml"
              "$root/examples/service-account-tokens/topology.yaml"
              "$root/golden/compile/strimzi-service-account-token/topology.yaml"
              "$here/fixtures/tls-apps.yaml")
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/kafkamesh-broker.XXXXXX")
[ -n "${KAFKAMESH_BROKER_KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
status=0
java --add-opens java.base/sun.security.tools.keytool=ALL-UNNAMED -Xms256m -Xmx1536m -Djava.security.egd=file:/dev/./urandom \
  -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" dev.kafkamesh.broker.Main \
  --kafkamesh "$bin" --work "$work" "${args[@]}" "${topologies[@]}" 2>"$work/stderr.log" >"$work/stdout.log" || status=$?
summary=$(tail -n 1 "$work/stdout.log")
sed '$d' "$work/stdout.log"
if [ $status -ne 0 ]; then
  echo "--- last lines of the harness's stderr:"
  tail -n 30 "$work/stderr.log"
fi
echo "$summary"
exit $status
