"""Prints each toolset's tools and what its part of `tools/list` costs a host, as a Markdown table.

Usage: python tools/measure_toolsets.py PATH/TO/godot-mcp-gateway

Cost: the bytes of each tool's entry in `tools/list` (compact JSON: name, description, inputSchema,
annotations), and that divided by 4, the usual rough count of tokens per byte of English and JSON."""
import asyncio
import json
import os
import socket
import sys
import tempfile


async def request(process, request_id: int, method: str, params: dict) -> dict:
    process.stdin.write((json.dumps({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params}) + "\n").encode())
    await process.stdin.drain()
    while True:
        answer = json.loads(await process.stdout.readline())
        if answer.get("id") == request_id:
            return answer["result"]


async def main(binary: str) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = dict(os.environ, XDG_CONFIG_HOME=tempfile.mkdtemp(), GODOT_MCP_TOKEN="measure-toolsets-0123456789abcdef")
    process = await asyncio.create_subprocess_exec(
        binary, "--port", str(port), "--toolsets", "all", "--log-level", "error", env=environment,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
    try:
        tools = (await request(process, 1, "tools/list", {}))["tools"]
        report = json.loads((await request(process, 2, "tools/call", {"name": "list_toolsets", "arguments": {}}))["content"][0]["text"])
    finally:
        process.stdin.close()
        await process.wait()
    size = {tool["name"]: len(json.dumps(tool, separators=(",", ":"))) for tool in tools}
    print("| Toolset | Default | Tools | Bytes | ~Tokens |")
    print("|---|---|---|---:|---:|")
    default_bytes = 0
    rows = [(s["name"], s["enabled"], s["tools"]) for s in report["toolsets"]]
    rows.append(("(always)", True, report["alwaysListed"]))
    for name, _, names in rows:
        cost = sum(size.get(tool, 0) for tool in names)
        default = name == "(always)" or name in DEFAULT
        default_bytes += cost if default else 0
        print(f"| {name} | {'yes' if default else 'no'} | {', '.join(names) or '—'} | {cost:,} | {round(cost / 4):,} |")
    total = sum(size.values())
    print(f"| **default** | | | {default_bytes:,} | {round(default_bytes / 4):,} |")
    print(f"| **all** | | {len(tools)} tools | {total:,} | {round(total / 4):,} |")


DEFAULT = {"scene", "nodes", "scripts", "editor", "play", "gateway", "other"}  # Toolsets.defaultSelection

if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
