#!/usr/bin/env bash
# Usage: server.sh start BIN_DIR STATE_DIR | server.sh stop STATE_DIR
# start: runs BIN_DIR/kmapi serve STATE_DIR in the background (a new, empty etcd), waits for
#        STATE_DIR/kubeconfig (written once /readyz answers), then installs the CRDs of crds.sh.
# stop:  ends the server started there (its pid is in STATE_DIR/pid) and removes its state.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

stop() {
  local state=$1 pid
  [ -f "$state/pid" ] || return 0
  pid=$(cat "$state/pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  rm -rf "$state"
}

case "${1:-}" in
  start)
    bin_dir=$(cd "$2" && pwd)
    state=$3
    stop "$state"
    mkdir -p "$state"
    state=$(cd "$state" && pwd)
    start=$(date +%s)
    setsid "$bin_dir/kmapi" serve "$state" > "$state/server.log" 2>&1 < /dev/null &
    echo $! > "$state/pid"
    for _ in $(seq 1 900); do
      [ -f "$state/kubeconfig" ] && break
      if ! kill -0 "$(cat "$state/pid")" 2>/dev/null; then
        echo "server.sh: kube-apiserver stopped before it was ready:" >&2
        tail -n 30 "$state/server.log" >&2
        exit 1
      fi
      sleep 0.2
    done
    if [ ! -f "$state/kubeconfig" ]; then
      echo "server.sh: kube-apiserver not ready after 180 s:" >&2
      tail -n 30 "$state/server.log" >&2
      stop "$state"
      exit 1
    fi
    echo "server.sh: kube-apiserver ready in $(($(date +%s) - start)) s" >&2
    KUBECONFIG=$state/kubeconfig bash "$here/crds.sh" "$bin_dir/kubectl" v1
    ;;
  stop)
    stop "$2"
    ;;
  *)
    echo "usage: server.sh start BIN_DIR STATE_DIR | server.sh stop STATE_DIR" >&2
    exit 2
    ;;
esac
