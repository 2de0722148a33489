#!/usr/bin/env bash
# The QR in real terminal emulators, read back by a QR decoder from a
# screenshot: the dashboard's QR pane (key `c`) and `wadash qr ID`, at 80×24,
# in kitty, lxterminal (VTE), xterm -ti vt340 (sixel), mlterm (sixel) and
# plain xterm, under Xvfb, with every font that holds the sextant block
# (U+1FB00–U+1FB3B) hidden, as on the usual desktop.
#
# Usage: scripts/terminal-qr.sh [WADASH_BINARY]
#   CASES="kitty:dash xterm:qr" limits the run (terminal:face pairs).
#
# Prints a matrix (terminal × face: scanned / advice / FAILED, seconds from
# the key or the command to the code on screen) and exits 1 if a required
# case fails. Each case is bounded (CASE_TIMEOUT s); every process started
# here is stopped on exit. Needs root (or sudo) to install the Debian
# packages the first time, through scripts/lib/ensure-debs.sh.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WADASH=${1:-${WADASH:-$ROOT/target/debug/wadash}}
CASE_TIMEOUT=${CASE_TIMEOUT:-25}
[ -x "$WADASH" ] || { echo "terminal-qr: no wadash binary at $WADASH (cargo build first)" >&2; exit 2; }

"$ROOT/scripts/lib/ensure-debs.sh" xvfb xterm kitty mlterm lxterminal xdotool imagemagick \
    zbar-tools fonts-dejavu-core x11-utils libgl1-mesa-dri dbus-x11 curl

WORK=$(mktemp -d "${TMPDIR:-/tmp}/wadash-terminal-qr.XXXXXX")
PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]}"; do
        kill -TERM -- "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null || true
    done
    sleep 0.3
    for p in "${PIDS[@]}"; do
        kill -KILL -- "-$p" 2>/dev/null || kill -KILL "$p" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

# Start "$@" in its own process group (so the whole tree can be stopped).
spawn() {
    setsid "$@" >>"$WORK/spawn.log" 2>&1 &
    PIDS+=("$!")
    LAST_PID=$!
}
stop_last() {
    kill -TERM -- "-$LAST_PID" 2>/dev/null || true
    sleep 0.3
    kill -KILL -- "-$LAST_PID" 2>/dev/null || true
}

# --- the usual desktop's fonts: none with sextants -------------------------
# A private fontconfig file: the system's configuration plus a rejectfont
# for every font file that holds U+1FB00.
mkdir -p "$WORK/fontconfig" "$WORK/cache"
{
    echo '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
    echo '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
    echo "<cachedir>$WORK/cache</cachedir><selectfont><rejectfont>"
    fc-list ':charset=1fb00' file | sed 's/: *$//' | while read -r f; do
        [ -n "$f" ] && echo "<glob>$f</glob>"
    done
    echo '</rejectfont></selectfont></fontconfig>'
} >"$WORK/fontconfig/fonts.conf"
export FONTCONFIG_FILE="$WORK/fontconfig/fonts.conf"
if [ -n "$(fc-list ':charset=1fb00' file)" ]; then
    echo "terminal-qr: could not hide the fonts holding sextants:" >&2
    fc-list ':charset=1fb00' file >&2
    exit 1
fi
HIDDEN=$(grep -c '<glob>' "$FONTCONFIG_FILE" || true)

# --- X server and sandbox --------------------------------------------------
DISPLAY_NUM=$((100 + RANDOM % 300))
export DISPLAY=":$DISPLAY_NUM"
spawn Xvfb "$DISPLAY" -screen 0 1280x1024x24 -nolisten tcp -nolisten unix -listen local 2>/dev/null \
    || spawn Xvfb "$DISPLAY" -screen 0 1280x1024x24 -nolisten tcp
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
xdpyinfo >/dev/null 2>&1 || { echo "terminal-qr: Xvfb did not start on $DISPLAY" >&2; exit 1; }

