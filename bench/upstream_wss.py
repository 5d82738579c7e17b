"""What a call relayed over loopback WSS costs: an MCP host (raw JSON-RPC on pipes, one call at a time)
calls a gateway that serves an editor directly, then a gateway started with --upstream wss://… in front of
a --serve service with the same editor. Prints p50/p99 of both and what the relay adds. Loopback only.

    .venv-test/bin/python bench/upstream_wss.py [--calls 2000] [--binary PATH] [--json PATH]
"""
import argparse
import asyncio
import json
import os
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "integration"))
os.environ.setdefault("GODOT_MCP_TOKEN", "integration-test-token-0123456789")

import websockets  # noqa: E402

from fake_editor import FakeEditor  # noqa: E402
from gateway import free_port  # noqa: E402


async def host_calls(command: list[str], calls: int) -> list[float]:
    process = await asyncio.create_subprocess_exec(*command, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
                                                   stderr=asyncio.subprocess.DEVNULL, limit=1 << 24)

    async def call(request_id: int, method: str, params: dict) -> dict:
        process.stdin.write((json.dumps({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params}) + "\n").encode())
        await process.stdin.drain()
        while True:
            message = json.loads(await process.stdout.readline())
            if message.get("id") == request_id:
                return message

    await call(0, "initialize", {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}})
    tool = {"name": "get_node_properties", "arguments": {"node_path": "/root/Main/Player"}}
    async with asyncio.timeout(20):
        while (await call(1, "tools/call", tool))["result"]["isError"]:
            await asyncio.sleep(0.05)
    timings = []
    for index in range(calls):
        started = time.perf_counter()
        answer = await call(index + 2, "tools/call", tool)
        timings.append((time.perf_counter() - started) * 1e6)
        assert not answer["result"]["isError"], answer
    process.stdin.close()
    await process.wait()
    return timings


def summary(timings: list[float]) -> dict:
    ordered = sorted(timings)
    return {"p50us": statistics.median(ordered), "p99us": ordered[int(len(ordered) * 0.99) - 1]}


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--binary", default=str(REPO / ".build" / "release" / "godot-mcp-gateway"))
    parser.add_argument("--json")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        certs = Path(folder)
        subprocess.run(["bash", str(REPO / "certs" / "make-test-certs.sh"), str(certs)], check=True, capture_output=True)
        # Direct: the host's own gateway serves the editor.
        port = free_port()
        direct_host = asyncio.create_task(host_calls([options.binary, "--port", str(port), "--log-level", "error",
                                                      "--rate-limit", "1000000"], options.calls))
        await asyncio.sleep(0.5)
        editor = await FakeEditor(port).start()
        direct = summary(await direct_host)
        await editor.close()
        # Relayed: a WSS service holds the editor; the host's gateway has --upstream wss://.
        port = free_port()
        service = subprocess.Popen([options.binary, "--serve", "--port", str(port), "--log-level", "error", "--rate-limit", "1000000",
                                    "--tls-cert", str(certs / "server.pem"), "--tls-key", str(certs / "server-key.pem")],
                                   stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            context = ssl.create_default_context(cafile=str(certs / "ca.pem"))
            async with asyncio.timeout(10):
                while True:
                    try:
                        editor = FakeEditor(port)
                        editor.url = f"wss://localhost:{port}/"
                        original = websockets.connect
                        websockets.connect = lambda url, **kw: original(url, ssl=context, **kw)
                        try:
                            await editor.start()
                        finally:
                            websockets.connect = original
                        break
                    except OSError:
                        await asyncio.sleep(0.05)
            relayed = summary(await host_calls([options.binary, "--upstream", f"wss://localhost:{port}", "--upstream-ca",
                                                str(certs / "ca.pem"), "--log-level", "error"], options.calls))
            await editor.close()
        finally:
            service.terminate()
            service.wait(10)
    result = {"calls": options.calls, "direct": direct, "relayedOverWSS": relayed,
              "addedP50us": relayed["p50us"] - direct["p50us"], "addedP99us": relayed["p99us"] - direct["p99us"]}
    print(f"--upstream over loopback WSS, one call at a time ({options.calls} calls, Python host and editor): "
          f"p50 {relayed['p50us']:.0f} us against {direct['p50us']:.0f} us direct (+{result['addedP50us']:.0f} us), "
          f"p99 {relayed['p99us']:.0f} us against {direct['p99us']:.0f} us (+{result['addedP99us']:.0f} us)")
    if options.json:
        Path(options.json).write_text(json.dumps(result))


if __name__ == "__main__":
    asyncio.run(main())
