#!/usr/bin/env bash
# Staleness of healthy rows while 30 % of the servers hang: the dashboard (in
# a tmux pty) polls 200 sandbox instances at --interval 3s, --concurrency 16;
# the sandbox hangs every request of a fixed 30 % of the instances (fault
# `hang`, per instance; the client times out after its 15 s default). From
# the sandbox's request log, for every healthy instance: the gaps between
# its checks (how stale its row got), and the wait from the start to its
# first check (the first sweep, before any hung check has timed out).
# Prints p50/p95/max of both and the dashboard's header line at the end
# (slow-server count).
#
# Usage: scripts/fairness.sh [SECONDS]   (default 90)
#        BIN=/path/to/other/wadash scripts/fairness.sh   (compare a build)
# Loopback only; every process it starts is stopped on exit.
set -euo pipefail

SECS=${1:-90}
INSTANCES=200
KEY=fairness-key-0123456789
cd "$(dirname "$0")/.."
for deb in curl jq tmux; do
    command -v "$deb" >/dev/null || scripts/lib/ensure-debs.sh "$deb"
done
[ -n "${BIN:-}" ] || { cargo build --bin wadash >&2; BIN=target/debug/wadash; }
SANDBOX_BIN=${SANDBOX_BIN:-target/debug/wadash}

WORK=$(mktemp -d)
SESSION=harden-fairness-$$
SANDBOX_PID=
cleanup() {
    tmux kill-session -t "$SESSION" 2>/dev/null || true
    if [ -n "$SANDBOX_PID" ]; then kill "$SANDBOX_PID" 2>/dev/null || true; wait "$SANDBOX_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

. scripts/lib/start-sandbox.sh
start_sandbox "$SANDBOX_BIN" "$WORK/sandbox.out" --api-key "$KEY" --instances "$INSTANCES"
URL=$BASE

curl -fsS -X POST "$URL/_sandbox/faults" -H 'content-type: application/json' \
    -d '{"rate":0.3,"fault":"hang","per_instance":true}' >/dev/null
{
    printf '[[account]]\nname = "fair"\nbase_url = "%s"\napi_key = "%s"\n' "$URL" "$KEY"
    curl -fsS "$URL/_sandbox/instances" | jq -r '.[].id' | sed 's/.*/\n[[instance]]\nid = "&"/'
} >"$WORK/config.toml"
chmod 600 "$WORK/config.toml"
curl -fsS -X DELETE "$URL/_sandbox/requests" >/dev/null

tmux new-session -d -s "$SESSION" -x 120 -y 40 \
    "HOME=$WORK XDG_STATE_HOME=$WORK/state $BIN --config $WORK/config.toml --interval 3s --concurrency 16 --lang en"
START_OF_DAY=$(date -u +%H:%M:%S.%N)
sleep "$SECS"
HEADER=$(tmux capture-pane -p -t "$SESSION" | head -1)
END=$(date +%s.%N)
tmux kill-session -t "$SESSION"

# Seconds of the day (the run never spans midnight by much; a wrap is dropped).
curl -fsS "$URL/_sandbox/requests" | jq -r '.[] | select(.path | endswith("/status")) |
    "\(.instance) \(.fault // "none") \(.time)"' >"$WORK/log"
awk -v total="$INSTANCES" -v summary="$WORK/summary" -v firsts="$WORK/firsts" -v start="$START_OF_DAY" '
    function secs(t,   hms) { split(substr(t, 12, 12), hms, ":"); return hms[1]*3600 + hms[2]*60 + hms[3] }
    BEGIN { split(start, s0, ":"); t0 = s0[1]*3600 + s0[2]*60 + s0[3] }
    { t = secs($3); seen[$1] = 1; if ($2 != "none") { hung[$1] = 1; next }
      if ($1 in last) { gap = t - last[$1]; if (gap >= 0) print gap }
      else if (t >= t0) print t - t0 > firsts
      last[$1] = t; if (t > end) end = t }
    END {
      healthy = 0; for (i in last) if (!(i in hung)) healthy++
      nh = 0; for (i in hung) nh++
      ns = 0; for (i in seen) ns++
      # The time from each healthy row'"'"'s last check to the end counts too.
      for (i in last) if (!(i in hung)) print end - last[i]
      printf "instances: %d, checked at least once: %d (healthy %d, hung %d)\n", total, ns, healthy, nh > summary
    }' "$WORK/log" | sort -n >"$WORK/gaps"
sort -n "$WORK/firsts" -o "$WORK/firsts"
# pick FILE PERCENT: that percentile of a sorted file of numbers.
pick() { local n; n=$(wc -l <"$1"); sed -n "$(( ($2 * n + 99) / 100 ))p" "$1"; }
cat "$WORK/summary"
printf 'healthy rows, gap between checks over %s s (%s gaps): p50 %s s, p95 %s s, max %s s (interval 3 s)\n' \
    "$SECS" "$(wc -l <"$WORK/gaps")" "$(pick "$WORK/gaps" 50)" "$(pick "$WORK/gaps" 95)" "$(tail -1 "$WORK/gaps")"
printf 'healthy rows, wait for the first check (%s rows): p50 %s s, p95 %s s, max %s s\n' \
    "$(wc -l <"$WORK/firsts")" "$(pick "$WORK/firsts" 50)" "$(pick "$WORK/firsts" 95)" "$(tail -1 "$WORK/firsts")"
echo "header at the end: $HEADER"
