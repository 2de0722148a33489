#!/usr/bin/env bash
# Installs Debian packages that a test needs, only when one is missing.
#
# Usage: scripts/lib/ensure-debs.sh PACKAGE…
#
# Several test binaries may call this at once (cargo runs them in parallel), so
# the whole check-and-install runs under one lock, and apt waits for dpkg's own
# lock instead of failing. Without root (and without passwordless sudo) it says
# exactly what to install and exits 1: a test that needs the package then fails
# with that message rather than skipping.
set -euo pipefail

[ "$#" -gt 0 ] || { echo "usage: $0 PACKAGE…" >&2; exit 64; }

missing() {
    local p out=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || out+=("$p")
    done
    echo "${out[@]:-}"
}

LOCK=${TMPDIR:-/tmp}/wadash-ensure-debs.lock
exec 9>"$LOCK"
flock -w 900 9 || { echo "ensure-debs: another install held $LOCK for 15 min" >&2; exit 1; }

# shellcheck disable=SC2207
todo=($(missing "$@"))
[ "${#todo[@]}" -eq 0 ] && exit 0

sudo=()
if [ "$(id -u)" != 0 ]; then
    if sudo -n true 2>/dev/null; then
        sudo=(sudo -n)
    else
        echo "ensure-debs: these Debian packages are needed and missing: ${todo[*]}" >&2
        echo "ensure-debs: run as root, or: sudo apt-get install -y ${todo[*]}" >&2
        exit 1
    fi
fi

echo "ensure-debs: installing ${todo[*]}…" >&2
export DEBIAN_FRONTEND=noninteractive
apt_opts=(-o DPkg::Lock::Timeout=600 -o Dpkg::Use-Pty=0 -q)
# An old or empty package list finds nothing: refresh it once per boot.
STAMP=${TMPDIR:-/tmp}/wadash-apt-updated
if [ ! -e "$STAMP" ] || ! "${sudo[@]}" apt-get "${apt_opts[@]}" install -y --no-install-recommends "${todo[@]}" >/tmp/wadash-apt.log 2>&1; then
    "${sudo[@]}" apt-get "${apt_opts[@]}" update >/tmp/wadash-apt.log 2>&1 || { cat /tmp/wadash-apt.log >&2; exit 1; }
    touch "$STAMP"
    "${sudo[@]}" apt-get "${apt_opts[@]}" install -y --no-install-recommends "${todo[@]}" >>/tmp/wadash-apt.log 2>&1 \
        || { tail -30 /tmp/wadash-apt.log >&2; echo "ensure-debs: apt-get install ${todo[*]} failed" >&2; exit 1; }
fi
# shellcheck disable=SC2207
still=($(missing "$@"))
[ "${#still[@]}" -eq 0 ] || { echo "ensure-debs: still missing after install: ${still[*]}" >&2; exit 1; }
echo "ensure-debs: installed ${todo[*]}" >&2
