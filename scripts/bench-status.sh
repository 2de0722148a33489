#!/usr/bin/env bash
# Benchmark of `wadash status --json` over 1,000 sandbox instances with 20 ms
# injected latency at concurrency 64 (issue 2's figures). Prints wall time,
# the floor ceil(1000/64) × 20 ms = 320 ms, their ratio, and peak RSS.
#
# Usage: scripts/bench-status.sh [RUNS]      (default 3 runs; figures of each + median)
# Needs: cargo, curl, jq, GNU time (/usr/bin/time); missing ones are installed with apt-get.
set -euo pipefail

INSTANCES=1000
LATENCY_MS=20
CONCURRENCY=64
RUNS=${1:-3}
KEY=bench-key

cd "$(dirname "$0")/.."

scripts/lib/ensure-debs.sh curl jq time

echo "building the release binary (slow on small machines)…" >&2
cargo build --release --bin wadash >&2
BIN=target/release/wadash

WORK=$(mktemp -d)
SANDBOX_PID=
cleanup() {
    if [ -n "$SANDBOX_PID" ]; then kill "$SANDBOX_PID" 2>/dev/null || true; wait "$SANDBOX_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

. scripts/lib/start-sandbox.sh
start_sandbox "$BIN" "$WORK/sandbox.log" --instances "$INSTANCES" --latency "$LATENCY_MS" --api-key "$KEY"

# A config with the 1,000 instances (what a real user would have).
CONFIG="$WORK/config.toml"
{
    printf '[[account]]\nname = "bench"\nbase_url = "%s"\napi_key = "%s"\n\n' "$BASE" "$KEY"
    curl -fsS "$BASE/_sandbox/instances" | jq -r '.[] | "[[instance]]\nid = \"\(.id)\"\nlabel = \"\(.label)\"\n"'
} >"$CONFIG"
chmod 600 "$CONFIG"

FLOOR_MS=$(( (INSTANCES + CONCURRENCY - 1) / CONCURRENCY * LATENCY_MS ))
walls=()
printf '%-4s  %10s  %8s  %8s  %s\n' run wall_ms ratio rss_mb rows/errors
for run in $(seq 1 "$RUNS"); do
    set +e
    /usr/bin/time -v "$BIN" --config "$CONFIG" status --json --concurrency "$CONCURRENCY" \
        >"$WORK/out.json" 2>"$WORK/time.txt"
    code=$?
    set -e
    if [ "$code" -ge 2 ]; then
        echo "status failed (exit $code):" >&2; tail -5 "$WORK/time.txt" >&2; exit 2
    fi
    # "Elapsed (wall clock) time (h:mm:ss or m:ss): 0:00.41"
    wall_ms=$(awk -F': ' '/Elapsed \(wall clock\)/ {
        n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%d", s * 1000 + 0.5 }' "$WORK/time.txt")
    rss_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$WORK/time.txt")
    rows=$(jq length "$WORK/out.json")
    errors=$(jq '[.[] | select(.status == "error")] | length' "$WORK/out.json")
    ratio=$(awk -v w="$wall_ms" -v f="$FLOOR_MS" 'BEGIN { printf "%.2f", w / f }')
    rss_mb=$(awk -v k="$rss_kb" 'BEGIN { printf "%.1f", k / 1024 }')
    printf '%-4s  %10s  %8s  %8s  %s/%s\n' "$run" "$wall_ms" "${ratio}x" "$rss_mb" "$rows" "$errors"
    walls+=("$wall_ms")
done

median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
echo
echo "instances:   $INSTANCES, latency ${LATENCY_MS} ms, concurrency $CONCURRENCY"
echo "floor:       ceil($INSTANCES/$CONCURRENCY) x $LATENCY_MS ms = $FLOOR_MS ms"
echo "median wall: $median ms ($(awk -v w="$median" -v f="$FLOOR_MS" 'BEGIN { printf "%.2f", w / f }')x the floor; aim <= 1.5x)"
echo "peak RSS:    see rss_mb above (aim < 30 MB)"