PORT=$((20000 + RANDOM % 20000))
KEY=terminal-qr-key
spawn "$WADASH" sandbox --listen "127.0.0.1:$PORT" --instances 3 --active-ratio 0 --qr-longest \
    --api-key "$KEY" --qr-rotate 10m
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 100); do curl -fsS "$BASE/_sandbox/instances" >/dev/null 2>&1 && break; sleep 0.1; done
ID=$(curl -fsS "$BASE/_sandbox/instances" | grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4)
[ -n "$ID" ] || { echo "terminal-qr: the sandbox did not start on $BASE" >&2; exit 1; }
pairing() { curl -fsS "$BASE/_sandbox/instances/$ID" | grep -o '"qr_text":"[^"]*"' | cut -d'"' -f4; }

export WADASH_API_KEY=$KEY XDG_STATE_HOME="$WORK/state" XDG_CONFIG_HOME="$WORK/config" LANG=C.UTF-8
export LIBGL_ALWAYS_SOFTWARE=1 # kitty needs OpenGL 3.3: Mesa's llvmpipe under Xvfb
FONT="DejaVu Sans Mono"

# The terminal's command line (in TCMD) for "$1" (terminal) running the
# shell line "$2" in a window titled "$3".
terminal_cmd() {
    local term=$1 line=$2 title=$3
    case $term in
        kitty) TCMD=(kitty --config NONE -o "font_family=$FONT" -o font_size=11
            -o initial_window_width=80c -o initial_window_height=24c -o remember_window_size=no
            -o window_padding_width=0 -o placement_strategy=top-left -T "$title" sh -c "$line") ;;
        lxterminal) TCMD=(lxterminal --no-remote --geometry=80x24 -t "$title" -e "sh -c '$line'") ;;
        xterm-vt340) TCMD=(xterm -ti vt340 -fa "$FONT" -fs 11 -geometry 80x24 -T "$title"
            -xrm 'XTerm*sixelScrolling: true' -e sh -c "$line") ;;
        xterm) TCMD=(xterm -fa "$FONT" -fs 11 -geometry 80x24 -T "$title" -e sh -c "$line") ;;
        mlterm) TCMD=(mlterm -g 80x24 -w 14 -T "$title" -e sh -c "$line") ;;
    esac
}

# The dashboard logged that the QR pane shows the advice (no code).
advice_shown() {
    grep -q "qr pane drawing: advice" "$XDG_STATE_HOME/wadash/wadash.log" 2>/dev/null
}

