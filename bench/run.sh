#!/usr/bin/env bash
# Benchmarks the gateway side by side with its limit and its references, in one run on one machine:
#   - gateway:   MCP host -> godot-mcp-gateway (stdio) -> fake editors (WebSocket) and back
#   - reference: the same through the original design on Node.js + ws (bench/reference/server.js),
#                and on Python + websockets (bench/reference/server.py)
#   - limit:     two bare libwebsockets programs in C (bench/limit):
#                  lws_relay, the gateway's own path with nothing else in it: JSON-RPC lines on stdin -> one
#                  WebSocket command to the fake editor -> its answer -> a result line on stdout, driven by the
#                  same mcp scenario as the gateway (two pipe hops, two WebSocket hops, three processes);
#                  lws_echo, one WebSocket round trip of a command-sized message (one hop, two processes)
#   - ceiling:   the generator against a trivial stdio responder (what the load generator itself allows)
# with 1, 8 and 64 calls in flight; then 1, 8 and 32 MiB results with and without permessage-deflate;
# then 10,000 idle clients (scale) and 10,000 connecting at once; then Autobahn with the
# permessage-deflate sections 12 and 13.
# Prints tables, writes bench/results/latest.json.
#   bench/run.sh            full run (about ten minutes)
#   bench/run.sh --smoke    small counts, no Autobahn: checks the harness works; never judges the figures
#   bench/run.sh --routed   the routed-call table alone (1, 8, 64 in flight, three rounds; about six minutes): the hot
#                           path's figures
#   ROUNDS=N bench/run.sh ...   runs the routed-call rows N times, interleaved (every row once per round), and
#                           reports each row's median: on a busy or virtual machine one run moves by tens of per cent
#   bench/run.sh --no-autobahn   everything but Autobahn (tests/conformance/autobahn.sh --all runs it alone)
# GATEWAY_BIN=/path/to/godot-mcp-gateway bench/run.sh ...   measures that binary instead of building one (release)
set -euo pipefail
cd "$(dirname "$0")/.."
smoke=false routed_only=false autobahn_run=true
[ "${1:-}" = "--smoke" ] && smoke=true && autobahn_run=false
[ "${1:-}" = "--routed" ] && routed_only=true
[ "${1:-}" = "--no-autobahn" ] && autobahn_run=false
calls=20000 scale_clients=10000
rounds=${ROUNDS:-1}
$routed_only && rounds=${ROUNDS:-3}
$smoke && calls=300 scale_clients=200
presence_editors=999
$smoke && presence_editors=90

