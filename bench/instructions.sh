#!/usr/bin/env bash
# User-space instructions per routed call of the gateway process, under callgrind: figures that do not move
# with the machine's load, for before/after comparisons of hot-path changes (timing stays in bench/run.sh).
#   bench/instructions.sh GATEWAY_BINARY [IN_FLIGHT (16)] [DEFLATE 0|1 (0)]
# It runs the bench generator twice (1,250 and 6,000 calls, one editor) and divides the difference by the
# difference in calls handled, so start-up and warm-up cancel out. The generator warms up with
# min(1000, calls / 4) calls first: 1,562 and 7,000 calls in all, 5,438 apart.
# Needs valgrind and the generator (bench/run.sh --smoke builds it).
set -euo pipefail
cd "$(dirname "$0")/.."
binary=$1 inflight=${2:-16} deflate=${3:-0}
generator=bench/.build/release/GatewayBench
[ -x "$generator" ] || { echo "build the generator first: bench/run.sh --smoke" >&2; exit 1; }
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
total() {  # calls -> instructions of the whole gateway process
    local calls=$1 port
    port=$(free_port)
    local args=()
    for option in --tool=callgrind "--callgrind-out-file=$work/$calls.out" "$binary" --port "$port" \
        --log-level warning --rate-limit 1000000 --max-commands-in-flight 1000; do
        args+=(--server-arg "$option")
    done
    GODOT_MCP_TOKEN=bench-token-0123456789abcdef "$generator" mcp --server "$(command -v valgrind)" "${args[@]}" \
        --port "$port" --token bench-token-0123456789abcdef --editors 1 --in-flight "$inflight" --calls "$calls" \
        --deflate "$deflate" > /dev/null
    awk '/^(summary|totals):/ { print $2; exit }' "$work/$calls.out"
}
small=$(total 1250)
large=$(total 6000)
echo "$(basename "$binary") in_flight=$inflight deflate=$deflate instructions_per_call=$(( (large - small) / 5438 ))"