# Run one case; prints "result seconds detail".
run_case() {
    local term=$1 face=$2 title="wqr-$1-$2" line wid t0 t1 got want
    local common="--base-url $BASE --instance $ID --lang en"
    case $face in
        dash) line="exec $WADASH $common" ;;
        # Through script(1) (same pty size): what it printed is kept to check.
        qr) line="script -qfec \"$WADASH qr $ID $common\" $WORK/$title.txt; sleep 120" ;;
    esac
    terminal_cmd "$term" "$line" "$title"
    local attempt pid
    wid=""
    for attempt in 1 2; do
        spawn "${TCMD[@]}"
        pid=$LAST_PID
        for _ in $(seq 100); do
            wid=$(xdotool search --name "^$title\$" 2>/dev/null | head -1 || true)
            [ -n "$wid" ] && break
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        [ -n "$wid" ] && break
        stop_last
    done
    if [ -z "$wid" ]; then
        stop_last
        echo "FAILED - the terminal did not open a window ($(tail -c 300 "$WORK/spawn.log" | tr '\n' ' '))"
        return
    fi
    xdotool windowmove "$wid" 0 0 windowfocus --sync "$wid" 2>/dev/null || true
    sleep 1.5 # the dashboard's first frame and probe
    t0=$(date +%s.%N)
    # XTEST to the focused window (xterm ignores synthetic XSendEvent keys).
    if [ "$face" = dash ]; then xdotool key c; fi
    want=$(pairing)
    got=""
    local deadline=$(( $(date +%s) + CASE_TIMEOUT ))
    local pressed_again=""
    while [ "$(date +%s)" -lt "$deadline" ]; do
        # Without a window manager the first key can go to a window not yet
        # focused: if the pane has not drawn after 2 s, focus and press again
        # (the time still counts from the first press).
        if [ "$face" = dash ] && [ -z "$pressed_again" ] && [ "$(date +%s)" -ge $((deadline - CASE_TIMEOUT + 3)) ] \
            && ! grep -q "qr pane drawing" "$XDG_STATE_HOME/wadash/wadash.log" 2>/dev/null; then
            xdotool windowfocus --sync "$wid" 2>/dev/null || true
            xdotool key c
            pressed_again=1
        fi
        import -window root "$WORK/shot.png" 2>/dev/null || true
        got=$(zbarimg -q --raw "$WORK/shot.png" 2>/dev/null | head -1 || true)
        [ -n "$got" ] && break
        # Where no drawing can scan, the advice is the right answer: once the
        # pane says so, give the screen a few seconds to prove it has no code.
        if [ "$term" = xterm ] && [ "$face" = qr ] && grep -q "enlarge the terminal" "$WORK/$title.txt" 2>/dev/null \
            && [ "$(date +%s)" -ge $((deadline - CASE_TIMEOUT + 4)) ]; then
            break
        fi
        if [ "$term" = xterm ] && [ "$face" = dash ] && advice_shown \
            && [ "$(date +%s)" -ge $((deadline - CASE_TIMEOUT + 6)) ]; then
            break
        fi
        sleep 0.2
    done
    t1=$(date +%s.%N)
    cp "$WORK/shot.png" "$WORK/last-$title.png" 2>/dev/null || true
    [ -n "${KEEP_SHOTS:-}" ] && cp "$WORK/shot.png" "$KEEP_SHOTS/$title.png" 2>/dev/null || true
    local secs
    secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
    local detected
    detected=$(grep -o 'terminal identified.*' "$XDG_STATE_HOME/wadash/wadash.log" 2>/dev/null | tail -1 | cut -c1-160 || true)
    if [ -n "$got" ] && [ "$got" = "$want" ]; then
        echo "scanned $secs $detected"
    elif [ -n "$got" ]; then
        echo "FAILED $secs decoded '$got', expected '$want'"
    elif [ "$term" = xterm ] && [ "$face" = dash ] && advice_shown; then
        echo "advice $secs no code on screen; $(grep -o 'qr pane drawing: .*' "$XDG_STATE_HOME/wadash/wadash.log" | tail -1)"
    elif [ "$term" = xterm ] && [ "$face" = qr ] && grep -q "enlarge the terminal to at least" "$WORK/$title.txt" \
        && ! grep -q '▀▀▀' "$WORK/$title.txt"; then
        echo "advice $secs $(grep -o 'enlarge the terminal to at least[^;]*' "$WORK/$title.txt" | head -1)"
    else
        echo "FAILED $secs nothing decoded within ${CASE_TIMEOUT}s $detected"
    fi
    stop_last
    : >"$XDG_STATE_HOME/wadash/wadash.log" 2>/dev/null || true
}

CASES=${CASES:-"kitty:dash kitty:qr lxterminal:dash lxterminal:qr xterm-vt340:dash xterm-vt340:qr mlterm:dash mlterm:qr xterm:dash xterm:qr"}
# Required to scan at 80×24; plain xterm must show the advice (no code).
declare -A EXPECT=([kitty]=scanned [lxterminal]=scanned [xterm-vt340]=scanned [mlterm]=scanned [xterm]=advice)

printf 'wadash QR in real terminals at 80×24 (Xvfb %s, %s sextant font(s) hidden, sandbox %s)\n' \
    "$DISPLAY" "$HIDDEN" "$BASE"
printf '%-12s %-5s %-8s %7s  %s\n' terminal face result seconds detail
failed=0
for case in $CASES; do
    term=${case%%:*}
    face=${case##*:}
    out=$(run_case "$term" "$face")
    result=${out%% *}
    rest=${out#* }
    secs=${rest%% *}
    detail=${rest#* }
    printf '%-12s %-5s %-8s %7s  %s\n' "$term" "$face" "$result" "$secs" "$detail"
    if [ "$result" != "${EXPECT[$term]}" ]; then
        # `wadash qr` in plain xterm may legitimately not fit; only the
        # required terminals and the advice case are enforced.
        failed=1
    fi
done
exit $failed
