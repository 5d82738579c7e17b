#!/usr/bin/env bash
# Before/after figures for a hot-path change: routed tool calls through two gateway binaries, alternating
# runs on the same machine, with the Node.js reference beside them. Prints one JSON line per run.
#   bench/compare.sh BEFORE_BINARY AFTER_BINARY [ROUNDS]   (run bench/run.sh --smoke once first to build)
# IN_FLIGHT (default "1 8 64") and DEFLATE (default "0 1"; 2 is the generator's control: plain editors as
# slow as deflating ones) narrow the runs; with ESTRAGON_SRC set (see
# bench/run.sh) the original server's row runs beside the Node.js reference.
set -euo pipefail
cd "$(dirname "$0")/.."
before=$1 after=$2 rounds=${3:-2}
generator=bench/.build/release/GatewayBench
[ -x "$generator" ] || { echo "build the generator first: bench/run.sh --smoke" >&2; exit 1; }
export NODE_PATH=${NODE_PATH:+$NODE_PATH:}/usr/share/nodejs
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
run() {  # label, deflate, in flight, server and its arguments...
    local label=$1 deflate=$2 inflight=$3 server=$4
    shift 4
    local port args=()
    port=$(free_port)
    for option in "$@" --port "$port"; do args+=(--server-arg "$option"); done
    local flag=$deflate
    [ "$deflate" = 2 ] && flag=control
    printf '{"label":"%s","deflate":%s,"result":%s}\n' "$label" "$deflate" \
        "$("$generator" mcp --server "$server" "${args[@]}" --port "$port" --editors 1 --in-flight "$inflight" \
            --calls 20000 --deflate "$flag")"
}
for _ in $(seq "$rounds"); do
    for inflight in ${IN_FLIGHT:-1 8 64}; do
        for deflate in ${DEFLATE:-0 1}; do
            for side in before after; do
                binary=$before; [ "$side" = after ] && binary=$after
                run "$side" "$deflate" "$inflight" "$binary" --log-level warning --rate-limit 1000000 --max-commands-in-flight 1000
            done
        done
        run "reference (Node.js + ws)" 0 "$inflight" "$(command -v node)" bench/reference/server.js
        if [ -n "${ESTRAGON_SRC:-}" ]; then
            run "original (estragon websocket-manager.js)" 0 "$inflight" "$(command -v node)" bench/reference/original.mjs
        fi
    done
done
