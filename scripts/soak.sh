#!/usr/bin/env bash
# Bounded soak (loopback only): the release dashboard in a pty polls 1,000
# sandbox instances with 5 % mixed faults for MINUTES (default 10); prints
# RSS at minute 1 and at the end, rows stuck "checking", key latency p99.
# Usage: scripts/soak.sh [MINUTES]
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=${1:-10}
case "$MINUTES" in ''|*[!0-9]*) echo "usage: $0 [MINUTES]" >&2; exit 64;; esac
WADASH_SOAK_MINUTES=$MINUTES exec cargo bench --bench soak
