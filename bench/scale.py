"""Scale: many idle clients connected at once, answering heartbeats. Reports connections accepted per
second, gateway RSS per connection, and gateway CPU per heartbeat sweep. Loopback only; bounded.

    .venv-test/bin/python bench/scale.py [--clients 10000] [--binary PATH] [--deflate] [--json PATH]

Clients offer no compression by default, like Godot's WebSocketPeer; --deflate has them negotiate
permessage-deflate, to show what its per-connection zlib state costs.
"""
import argparse
import asyncio
import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "integration"))
os.environ.setdefault("GODOT_MCP_TOKEN", "integration-test-token-0123456789")

import websockets  # noqa: E402

import gateway as harness  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024


def cpu_seconds(pid: int) -> float:
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


async def idle_client(port: int, token: str, ready: asyncio.Event, counter: list, stop: asyncio.Event,
                      compression: str | None) -> None:
    async with websockets.connect(f"ws://127.0.0.1:{port}", additional_headers={"Authorization": f"Bearer {token}"},
                                  ping_interval=None, open_timeout=60, user_agent_header="scale",
                                  compression=compression) as ws:
        await ws.recv()  # handshake
        counter[0] += 1
        if counter[0] == counter[1]:
            ready.set()
        while not stop.is_set():
            try:
                message = json.loads(await asyncio.wait_for(ws.recv(), 1))
            except asyncio.TimeoutError:
                continue
            if message.get("type") == "heartbeat":
                await ws.send(json.dumps({"type": "heartbeat_response", "timestamp": message["timestamp"]}))


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=10000)
    parser.add_argument("--interval", type=float, default=2.0)
    parser.add_argument("--binary", default=str(Path(__file__).resolve().parents[1] / ".build" / "release" / "godot-mcp-gateway"))
    parser.add_argument("--deflate", action="store_true")
    parser.add_argument("--json", help="also write the figures here")
    options = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, options.clients * 2 + 256)), hard))
    harness.GATEWAY_BIN = options.binary
    gateway = await harness.RawGateway("--max-clients", str(options.clients + 10), "--max-clients-per-ip",
                                       str(options.clients + 10), "--heartbeat-interval", str(options.interval),
                                       "--heartbeat-timeout", "120", "--log-level", "notice", quiet=True,
                                       wait_message="WebSocket server listening").start()
    try:
        await gateway.initialize()
        pid = gateway.process.pid
        base_rss = rss_mib(pid)
        ready, stop = asyncio.Event(), asyncio.Event()
        counter = [0, options.clients]
        began = time.monotonic()
        tasks = []
        for index in range(options.clients):
            tasks.append(asyncio.create_task(idle_client(gateway.port, os.environ["GODOT_MCP_TOKEN"], ready, counter, stop,
                                                           "deflate" if options.deflate else None)))
            if index % 200 == 199:
                await asyncio.sleep(0)  # let handshakes progress rather than piling up SYNs
        await asyncio.wait_for(ready.wait(), 300)
        connect_seconds = time.monotonic() - began
        await asyncio.sleep(options.interval * 2)  # settle: every client has had heartbeats
        rss = rss_mib(pid)
        cpu_before, window_start = cpu_seconds(pid), time.monotonic()
        await asyncio.sleep(options.interval * 5)
        cpu_used, window = cpu_seconds(pid) - cpu_before, time.monotonic() - window_start
        request = await gateway.request("tools/call", {"name": "get_connection_stats", "arguments": {}})
        stats = json.loads((await gateway.response(request, timeout=30))["result"]["content"][0]["text"])
        sweeps = window / options.interval
        print(f"clients: {counter[0]} connected in {connect_seconds:.1f} s ({counter[0] / connect_seconds:,.0f}/s, Python clients; the Swift connection storm in bench/run.sh is the accept figure)")
        print(f"gateway RSS: {base_rss:.1f} MiB idle, {rss:.1f} MiB with {counter[0]} clients "
              f"({(rss - base_rss) * 1024 / counter[0]:.1f} KiB per connection)")
        print(f"gateway CPU: {cpu_used:.2f} s over {window:.1f} s = {cpu_used / sweeps * 1000:.0f} ms per heartbeat sweep "
              f"of {counter[0]} clients ({cpu_used / sweeps / counter[0] * 1e6:.1f} µs per client)")
        print(f"still connected: {stats['totalClients']}, removed by heartbeat: {stats['heartbeatRemovals']}")
        if options.json:
            json.dump({"clients": counter[0], "deflate": options.deflate, "connectSeconds": connect_seconds,
                       "acceptedPerSecond": counter[0] / connect_seconds, "idleRssMiB": base_rss, "rssMiB": rss,
                       "kibPerConnection": (rss - base_rss) * 1024 / counter[0],
                       "msPerSweep": cpu_used / sweeps * 1000, "usPerClientPerSweep": cpu_used / sweeps / counter[0] * 1e6,
                       "stillConnected": stats["totalClients"], "heartbeatRemovals": stats["heartbeatRemovals"]},
                      open(options.json, "w"))
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        gateway.close_stdin()
        await gateway.wait_exit(30)
    finally:
        await gateway.kill()


if __name__ == "__main__":
    asyncio.run(main())