say() { printf '==> %s\n' "$*" >&2; }
missing=()
dpkg-query -W -f='${Status}' node-ws 2>/dev/null | grep -q "install ok installed" || missing+=(node-ws)
command -v node >/dev/null || missing+=(nodejs)
command -v cc >/dev/null || missing+=(gcc)
python3 -c 'import ensurepip' 2>/dev/null || missing+=(python3-venv)
# The original server's websocket-manager.js (chris-pws/estragon) runs only from a local copy:
# ESTRAGON_SRC names its src/ folder. Nothing of it is in this repository.
original=false
if [ -n "${ESTRAGON_SRC:-}" ] && [ -f "$ESTRAGON_SRC/websocket-manager.js" ]; then
    original=true
    # uuid may also come from a folder on NODE_PATH (an unpacked node-uuid where apt needs root).
    uuid_on_path=false
    nodepath=${NODE_PATH:-}; for dir in ${nodepath//:/ }; do [ -d "$dir/uuid" ] && uuid_on_path=true; done
    $uuid_on_path || dpkg-query -W -f='${Status}' node-uuid 2>/dev/null | grep -q "install ok installed" || missing+=(node-uuid)
fi
if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]} (the references run on Node.js with Debian's ws, and on Python)"
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
fi
export NODE_PATH=${NODE_PATH:+$NODE_PATH:}/usr/share/nodejs
# The Python reference, scale and Autobahn runs use the test environment (same pinned websockets).
if [ ! -x .venv-test/bin/python ]; then
    say "creating the Python test environment in .venv-test"
    python3 -m venv .venv-test
    .venv-test/bin/python -m pip install -q --disable-pip-version-check -r tests/requirements.txt >&2
fi
python=.venv-test/bin/python

say "building (release): gateway, load generator, limit programs"
if [ -n "${GATEWAY_BIN:-}" ]; then
    gateway=$GATEWAY_BIN
else
    swift build -c release --static-swift-stdlib >&2
    gateway="$(swift build -c release --show-bin-path)/godot-mcp-gateway"
fi
(cd bench && swift build -c release >&2)
generator="bench/.build/release/GatewayBench"
tools=bench/.build/tools
mkdir -p "$tools" bench/results
cc -O2 -o "$tools/lws_echo" bench/limit/lws_echo.c -lwebsockets
cc -O2 -o "$tools/lws_relay" bench/limit/lws_relay.c -lwebsockets
cc -O2 -o "$tools/stdio_responder" bench/limit/stdio_responder.c

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
results=$(mktemp)
record() {  # label, editors, deflate (0/1, 2: the generator's control), then the generator's arguments
    local label=$1 editors=$2 deflate=$3 flag=$3
    shift 3
    [ "$deflate" = 2 ] && flag=control
    printf '{"label":"%s","editors":%s,"deflate":%s,"result":%s}\n' "$label" "$editors" "$deflate" \
        "$("$generator" "$@" --deflate "$flag")" >> "$results"
}
gateway_args() {  # port, then extra gateway options
    local port=$1
    shift
    local args=(--server "$gateway" --server-arg --port --server-arg "$port" --server-arg --log-level --server-arg warning)
    for option in "$@"; do args+=(--server-arg "$option"); done
    printf '%s\n' "${args[@]}" --port "$port"
}
reference_args() {  # interpreter, server script, port, then an optional flag for the server
    printf '%s\n' --server "$1" --server-arg "$2" --server-arg --port --server-arg "$3" ${4:+--server-arg "$4"} --port "$3"
}
node_args() { reference_args "$(command -v node)" bench/reference/server.js "$@"; }
python_args() { reference_args "$python" bench/reference/server.py "$@"; }
original_args() { reference_args "$(command -v node)" bench/reference/original.mjs "$@"; }
$original || say "skipping the original server's row: set ESTRAGON_SRC to the src/ folder of a local copy of chris-pws/estragon"

for round in $(seq "$rounds"); do
for inflight in 1 8 64; do
    say "$inflight in flight (round $round of $rounds)"
    record "ceiling (generator + pipes)" 0 0 stdio --server "$tools/stdio_responder" --in-flight "$inflight" --calls "$calls"
    port=$(free_port)
    "$tools/lws_echo" "$port" & echo_pid=$!
    sleep 0.3
    record "limit (bare lws echo)" 0 0 echo --port "$port" --in-flight "$inflight" --calls "$calls"
    kill "$echo_pid"; wait "$echo_pid" 2>/dev/null || true
    # The relay is started by the generator as the gateway is (stdin and stdout its pipes), on its port.
    port=$(free_port)
    record "limit (bare lws relay, the gateway's path)" 1 0 mcp --server "$tools/lws_relay" --server-arg "$port" --port "$port" \
        --editors 1 --in-flight "$inflight" --calls "$calls"
    for editors in 1 4; do
        mapfile -t args < <(gateway_args "$(free_port)" --rate-limit 1000000 --max-commands-in-flight 1000)
        record "gateway" "$editors" 0 mcp "${args[@]}" --editors "$editors" --in-flight "$inflight" --calls "$calls"
        mapfile -t args < <(node_args "$(free_port)")
        record "reference (Node.js + ws)" "$editors" 0 mcp "${args[@]}" --editors "$editors" --in-flight "$inflight" --calls "$calls"
        mapfile -t args < <(python_args "$(free_port)")
        record "reference (Python + websockets)" "$editors" 0 mcp "${args[@]}" --editors "$editors" --in-flight "$inflight" --calls "$calls"
        if $original; then
            mapfile -t args < <(original_args "$(free_port)")
            record "original (estragon websocket-manager.js)" "$editors" 0 mcp "${args[@]}" --editors "$editors" --in-flight "$inflight" --calls "$calls"
        fi
    done
    # Editors that negotiate permessage-deflate (as Node's ws and Python's websockets do by default):
    # small calls must cost about what they cost with Godot's editors, which do not.
    mapfile -t args < <(gateway_args "$(free_port)" --rate-limit 1000000 --max-commands-in-flight 1000)
    record "gateway, editor offers deflate" 1 1 mcp "${args[@]}" --editors 1 --in-flight "$inflight" --calls "$calls"
    # The control: plain editors that compress each answer too and send it as it was. Compressing makes an
    # editor slower, and a slower editor changes how many answers the gateway finds per wake-up (its CPU
    # per call rises with no deflate at all); against this row the deflate row shows what inflating costs.
    mapfile -t args < <(gateway_args "$(free_port)" --rate-limit 1000000 --max-commands-in-flight 1000)
    record "gateway, plain editor as slow as a deflating one" 1 2 mcp "${args[@]}" --editors 1 --in-flight "$inflight" \
        --calls "$calls"
done
done  # rounds

scale=$(mktemp)
autobahn="null"
if ! $routed_only; then
say "routing: policies and targeting (4 editors, 8 in flight), and a call relayed through another gateway"
for policy in round-robin least-busy; do
    mapfile -t args < <(gateway_args "$(free_port)" --rate-limit 1000000 --max-commands-in-flight 1000 --routing "$policy")
    record "gateway, --routing $policy" 4 0 mcp "${args[@]}" --editors 4 --in-flight 8 --calls "$calls"
done
mapfile -t args < <(gateway_args "$(free_port)" --rate-limit 1000000 --max-commands-in-flight 1000)
record "gateway, every call names its editor" 4 0 mcp "${args[@]}" --editors 4 --in-flight 8 --calls "$calls" \
    --arguments '{"node_path":"/root/Main/Player","client":"bench-2"}'
say "collaboration: calls while an editor publishes 100 events/s to 3 subscribers (1 editor answering, 8 in flight)"
mapfile -t args < <(gateway_args "$(free_port)" --rate-limit 1000000 --max-commands-in-flight 1000)
record "gateway, 100 events/s to 3 subscribers" 1 0 mcp "${args[@]}" --editors 1 --in-flight 8 --calls "$calls" \
    --events-per-second 100 --subscribers 3
for inflight in 1 8; do
    # The generator's gateway finds the port held by another one and relays its calls through it.
    port=$(free_port)
    owner_stdin=$(mktemp -u)
    mkfifo "$owner_stdin"
    GODOT_MCP_TOKEN=bench-token-0123456789abcdef "$gateway" --port "$port" --log-level warning --rate-limit 1000000 \
        --max-commands-in-flight 1000 < "$owner_stdin" &
    owner=$!
    exec 9> "$owner_stdin"
    for _ in $(seq 50); do "$python" -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && break; sleep 0.1; done
    mapfile -t args < <(gateway_args "$port" --rate-limit 1000000 --max-commands-in-flight 1000)
    record "gateway, relayed through another gateway" 1 0 mcp "${args[@]}" --editors 1 --in-flight "$inflight" --calls "$calls"
    exec 9>&-
    wait "$owner" || true
    rm -f "$owner_stdin"
    # A laptop's gateway (--upstream) in front of a studio service (--serve); plain ws, as the generator's
    # editors speak no TLS.
    port=$(free_port)
    GODOT_MCP_TOKEN=bench-token-0123456789abcdef "$gateway" --serve --port "$port" --log-level warning --rate-limit 1000000 \
        --max-commands-in-flight 1000 < /dev/null &
    service=$!
    for _ in $(seq 50); do "$python" -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && break; sleep 0.1; done
    mapfile -t args < <(gateway_args "$port" --upstream "ws://127.0.0.1:$port")
    record "gateway, via --upstream to a service" 1 0 mcp "${args[@]}" --editors 1 --in-flight "$inflight" --calls "$calls"
    kill -TERM "$service"; wait "$service" || true
done

say "cluster over NATS: the host's node forwards each call to the node its editor is on, against the same editor on the host's node"
command -v nats-server >/dev/null || { sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"; DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nats-server >&2; }
nats_port=$(free_port)
nats_store=$(mktemp -d)
nats-server -a 127.0.0.1 -p "$nats_port" -js -sd "$nats_store" > /dev/null 2>&1 &
nats=$!
for _ in $(seq 50); do "$python" -c "import socket; socket.create_connection(('127.0.0.1', $nats_port), 1)" 2>/dev/null && break; sleep 0.1; done
cluster_url="nats://127.0.0.1:$nats_port"
for inflight in 1 8; do
    # Same node: the host's gateway is a cluster node and the editor connects to it.
    port=$(free_port)
    mapfile -t args < <(gateway_args "$port" --cluster "$cluster_url" --node-name bench-a)
    record "gateway, cluster node, editor on the host's node" 1 0 mcp "${args[@]}" --editors 1 --in-flight "$inflight" --calls "$calls"
    # Another node: the editor connects to node c (a service); the host's node a forwards over NATS.
    port_c=$(free_port); port_a=$(free_port)
    GODOT_MCP_TOKEN=bench-token-0123456789abcdef "$gateway" --serve --port "$port_c" --log-level warning --rate-limit 1000000 \
        --max-commands-in-flight 1000 --cluster "$cluster_url" --node-name bench-c < /dev/null &
    node_c=$!
    for _ in $(seq 50); do "$python" -c "import socket; socket.create_connection(('127.0.0.1', $port_c), 1)" 2>/dev/null && break; sleep 0.1; done
    args=(--server "$gateway")
    for option in --port "$port_a" --log-level warning --rate-limit 1000000 --cluster "$cluster_url" --node-name bench-a; do
        args+=(--server-arg "$option")
    done
    record "gateway, cluster node, editor on another node" 1 0 mcp "${args[@]}" --port "$port_c" --editors 1 --in-flight "$inflight" --calls "$calls"
    kill -TERM "$node_c"; wait "$node_c" || true
done
"$python" bench/cluster_presence.py --nats "$cluster_url" --binary "$gateway" --editors "$presence_editors" >&2
kill -TERM "$nats"; wait "$nats" || true
rm -rf "$nats_store"

say "a call relayed over loopback WSS (--upstream wss:// to a --serve service), one at a time"
"$python" bench/upstream_wss.py --calls $((calls / 10)) --binary "$gateway" >&2

say "large results (one call at a time; scene-tree-like JSON; with and without permessage-deflate)"
sizes="1 8 32"; repeats=3
$smoke && sizes="1" && repeats=1
for mib in $sizes; do
    bytes=$((mib * 1024 * 1024))
    for deflate in 0 1; do
        flag=""; [ "$deflate" = 1 ] && flag="--deflate"
        mapfile -t args < <(gateway_args "$(free_port)" --max-message-size $((bytes * 2)))
        record "gateway, ${mib} MiB result" 1 "$deflate" mcp "${args[@]}" --editors 1 --in-flight 1 --calls "$repeats" --result-bytes "$bytes"
        mapfile -t args < <(node_args "$(free_port)" $flag)
        record "reference (Node.js + ws), ${mib} MiB result" 1 "$deflate" mcp "${args[@]}" --editors 1 --in-flight 1 --calls "$repeats" --result-bytes "$bytes"
        mapfile -t args < <(python_args "$(free_port)" $flag)
        record "reference (Python + websockets), ${mib} MiB result" 1 "$deflate" mcp "${args[@]}" --editors 1 --in-flight 1 --calls "$repeats" --result-bytes "$bytes"
    done
done

say "scale: $scale_clients idle clients answering heartbeats"
"$python" bench/scale.py --clients "$scale_clients" --binary "$gateway" --json "$scale" >&2

say "connection storm: $scale_clients clients connecting at once from 4 threads of the Swift generator"
port=$(free_port)
# The gateway's stdin is a FIFO this script holds open, so it runs until it is stopped (no helper
# process to clean up); its file limit is raised in the subshell it execs from.
stdin_fifo=$(mktemp -u)
mkfifo "$stdin_fifo"
(ulimit -n $((scale_clients * 2 + 256)) 2>/dev/null || ulimit -n "$(ulimit -Hn)"
    GODOT_MCP_TOKEN=bench-token-0123456789abcdef exec "$gateway" --port "$port" --log-level warning \
    --max-clients $((scale_clients + 10)) --max-clients-per-ip $((scale_clients + 10))) < "$stdin_fifo" &
storm_gateway=$!
exec 8> "$stdin_fifo"
for _ in $(seq 50); do "$python" -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && break; sleep 0.1; done
record "connection storm" 0 0 connect --port "$port" --calls "$scale_clients" --threads 4
exec 8>&-  # end of input: the gateway shuts down as it would when its MCP host leaves
wait "$storm_gateway" || true
rm -f "$stdin_fifo"

if $autobahn_run; then
    say "Autobahn, every case including permessage-deflate (sections 12 and 13)"
    if bash tests/conformance/autobahn.sh --all "$gateway" > "$tools/autobahn.txt"; then autobahn_ok=true; else autobahn_ok=false; fi
    cat "$tools/autobahn.txt" >&2
    autobahn=$(python3 -c 'import json,sys; print(json.dumps({"ok": sys.argv[1] == "true", "summary": open(sys.argv[2]).read().strip()}))' \
        "$autobahn_ok" "$tools/autobahn.txt")
fi
fi  # routed_only

python3 - "$results" bench/results/latest.json "$scale" "$autobahn" <<'TABLE'
import json, platform, os, sys
import statistics
rows = [json.loads(line) for line in open(sys.argv[1])]
scale = json.load(open(sys.argv[3])) if os.path.getsize(sys.argv[3]) else None
autobahn = json.loads(sys.argv[4])
# Rows measured in several rounds (ROUNDS) become one row each: the median of every figure, in first-seen order.
grouped = {}
for r in rows:
    grouped.setdefault((r["label"], r["editors"], r["result"]["inFlight"]), []).append(r)
rounds = max(len(group) for group in grouped.values())
def median_row(group):
    first = dict(group[0])
    if len(group) > 1:
        result = dict(first["result"])
        for field, value in first["result"].items():
            if isinstance(value, (int, float)) and field not in ("calls", "inFlight"):
                result[field] = statistics.median(g["result"][field] for g in group if field in g["result"])
        result["rounds"] = len(group)
        first["result"] = result
    return first
rows = [median_row(group) for group in grouped.values()]
by = {(r["label"], r["editors"], r["result"]["inFlight"]): r["result"] for r in rows}
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
machine = f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"
per_row = f"{rows[0]['result']['calls']} per row" + (f", each row the median of {rounds} interleaved rounds" if rounds > 1 else "")
print(f"\nRouted tool calls, {per_row}, on {machine}\n")
print("| path | editors | in flight | calls/s | p50 µs | p99 µs | p99.9 µs | server CPU µs/call | calls/s vs echo limit | p50 vs relay limit | vs Node.js | CPU vs Node.js | vs original | CPU vs original | vs Python |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
large = [r for r in rows if "MiB result" in r["label"]]
storm = next((r["result"] for r in rows if r["label"] == "connection storm"), None)
rows = [r for r in rows if "MiB result" not in r["label"] and r["label"] != "connection storm"]
def ratio(res, other, label):
    return f"{res['callsPerSecond'] / other['callsPerSecond']:.2f}" if other and label.startswith("gateway") else ""
def p50_ratio(res, other, label, editors):  # the gateway's p50 as a multiple of the relay's (which has one editor)
    return f"{res['p50us'] / other['p50us']:.2f}x" if other and label.startswith("gateway") and editors == 1 else ""
def cpu(res):
    return f"{res['serverCPUusPerCall']:.1f}" if "serverCPUusPerCall" in res else ""
def cpu_ratio(res, other, label):
    both = other and label.startswith("gateway") and "serverCPUusPerCall" in res and "serverCPUusPerCall" in other
    return f"{res['serverCPUusPerCall'] / other['serverCPUusPerCall']:.2f}" if both else ""
for r in rows:
    res = r["result"]
    limit = by.get(("limit (bare lws echo)", 0, res["inFlight"]))
    relay = by.get(("limit (bare lws relay, the gateway's path)", 1, res["inFlight"]))
    node = by.get(("reference (Node.js + ws)", r["editors"], res["inFlight"]))
    python = by.get(("reference (Python + websockets)", r["editors"], res["inFlight"]))
    original = by.get(("original (estragon websocket-manager.js)", r["editors"], res["inFlight"]))
    print(f"| {r['label']} | {r['editors'] or '-'} | {res['inFlight']} | {res['callsPerSecond']:,.0f} | {res['p50us']:.0f} | "
          f"{res['p99us']:.0f} | {res['p999us']:.0f} | {cpu(res)} | {ratio(res, limit, r['label'])} | {p50_ratio(res, relay, r['label'], r['editors'])} | "
          f"{ratio(res, node, r['label'])} | "
          f"{cpu_ratio(res, node, r['label'])} | {ratio(res, original, r['label'])} | {cpu_ratio(res, original, r['label'])} | "
          f"{ratio(res, python, r['label'])} |")
against_relay = [(n, by.get(("gateway", 1, n)), by.get(("limit (bare lws relay, the gateway's path)", 1, n))) for n in (1, 8, 64)]
if all(g and l for _, g, l in against_relay):
    print("\nGateway (1 editor) against the bare lws relay on the same path, p50: " + "; ".join(
        f"{n} in flight {g['p50us']:.0f} us / {l['p50us']:.0f} us = {g['p50us'] / l['p50us']:.2f}x" for n, g, l in against_relay)
        + " (issue #25 aims at 1.3x or less at 1 in flight)")
against_plain = [(n, by.get(("gateway, editor offers deflate", 1, n)), by.get(("gateway", 1, n))) for n in (1, 8, 64)]
if all(d and g and "serverCPUusPerCall" in d for _, d, g in against_plain):
    print("Editor that negotiates permessage-deflate against a plain one (1 editor), server CPU per call: " + "; ".join(
        f"{n} in flight {d['serverCPUusPerCall']:.1f} us / {g['serverCPUusPerCall']:.1f} us = {d['serverCPUusPerCall'] / g['serverCPUusPerCall']:.2f}x"
        for n, d, g in against_plain) + " (issue #25 aims at 1.1x or less)")
against_control = [(n, by.get(("gateway, editor offers deflate", 1, n)), by.get(("gateway, plain editor as slow as a deflating one", 1, n)))
                   for n in (1, 8, 64)]
if all(d and c and "serverCPUusPerCall" in d and "serverCPUusPerCall" in c for _, d, c in against_control):
    print("The same against a plain editor as slow as a deflating one (what inflating costs the gateway): " + "; ".join(
        f"{n} in flight {d['serverCPUusPerCall']:.1f} us / {c['serverCPUusPerCall']:.1f} us = {d['serverCPUusPerCall'] / c['serverCPUusPerCall']:.2f}x"
        for n, d, c in against_control))
base = by.get(("gateway", 4, 8))
routing = [r for r in rows if r["label"].startswith("gateway, --routing") or r["label"] == "gateway, every call names its editor"]
if base and routing:
    print("\nRouting cost against first-ready (4 editors, 8 in flight): " + "; ".join(
        f"{r['label'][len('gateway, '):]}: {r['result']['callsPerSecond'] / base['callsPerSecond']:.2f}x calls/s, "
        f"{r['result']['serverCPUusPerCall'] / base['serverCPUusPerCall']:.2f}x CPU per call" for r in routing))
events = by.get(("gateway, 100 events/s to 3 subscribers", 1, 8))
plain = by.get(("gateway", 1, 8))
if events and plain:
    print(f"Collaboration cost (1 editor, 8 in flight, 100 events/s fanned out to 3 subscribers): "
          f"{events['callsPerSecond'] / plain['callsPerSecond']:.2f}x calls/s, server CPU per call "
          f"{events['serverCPUusPerCall']:.1f} us against {plain['serverCPUusPerCall']:.1f} us (events included)")
for r in rows:
    if r["label"] in ("gateway, relayed through another gateway", "gateway, via --upstream to a service"):
        direct = by.get(("gateway", 1, r["result"]["inFlight"]))
        if direct:
            print(f"{r['label'][len('gateway, '):].capitalize()}, {r['result']['inFlight']} in flight: p50 {r['result']['p50us']:.0f} us "
                  f"({r['result']['p50us'] - direct['p50us']:+.0f} us against a direct call), p99 {r['result']['p99us']:.0f} us "
                  f"({r['result']['p99us'] - direct['p99us']:+.0f} us)")
if large: print("\n| path | result | permessage-deflate | ms per call (p50) | MB/s |\n|---|---|---|---|---|")
for r in sorted(large, key=lambda r: (int(r["label"].rsplit(", ", 1)[1].split()[0]), r["deflate"])):
    res = r["result"]
    mib = int(r["label"].rsplit(", ", 1)[1].split()[0])
    print(f"| {r['label'].rsplit(',', 1)[0]} | {mib} MiB | {'yes' if r['deflate'] else 'no'} | {res['p50us'] / 1000:.1f} | "
          f"{mib * 1.048576 / (res['p50us'] / 1e6):,.0f} |")
if scale: print(f"\nScale: {scale['clients']:,} idle clients connected at {scale['acceptedPerSecond']:,.0f}/s (from one Python process); "
      f"gateway RSS {scale['idleRssMiB']:.1f} MiB idle, {scale['rssMiB']:.1f} MiB with them ({scale['kibPerConnection']:.1f} KiB "
      f"per connection); {scale['msPerSweep']:.0f} ms CPU per heartbeat sweep ({scale['usPerClientPerSweep']:.0f} µs per client); "
      f"{scale['stillConnected']:,} still connected, {scale['heartbeatRemovals']} removed by heartbeat")
if storm:
    print(f"Connection storm: {storm['calls']:,} clients connecting at once from 4 threads were accepted and registered in "
          f"{storm['seconds']:.2f} s ({storm['callsPerSecond']:,.0f}/s); connect to handshake p50 {storm['p50us'] / 1000:.1f} ms, "
          f"p99 {storm['p99us'] / 1000:.1f} ms")
if autobahn:
    print(f"\nAutobahn, all sections ({'passed' if autobahn['ok'] else 'FAILED'}):\n{autobahn['summary']}")
json.dump({"machine": machine, "rows": rows, "large": large, "scale": scale, "connectionStorm": storm, "autobahn": autobahn},
          open(sys.argv[2], "w"), indent=1)
print(f"\nwritten to {sys.argv[2]}")
TABLE
rm -f "$results" "$scale"
