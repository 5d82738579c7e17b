"""Latency of a routed tool call on loopback: a raw JSON-RPC host on the gateway's stdio and one fake
editor that answers at once, both in this Python process. Prints figures; never fails on timing.

    .venv-test/bin/python bench/routed_latency.py [--calls 2000] [--binary PATH]
"""
import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "integration"))

import gateway as harness  # noqa: E402
from fake_editor import FakeEditor  # noqa: E402


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--binary", default=str(Path(__file__).resolve().parents[1] / ".build" / "release" / "godot-mcp-gateway"))
    options = parser.parse_args()
    harness.GATEWAY_BIN = options.binary

    gateway = await harness.RawGateway().start()
    try:
        await gateway.initialize()
        await asyncio.sleep(0.5)
        idle_rss = rss_kib(gateway.process.pid)
        editor = await FakeEditor(gateway.port).start()

        async def call(tool: str) -> float:
            started = time.perf_counter()
            request_id = await gateway.request("tools/call", {"name": tool, "arguments": {"node_path": "/root"}})
            response = await gateway.response(request_id)
            elapsed = time.perf_counter() - started
            assert not response["result"]["isError"], response
            return elapsed

        # Wait until the editor is identified, then warm up.
        deadline = time.monotonic() + 5
        while True:
            request_id = await gateway.request("tools/call", {"name": "list_nodes", "arguments": {}})
            if not (await gateway.response(request_id))["result"]["isError"] or time.monotonic() > deadline:
                break
        for _ in range(200):
            await call("list_nodes")
        routed = sorted([await call("list_nodes") for _ in range(options.calls)])
        local = sorted([await call("get_connection_stats") for _ in range(options.calls)])

        def pct(values, p):
            return values[min(len(values) - 1, int(len(values) * p))] * 1e6

        print(f"binary: {options.binary}")
        print(f"routed call (host -> gateway -> editor -> gateway -> host), {options.calls} sequential calls:")
        print(f"  p50 {pct(routed, .5):.0f} us   p90 {pct(routed, .9):.0f} us   p99 {pct(routed, .99):.0f} us   "
              f"mean {statistics.mean(routed) * 1e6:.0f} us")
        print("gateway-local call (get_connection_stats, no editor hop):")
        print(f"  p50 {pct(local, .5):.0f} us   p99 {pct(local, .99):.0f} us")
        print(f"RSS: idle {idle_rss} KiB, after the run {rss_kib(gateway.process.pid)} KiB")
        await editor.close()
        gateway.close_stdin()
        await gateway.wait_exit(10)
    finally:
        await gateway.kill()


if __name__ == "__main__":
    asyncio.run(main())
