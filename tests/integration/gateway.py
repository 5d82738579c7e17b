"""Starting the real gateway binary for tests, either under the official MCP SDK as host (`mcp_gateway`)
or as a bare process spoken to in raw JSON-RPC lines (`RawGateway`), for exit codes, signals and EOF."""
from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import sys
from pathlib import Path
from typing import Any, AsyncIterator, Callable

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

REPO = Path(__file__).resolve().parents[2]
GATEWAY_BIN = os.environ.get("GATEWAY_BIN", str(REPO / ".build" / "debug" / "godot-mcp-gateway"))
TEST_TOKEN = "integration-test-token-0123456789"
# The clear errors a routed command may end in when its editor is missing, gone or silent (the gateway's
# own wording, CommandOutcome.swift); tests accept these and nothing vaguer.
EDITOR_FAILURES = ("No Godot editor is connected", "disconnected before it answered", "did not answer within")


def free_port() -> int:
    """A port free on both loopback families (the gateway listens on 127.0.0.1 and ::1)."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as v4:
            v4.bind(("127.0.0.1", 0))
            port = v4.getsockname()[1]
            try:
                with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as v6:
                    v6.bind(("::1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port")


class Gateway:
    """The gateway as seen from an MCP host session."""

    def __init__(self, session: ClientSession, port: int):
        self.session = session
        self.port = port

    async def call(self, tool: str, arguments: dict | None = None) -> tuple[bool, str]:
        result = await self.session.call_tool(tool, arguments or {})
        return bool(result.is_error), result.content[0].text

    async def call_json(self, tool: str, arguments: dict | None = None) -> Any:
        is_error, text = await self.call(tool, arguments)
        assert not is_error, text
        return json.loads(text)

    async def clients(self) -> list[dict]:
        return (await self.call_json("list_clients"))["clients"]

    async def wait_for_clients(self, predicate: Callable[[list[dict]], bool], timeout: float = 5.0) -> list[dict]:
        """Awaits a registry state (the gateway sends no ack for identify, as in the original protocol)."""
        async with asyncio.timeout(timeout):
            while True:
                clients = await self.clients()
                if predicate(clients):
                    return clients
                await asyncio.sleep(0.02)

    async def wait_ready(self, *client_ids: str) -> None:
        await self.wait_for_clients(
            lambda clients: all(any(c["clientId"] == i and c["ready"] for c in clients) for i in client_ids))


@contextlib.asynccontextmanager
async def mcp_gateway(*args: str, port: int | None = None, prefix: tuple[str, ...] = ()) -> AsyncIterator[Gateway]:
    """`prefix` runs the gateway under another command, e.g. ("ip", "netns", "exec", NAME)."""
    port = port or free_port()
    command = [*prefix, GATEWAY_BIN, "--port", str(port), *args]
    params = StdioServerParameters(command=command[0], args=command[1:], env=dict(os.environ))
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            yield Gateway(session, port)


class RawGateway:
    """The gateway as a bare child process, spoken to in newline-delimited JSON-RPC."""

    def __init__(self, *args: str, port: int | None = None, quiet: bool = False,
                 wait_message: str = "WebSocket server listening", prefix: tuple[str, ...] = ()):
        self.prefix = prefix
        self.quiet = quiet
        self.wait_message = wait_message
        self.port = port or free_port()
        self.args = ["--port", str(self.port), *args]
        self.process: asyncio.subprocess.Process | None = None
        self.stderr_lines: list[str] = []
        self.stdout_lines: list[str] = []
        self._responses: dict[Any, dict] = {}
        self.response_counts: dict[Any, int] = {}  # a response id seen twice is a bug
        self._response_arrived = asyncio.Event()
        self._listening = asyncio.Event()
        self._tasks: list[asyncio.Task] = []
        self._next_id = 1

    async def start(self, wait_listening: bool = True) -> "RawGateway":
        self.process = await asyncio.create_subprocess_exec(
            *self.prefix, GATEWAY_BIN, *self.args, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE, limit=64 * 1024 * 1024)  # answers can be MiBs on one line
        self._tasks = [asyncio.create_task(self._read_stdout()), asyncio.create_task(self._read_stderr())]
        if wait_listening:
            await asyncio.wait_for(self._listening.wait(), 10)
        return self

    async def _read_stdout(self) -> None:
        assert self.process and self.process.stdout
        async for raw in self.process.stdout:
            line = raw.decode()
            self.stdout_lines.append(line)
            message = json.loads(line)  # stdout must carry JSON-RPC only: anything else fails here
            if "id" in message and "method" not in message:
                self._responses[message["id"]] = message
                self.response_counts[message["id"]] = self.response_counts.get(message["id"], 0) + 1
                self._response_arrived.set()

    async def _read_stderr(self) -> None:
        assert self.process and self.process.stderr
        async for raw in self.process.stderr:
            line = raw.decode(errors="replace")
            self.stderr_lines.append(line)
            if not self.quiet:
                sys.stderr.write("[gateway] " + line)
            if self.wait_message in line:
                self._listening.set()

    async def send(self, message: dict) -> None:
        assert self.process and self.process.stdin
        self.process.stdin.write((json.dumps(message) + "\n").encode())
        await self.process.stdin.drain()

    async def request(self, method: str, params: dict | None = None) -> int:
        request_id = self._next_id
        self._next_id += 1
        await self.send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params or {}})
        return request_id

    async def response(self, request_id: int, timeout: float = 10) -> dict:
        async with asyncio.timeout(timeout):
            while request_id not in self._responses:
                self._response_arrived.clear()
                await self._response_arrived.wait()
        return self._responses[request_id]

    async def initialize(self) -> None:
        request_id = await self.request("initialize", {
            "protocolVersion": "2025-06-18", "capabilities": {},
            "clientInfo": {"name": "raw-test-host", "version": "1"}})
        await self.response(request_id)
        await self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})

    async def wait_routable(self, timeout: float = 5) -> None:
        """Awaits an editor that takes commands (identify is not acknowledged, as in the original protocol)."""
        async with asyncio.timeout(timeout):
            while True:
                call = await self.request("tools/call", {"name": "get_editor_state", "arguments": {}})
                answer = await self.response(call)
                if "No Godot editor" not in answer["result"]["content"][0]["text"]:
                    return
                await asyncio.sleep(0.02)

    def close_stdin(self) -> None:
        assert self.process and self.process.stdin
        self.process.stdin.close()

    async def wait_exit(self, timeout: float) -> int:
        assert self.process
        code = await asyncio.wait_for(self.process.wait(), timeout)
        await asyncio.gather(*self._tasks, return_exceptions=False)
        return code

    async def kill(self) -> None:
        if self.process and self.process.returncode is None:
            self.process.kill()
            await self.process.wait()
        for task in self._tasks:
            task.cancel()
