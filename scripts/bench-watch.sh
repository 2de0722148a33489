#!/usr/bin/env bash
# Benchmark of `wadash watch` (issue 10's figures): 10,000 sandbox instances
# at 20 ms injected latency, concurrency 64, interval 1 s (so the cap, not
# the interval, sets the pace). Prints the achieved cycle against the floor
# N×L÷C = 10,000 × 20 ms ÷ 64 = 3.125 s, CPU % of one core, peak RSS, and
# the /metrics scrape time and size.
#
# Usage: scripts/bench-watch.sh [SECONDS]   (default 40: 15 s warm-up, then measured)
# Needs: cargo, curl, jq, GNU time (/usr/bin/time); missing ones are installed with apt-get.
set -euo pipefail

INSTANCES=${INSTANCES:-10000}
LATENCY_MS=20
CONCURRENCY=64
SECONDS_TOTAL=${1:-40}
WARMUP=15
KEY=bench-key

cd "$(dirname "$0")/.."

scripts/lib/ensure-debs.sh curl jq time

echo "building the release binary (slow on small machines)…" >&2
cargo build --release --bin wadash >&2
BIN=target/release/wadash

# Under target/: some machines sweep /tmp while a long benchmark runs.
WORK=$(mktemp -d -p "$PWD/target" bench-watch.XXXXXX)
SANDBOX_PID=
TIME_PID=
cleanup() {
    for pid in $TIME_PID $SANDBOX_PID; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

. scripts/lib/start-sandbox.sh
start_sandbox "$BIN" "$WORK/sandbox.log" --instances "$INSTANCES" --latency "$LATENCY_MS" --api-key "$KEY"

CONFIG="$WORK/config.toml"
{
    printf '[[account]]\nname = "bench"\nbase_url = "%s"\napi_key_env = "WADASH_BENCH_KEY"\n\n' "$BASE"
    curl -fsS "$BASE/_sandbox/instances" | jq -r '.[] | "[[instance]]\nid = \"\(.id)\"\nlabel = \"\(.label)\"\ntags = [\(.tags | map("\"" + . + "\"") | join(", "))]\n"'
} >"$CONFIG"
chmod 600 "$CONFIG"

WADASH_BENCH_KEY=$KEY HOME=$WORK /usr/bin/time -v -o "$WORK/time.txt" \
    "$BIN" --config "$CONFIG" watch --interval 1s --concurrency "$CONCURRENCY" \
    --metrics 127.0.0.1:0 2>"$WORK/watch.log" &
TIME_PID=$!
URL=
for _ in $(seq 1 100); do
    URL=$(grep -o 'metrics=http[^ ]*' "$WORK/watch.log" | head -1 | cut -d= -f2 || true)
    [ -n "$URL" ] && break
    sleep 0.1
done
[ -n "$URL" ] || { echo "watch did not start:" >&2; cat "$WORK/watch.log" >&2; exit 2; }
WATCH_PID=$(pgrep -P "$TIME_PID" wadash)

ticks() { awk '{ print $14 + $15 }' "/proc/$WATCH_PID/stat"; }
HZ=$(getconf CLK_TCK)
sleep "$WARMUP"
t0=$(date +%s.%N); c0=$(ticks)
sleep $((SECONDS_TOTAL - WARMUP))
t1=$(date +%s.%N); c1=$(ticks)
CPU=$(awk -v a="$c0" -v b="$c1" -v s="$t0" -v e="$t1" -v hz="$HZ" 'BEGIN { printf "%.1f", (b - a) / hz / (e - s) * 100 }')

# /metrics: ten scrapes while it polls.
printf '' >"$WORK/scrapes.txt"
for _ in $(seq 1 10); do
    curl -fsS -o "$WORK/metrics.txt" -w '%{time_total} %{size_download}\n' "$URL" >>"$WORK/scrapes.txt"
done
SCRAPE_MED=$(awk '{ print $1 * 1000 }' "$WORK/scrapes.txt" | sort -n | awk '{ a[NR] = $1 } END { printf "%.1f", a[int((NR + 1) / 2)] }')
SCRAPE_MAX=$(awk '{ print $1 * 1000 }' "$WORK/scrapes.txt" | sort -n | tail -1)
SIZE=$(tail -1 "$WORK/scrapes.txt" | awk '{ printf "%.2f", $2 / 1048576 }')
SERIES=$(grep -cv '^#' "$WORK/metrics.txt")
CYCLE=$(awk '/^wadash_cycle_seconds / { print $2 }' "$WORK/metrics.txt")
CHECKS=$(awk '/^wadash_checks_total/ { s += $2 } END { print s }' "$WORK/metrics.txt")
ERRORS=$(awk '/^wadash_checks_total.*result="error"/ { s += $2 } END { print s + 0 }' "$WORK/metrics.txt")

kill -TERM "$WATCH_PID"
wait "$TIME_PID" || true
TIME_PID=
RSS_MB=$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$WORK/time.txt")
FLOOR=$(awk -v n="$INSTANCES" -v l="$LATENCY_MS" -v c="$CONCURRENCY" 'BEGIN { printf "%.3f", n * l / 1000 / c }')

echo
echo "instances:        $INSTANCES, latency $LATENCY_MS ms, concurrency $CONCURRENCY, interval 1s, ${SECONDS_TOTAL}s run"
echo "achieved cycle:   ${CYCLE:-none} s (wadash_cycle_seconds; floor N×L÷C = $FLOOR s, ratio $(awk -v a="${CYCLE:-0}" -v f="$FLOOR" 'BEGIN { printf "%.2f", a / f }')x)"
echo "checks:           $CHECKS ($ERRORS errors)"
echo "CPU:              $CPU % of one core (after ${WARMUP}s warm-up)"
echo "peak RSS:         $RSS_MB MB (aim < 40 MB)"
echo "/metrics scrape:  median $SCRAPE_MED ms, max $SCRAPE_MAX ms over 10 (aim < 50 ms); $SIZE MiB, $SERIES samples"
echo "slow-cycle lines: $(grep -c ' cycle_slow ' "$WORK/watch.log" || true) (the interval of 1s cannot be met, as it should say)"
