#!/usr/bin/env bash
# Installs the Debian packages kafkamesh needs to build (and with --test, to test), skipping
# whatever is already there. Debian 12 package names; runs apt-get as root or through sudo.
set -euo pipefail

# command it provides, or "-" for a library package checked with dpkg
# pkg-config: CMake finds librdkafka (plan and apply) through it, and a minimal Debian has none.
wanted=("g++:g++" "cmake:cmake" "make:make" "pkg-config:pkg-config" "-:libyaml-cpp-dev" "-:nlohmann-json3-dev" "-:libcli11-dev"
        "-:libfmt-dev" "-:doctest-dev" "-:librdkafka-dev")
if [ "${1:-}" = "--test" ]; then
  # file and dpkg-shlibdeps: CPack's Depends computation for the package/deb test; ca-certificates:
  # npm ci reaches the registry over TLS (nodejs only recommends it, and recommends are skipped);
  # Graphviz and Chromium draw the pictures of the render test; groff renders the man page of the
  # package test (a minimal Debian has no groff-base); Go builds the test API server and kubectl
  # (tests/apiserver/go.sh brings a newer toolchain through the module proxy when Debian's is old);
  # valgrind counts the instructions of the scale guard; a JDK, Maven and kcat run the broker test.
  wanted+=("git:git" "clang-format:clang-format" "node:nodejs" "npm:npm" "go:golang-go"
           "file:file" "dpkg-shlibdeps:dpkg-dev" "-:ca-certificates" "dot:graphviz" "chromium:chromium"
           "groff:groff-base" "valgrind:valgrind" "javac:openjdk-17-jdk-headless" "mvn:maven" "kcat:kcat")
fi
if [ "${1:-}" = "--test" ] || [ "${1:-}" = "--fuzz" ]; then
  # clang and its runtime (libFuzzer, sanitizers) for tests/fuzz and the sanitizer build
  wanted+=("clang++:clang" "-:libclang-rt-14-dev")
fi

missing=()
for entry in "${wanted[@]}"; do
  command=${entry%%:*}
  package=${entry#*:}
  if [ "$command" != "-" ]; then
    command -v "$command" >/dev/null 2>&1 && continue
  elif dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    continue
  fi
  missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
