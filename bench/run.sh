#!/usr/bin/env bash
# Benchmarks the gateway side by side with its limit and its reference, in one run on one machine:
#   - gateway:   MCP host -> godot-mcp-gateway (stdio) -> fake editors (WebSocket) and back
#   - reference: the same through the original Node.js design (bench/reference/server.js, node-ws)
#   - limit:     the same command-sized messages through a bare libwebsockets echo server
#   - ceiling:   the generator against a trivial stdio responder (what the load generator itself allows)
# with 1, 8 and 64 calls in flight. Prints a table, writes bench/results/latest.json.
#   bench/run.sh            full run (about a minute)
#   bench/run.sh --smoke    small counts: checks the harness works; never judges the figures
set -euo pipefail
cd "$(dirname "$0")/.."
calls=20000
[ "${1:-}" = "--smoke" ] && calls=300

say() { printf '==> %s\n' "$*" >&2; }
missing=()
dpkg-query -W -f='${Status}' node-ws 2>/dev/null | grep -q "install ok installed" || missing+=(node-ws)
command -v node >/dev/null || missing+=(nodejs)
command -v cc >/dev/null || missing+=(gcc)
if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]} (the reference runs on Node.js with Debian's ws)"
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
fi
export NODE_PATH=/usr/share/nodejs

say "building (release): gateway, load generator, limit programs"
swift build -c release >&2
gateway="$(swift build -c release --show-bin-path)/godot-mcp-gateway"
(cd bench && swift build -c release >&2)
generator="bench/.build/release/GatewayBench"
tools=bench/.build/tools
mkdir -p "$tools" bench/results
cc -O2 -o "$tools/lws_echo" bench/limit/lws_echo.c -lwebsockets
cc -O2 -o "$tools/stdio_responder" bench/limit/stdio_responder.c

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
results=$(mktemp)
record() {  # label, editors, then the generator's arguments
    local label=$1 editors=$2
    shift 2
    printf '{"label":"%s","editors":%s,"result":%s}\n' "$label" "$editors" "$("$generator" "$@")" >> "$results"
}

for inflight in 1 8 64; do
    say "$inflight in flight"
    record "ceiling (generator + pipes)" 0 stdio --server "$tools/stdio_responder" --in-flight "$inflight" --calls "$calls"
    port=$(free_port)
    "$tools/lws_echo" "$port" & echo_pid=$!
    sleep 0.3
    record "limit (bare lws echo)" 0 echo --port "$port" --in-flight "$inflight" --calls "$calls"
    kill "$echo_pid"; wait "$echo_pid" 2>/dev/null || true
    for editors in 1 4; do
        port=$(free_port)
        record "gateway" "$editors" mcp --server "$gateway" --server-arg --port --server-arg "$port" \
            --server-arg --rate-limit --server-arg 1000000 --server-arg --max-commands-in-flight --server-arg 1000 \
            --server-arg --log-level --server-arg warning --port "$port" --editors "$editors" --in-flight "$inflight" --calls "$calls"
        port=$(free_port)
        record "reference (Node.js + ws)" "$editors" mcp --server "$(command -v node)" --server-arg bench/reference/server.js \
            --server-arg --port --server-arg "$port" --port "$port" --editors "$editors" --in-flight "$inflight" --calls "$calls"
    done
done

say "large results (one call at a time, no compression: the gateway does not negotiate permessage-deflate yet)"
sizes="1 8 32"; repeats=3
[ "$calls" -lt 1000 ] && sizes="1" && repeats=1
for mib in $sizes; do
    bytes=$((mib * 1024 * 1024))
    port=$(free_port)
    record "gateway, ${mib} MiB result" 1 mcp --server "$gateway" --server-arg --port --server-arg "$port" \
        --server-arg --max-message-size --server-arg $((bytes * 2)) --server-arg --log-level --server-arg warning \
        --port "$port" --editors 1 --in-flight 1 --calls "$repeats" --result-bytes "$bytes"
    port=$(free_port)
    record "reference, ${mib} MiB result" 1 mcp --server "$(command -v node)" --server-arg bench/reference/server.js \
        --server-arg --port --server-arg "$port" --port "$port" --editors 1 --in-flight 1 --calls "$repeats" --result-bytes "$bytes"
done

python3 - "$results" bench/results/latest.json <<'TABLE'
import json, platform, os, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
by = {(r["label"], r["editors"], r["result"]["inFlight"]): r["result"] for r in rows}
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
machine = f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"
print(f"\nRouted tool calls, {rows[0]['result']['calls']} per row, on {machine}\n")
print("| path | editors | in flight | calls/s | p50 µs | p99 µs | p99.9 µs | vs limit | vs reference |")
print("|---|---|---|---|---|---|---|---|---|")
large = [r for r in rows if "MiB result" in r["label"]]
rows = [r for r in rows if "MiB result" not in r["label"]]
for r in rows:
    res = r["result"]
    limit = by.get(("limit (bare lws echo)", 0, res["inFlight"]))
    reference = by.get(("reference (Node.js + ws)", r["editors"], res["inFlight"]))
    vs_limit = f"{res['callsPerSecond'] / limit['callsPerSecond']:.2f}" if limit and r["label"] == "gateway" else ""
    vs_ref = f"{res['callsPerSecond'] / reference['callsPerSecond']:.2f}" if reference and r["label"] == "gateway" else ""
    print(f"| {r['label']} | {r['editors'] or '-'} | {res['inFlight']} | {res['callsPerSecond']:,.0f} | {res['p50us']:.0f} | "
          f"{res['p99us']:.0f} | {res['p999us']:.0f} | {vs_limit} | {vs_ref} |")
print("\n| path | result | ms per call (p50) | MB/s |\n|---|---|---|---|")
for r in large:
    res = r["result"]
    mib = int(r["label"].split(", ")[1].split()[0])
    print(f"| {r['label'].split(',')[0]} | {mib} MiB | {res['p50us'] / 1000:.1f} | {mib * 1.048576 / (res['p50us'] / 1e6):,.0f} |")
json.dump({"machine": machine, "rows": rows, "large": large}, open(sys.argv[2], "w"), indent=1)
print(f"\nwritten to {sys.argv[2]}")
TABLE
rm -f "$results"
