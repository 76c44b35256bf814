#!/usr/bin/env bash
# Round trip over every example and golden topology T that compiles:
#   1. `drift T --live <compile T>` is in sync (exit 0, nothing reported);
#   2. `import <compile T>` writes a topology that validates, and `drift` of it against the same
#      compiled documents finds no difference in ACLs, principals, quotas or client-policy
#      principals: the imported topology grants exactly what T grants, to the same identities.
# Both distributions hold their grants in KafkaUsers (on Bitnami, reconciled by Strimzi's
# standalone User Operator), so every topology takes both steps.
# Step 2 is expected to differ for the topologies listed in round-trip-expected.txt, each with
# the reason the compiled documents do not carry what import would need. A listed topology must
# still import to a valid topology and must still differ: an entry that no longer differs fails,
# so the list cannot grow stale.
set -u
bin="$1"
root="$2"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

declare -A expected
while read -r path reason; do
    [ -z "$path" ] || [ "${path#\#}" != "$path" ] && continue
    expected["$root/$path"]="$reason"
done < "$(dirname "$0")/round-trip-expected.txt"

topologies=("$root/examples/consol-istio-tutorial" "$root/examples/multi-team"
            "$root/examples/university-messaging")
while IFS= read -r f; do
    topologies+=("$f")
done < <(grep -l '^kind: Topology' -r "$root/golden" --include='*.yaml' | sort)

# Prints the differences in ACLs, principals, quotas and client-policy principals of a drift
# report in JSON; exit 1 when there are any.
differs='
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const kept = ["acl", "principal", "quota", "client-policy"];
    const bad = r.differences.filter((d) => kept.includes(d.category));
    for (const d of bad) console.log(`${d.change} ${d.subject}: ${d.detail}`);
    process.exit(bad.length ? 1 : 0);
'
declare -A seen
checked=0
imported=0
failures=0
for t in "${topologies[@]}"; do
    "$bin" compile "$t" > "$tmp/live.yaml" 2> /dev/null || continue
    grep -q '^kind: ' "$tmp/live.yaml" || continue
    checked=$((checked + 1))
    if ! "$bin" drift "$t" --live "$tmp/live.yaml" > "$tmp/drift.txt" 2>&1; then
        echo "FAIL drift is not empty: $t"
        cat "$tmp/drift.txt"
        failures=$((failures + 1))
        continue
    fi
    grep -q '^kind: KafkaUser' "$tmp/live.yaml" || continue
    if ! "$bin" import "$tmp/live.yaml" > "$tmp/imported.yaml" 2> "$tmp/import.err"; then
        echo "FAIL import: $t"
        cat "$tmp/import.err"
        failures=$((failures + 1))
        continue
    fi
    imported=$((imported + 1))
    "$bin" drift "$tmp/imported.yaml" --live "$tmp/live.yaml" --format json > "$tmp/back.json" 2> /dev/null
    if [ -n "${expected[$t]+x}" ]; then
        seen["$t"]=1
        if node -e "$differs" "$tmp/back.json" > "$tmp/diff.txt"; then
            echo "FAIL listed in round-trip-expected.txt but the round trip is exact now: $t"
            failures=$((failures + 1))
        else
            echo "expected difference: $t (${expected[$t]})"
            sed 's/^/    /' "$tmp/diff.txt"
        fi
        continue
    fi
    if ! node -e "$differs" "$tmp/back.json"; then
        echo "FAIL the imported topology grants differently: $t"
        failures=$((failures + 1))
    fi
done
# The adoption round trip over generated platforms (generate-live.py, seeds 1-40): import of the
# exported state, drift of the imported topology against that same state exits 0 in every
# category, the topology compiles, and importing what it compiles to declares the same
# namespaces, services, roles and topics (same-grants.py). Every fifth seed also holds token
# ACLs, which import must refuse (KM704) and write nothing.
here="$(dirname "$0")"
generated=0
shared=0  # generated platforms where several users read one group (import acknowledges KM349)
for seed in $(seq 1 40); do
    gen="$tmp/gen-$seed"
    mkdir -p "$gen"
    tokens=""
    [ $((seed % 5)) -eq 0 ] && tokens="--tokens"
    python3 "$here/generate-live.py" "$seed" "$gen" $tokens
    if [ -n "$tokens" ]; then
        if "$bin" import "$gen/live.yaml" "$gen/acls.txt" > "$gen/t1.yaml" 2> "$gen/import.err" ||
            ! grep -q 'error\[KM704\]' "$gen/import.err" || [ -s "$gen/t1.yaml" ]; then
            echo "FAIL generated seed $seed: token ACLs are not refused with KM704"
            cat "$gen/import.err"
            failures=$((failures + 1))
        fi
        continue
    fi
    generated=$((generated + 1))
    if ! "$bin" import "$gen/live.yaml" > "$gen/t1.yaml" 2> "$gen/import.err"; then
        echo "FAIL generated seed $seed: import"
        cat "$gen/import.err"
        failures=$((failures + 1))
        continue
    fi
    grep -q 'code: KM349' "$gen/t1.yaml" && shared=$((shared + 1))
    if ! "$bin" drift "$gen/t1.yaml" --live "$gen/live.yaml" > "$gen/drift.txt" 2>&1; then
        echo "FAIL generated seed $seed: drift after import is not clean"
        cat "$gen/drift.txt"
        failures=$((failures + 1))
        continue
    fi
    if ! "$bin" compile "$gen/t1.yaml" > "$gen/c1.yaml" 2> "$gen/compile.err"; then
        echo "FAIL generated seed $seed: the imported topology does not compile"
        cat "$gen/compile.err"
        failures=$((failures + 1))
        continue
    fi
    if ! "$bin" import "$gen/c1.yaml" > "$gen/t2.yaml" 2> "$gen/import2.err" ||
        ! python3 "$here/same-grants.py" "$gen/t1.yaml" "$gen/t2.yaml"; then
        echo "FAIL generated seed $seed: importing the compiled topology declares otherwise"
        cat "$gen/import2.err"
        failures=$((failures + 1))
    fi
done
echo "$generated generated platforms imported, drifted clean and imported back" \
    "($shared with a group several users read)"
for t in "${!expected[@]}"; do
    if [ -z "${seen[$t]+x}" ]; then
        echo "FAIL listed in round-trip-expected.txt but not imported: $t"
        failures=$((failures + 1))
    fi
done
echo "$checked topologies in sync with their own output, $imported imported back," \
    "${#expected[@]} with expected differences, $failures failures"
[ "$checked" -gt 20 ] && [ "$imported" -gt 20 ] && [ "$generated" -eq 32 ] && [ "$shared" -gt 0 ] &&
    [ "$failures" -eq 0 ]
