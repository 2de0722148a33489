#!/usr/bin/env bash
# Makes `prometheus` and `promtool` available for the real-Prometheus test,
# from Debian's `prometheus` package, without leaving a system Prometheus
# running (its postinst would start one on :9090, which then scrapes
# nothing of ours and collides with anyone else's Prometheus).
#
# Usage: scripts/lib/ensure-prometheus.sh
#
# How: a policy-rc.d that forbids service starts is put in place for the
# install (unless one already exists, as in most containers), and whatever
# service the package still managed to start is stopped and disabled
# afterwards. The install itself is scripts/lib/ensure-debs.sh (locks, apt
# update once, a clear error without root).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)

have() { command -v prometheus >/dev/null && command -v promtool >/dev/null; }
have && exit 0

# Our own lock (ensure-debs.sh holds its own inside): two tests must not both
# add and remove the policy file.
LOCK=${TMPDIR:-/tmp}/wadash-ensure-prometheus.lock
exec 8>"$LOCK"
flock -w 900 8 || { echo "ensure-prometheus: $LOCK held for 15 min" >&2; exit 1; }
have && exit 0

POLICY=/usr/sbin/policy-rc.d
created_policy=
if [ ! -e "$POLICY" ] && [ -w "$(dirname "$POLICY")" ]; then
    printf '#!/bin/sh\n# wadash: no service starts while packages install\nexit 101\n' >"$POLICY"
    chmod 755 "$POLICY"
    created_policy=1
fi
cleanup() { [ -z "$created_policy" ] || rm -f "$POLICY"; }
trap cleanup EXIT

"$here/ensure-debs.sh" prometheus

# Belt and braces: if a service got started anyway (a systemd host that
# ignores policy-rc.d through deb-systemd-invoke), stop and disable it.
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
    systemctl disable --now prometheus.service >/dev/null 2>&1 || true
elif [ -x /etc/init.d/prometheus ] && command -v service >/dev/null; then
    service prometheus stop >/dev/null 2>&1 || true
    command -v update-rc.d >/dev/null && update-rc.d prometheus disable >/dev/null 2>&1 || true
fi

have || { echo "ensure-prometheus: prometheus/promtool still not on PATH after installing" >&2; exit 1; }
