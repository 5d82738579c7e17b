"""A cluster of three gateway nodes over NATS (loopback): how long until every node's editors are seen by
one node (presence convergence), and tool calls per second through one node against three at once.
Each node is a gateway with its own MCP host (raw JSON-RPC on pipes); editors are Python websockets
clients spread evenly over the nodes. Prints the figures; judges nothing.

    .venv-test/bin/python bench/cluster_presence.py --nats nats://127.0.0.1:4222 [--editors 999] [--binary PATH] [--calls 3000]
"""
import argparse
import asyncio
import json
import os
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "integration"))
os.environ.setdefault("GODOT_MCP_TOKEN", "integration-test-token-0123456789")

from fake_editor import FakeEditor  # noqa: E402
from gateway import free_port  # noqa: E402


class Node:
    """A gateway cluster node with its MCP host on stdio."""

    def __init__(self, binary: str, nats: str, name: str):
        self.port = free_port()
        self.command = [binary, "--port", str(self.port), "--log-level", "error", "--rate-limit", "1000000",
                        "--max-clients", "5000", "--max-clients-per-ip", "5000", "--startup-grace", "0",
                        "--cluster", nats, "--node-name", name]
        self.process: asyncio.subprocess.Process | None = None
        self.next_id = 1
        self.waiting: dict[int, asyncio.Future] = {}

    async def start(self) -> "Node":
        self.process = await asyncio.create_subprocess_exec(*self.command, stdin=asyncio.subprocess.PIPE,
                                                            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
                                                            limit=1 << 26)
        asyncio.create_task(self._read())
        await self.request("initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                                          "clientInfo": {"name": "bench", "version": "1"}})
        return self

    async def _read(self) -> None:
        assert self.process and self.process.stdout
        async for line in self.process.stdout:
            message = json.loads(line)
            future = self.waiting.pop(message.get("id"), None)
            if future and not future.done():
                future.set_result(message)

    async def request(self, method: str, params: dict) -> dict:
        assert self.process and self.process.stdin
        request_id = self.next_id
        self.next_id += 1
        future = asyncio.get_running_loop().create_future()
        self.waiting[request_id] = future
        self.process.stdin.write((json.dumps({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params}) + "\n").encode())
        await self.process.stdin.drain()
        return await future

    async def tool(self, name: str, arguments: dict | None = None) -> dict:
        answer = await self.request("tools/call", {"name": name, "arguments": arguments or {}})
        assert not answer["result"]["isError"], answer
        return json.loads(answer["result"]["content"][0]["text"])

    async def seen_editors(self) -> int:
        stats = await self.tool("get_connection_stats")
        return stats["readyGodotClients"] + sum(entry["editors"] for entry in stats["cluster"]["nodes"])

    async def calls(self, count: int, in_flight: int) -> None:
        remaining = count

        async def worker() -> None:
            nonlocal remaining
            while remaining > 0:
                remaining -= 1
                await self.tool("get_node_properties", {"node_path": "/root/Main/Player"})

        await asyncio.gather(*(worker() for _ in range(in_flight)))

    async def stop(self) -> None:
        if self.process and self.process.returncode is None:
            assert self.process.stdin
            self.process.stdin.close()
            await asyncio.wait_for(self.process.wait(), 10)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nats", required=True)
    parser.add_argument("--binary", default=str(REPO / ".build" / "release" / "godot-mcp-gateway"))
    parser.add_argument("--editors", type=int, default=999)
    parser.add_argument("--calls", type=int, default=3000)
    options = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))

    nodes = [await Node(options.binary, options.nats, name).start() for name in ("bench-a", "bench-b", "bench-c")]
    editors: list[FakeEditor] = []
    try:
        per_node = options.editors // 3
        started = time.perf_counter()
        for batch in range(0, per_node, 50):
            editors += await asyncio.gather(*(FakeEditor(node.port).start()
                                              for node in nodes for _ in range(min(50, per_node - batch))))
        connected = time.perf_counter()
        total = per_node * 3
        async with asyncio.timeout(60):
            while (seen := await nodes[0].seen_editors()) < total:
                await asyncio.sleep(0.01)
        converged = time.perf_counter()
        print(f"cluster presence: {total} editors over 3 nodes connected in {connected - started:.2f} s; node a saw all of "
              f"them {converged - connected:.2f} s after the last connected ({converged - started:.2f} s from the first)")

        for node in nodes:
            await node.calls(min(200, options.calls // 10), 8)  # warm-up
        began = time.perf_counter()
        await nodes[0].calls(options.calls, 8)
        one = options.calls / (time.perf_counter() - began)
        began = time.perf_counter()
        await asyncio.gather(*(node.calls(options.calls, 8) for node in nodes))
        three = 3 * options.calls / (time.perf_counter() - began)
        print(f"cluster calls/s (8 in flight per host, each host's node answering from its own editors; Python hosts and "
              f"editors in one process): one node {one:,.0f}, three nodes at once {three:,.0f} ({three / one:.2f}x)")
    finally:
        await asyncio.gather(*(editor.close() for editor in editors), return_exceptions=True)
        for node in nodes:
            await node.stop()


if __name__ == "__main__":
    asyncio.run(main())
