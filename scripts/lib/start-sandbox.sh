# Sourced by the bench and check scripts: start `BIN sandbox ARGS…` on a
# free loopback port (port 0: the sandbox binds it itself, so no race) with
# its output in LOG, and wait for its banner. Sets SANDBOX_PID (for the
# caller's cleanup) and BASE (its URL); exits 2 if it does not start.
# Usage: start_sandbox BIN LOG [sandbox args…]
start_sandbox() {
    local bin=$1 log=$2
    shift 2
    "$bin" sandbox --listen 127.0.0.1:0 "$@" >"$log" 2>&1 &
    SANDBOX_PID=$!
    BASE=
    for _ in $(seq 1 100); do
        BASE=$(sed -n 's/^wadash sandbox listening on \(http:[^ ]*\)$/\1/p' "$log")
        [ -n "$BASE" ] && return 0
        kill -0 "$SANDBOX_PID" 2>/dev/null || break
        sleep 0.1
    done
    echo "the sandbox did not start:" >&2
    cat "$log" >&2
    exit 2
}
