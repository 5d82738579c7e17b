"""A stand-in for the Godot addon that replays the original `claude_mcp` client's message sequence:
handshake -> identify -> heartbeat_response per heartbeat -> response per command -> shutdown_ack, close 1000.

Usable in-process (`FakeEditor`) or as its own process (`python fake_editor.py PORT [--host H] [--hang]`), which the
tests kill -9 or SIGSTOP; the process prints one JSON line per event on stdout so tests can await them.
"""
from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import sys
import time
from pathlib import Path
from typing import Any, Callable

import websockets

GODOT_USER_AGENT = "Godot/4.3.stable.official (Linux)"
# The token the test gateways are started with (tests/integration/gateway.py).
TEST_TOKEN = "integration-test-token-0123456789"


def addon_capabilities() -> dict:
    """What the real addon declares in identify: every command it implements, with its schema (read from
    the catalog the gateway generates from the addon's declarations)."""
    global _ADDON_CAPABILITIES
    if _ADDON_CAPABILITIES is None:
        source = (Path(__file__).resolve().parents[2] / "Sources" / "GatewayMCP" / "EditorTools.generated.swift").read_text()
        declared = json.loads(source.split('#"""', 1)[1].rsplit('"""#', 1)[0])
        _ADDON_CAPABILITIES = {"commands": [
            {"name": d["name"], "description": d["description"], "inputSchema": d["input_schema"],
             "readOnly": d.get("read_only", False)} for d in declared]}
    return _ADDON_CAPABILITIES


_ADDON_CAPABILITIES = None


def echo_handler(command: str, params: dict) -> dict:
    return {"success": True, "result": {"command": command, "params": params}, "error": None}


class EditorSession:
    """What one editor keeps across its connections, as our addon does: the answers it gave, so a command
    the gateway sends again after a resume is answered, not run twice (at most `answers_kept` answers, the
    oldest forgotten first; None keeps all), and the commands still running, whose answers go out on the
    connection open when they finish. It counts how often the editor ran each command id (`executed`)
    and when each command arrived (`received`: monotonic time, id)."""

    def __init__(self, *, answers_kept: int | None = None, run_seconds: Callable[[str, dict], float] | float = 0.0):
        self.answers_kept = answers_kept
        self.run_seconds = run_seconds  # how long a command (name, params) takes to run
        self.answers: collections.OrderedDict[str, dict] = collections.OrderedDict()
        self.running: set[str] = set()
        self.executed: collections.Counter[str] = collections.Counter()
        self.received: list[tuple[float, str]] = []
        self.resumed_at: float | None = None
        self.editor: "FakeEditor | None" = None  # the connection open now

    def remember(self, command_id: str, answer: dict) -> None:
        self.answers[command_id] = answer
        while self.answers_kept is not None and len(self.answers) > self.answers_kept:
            self.answers.popitem(last=False)


class FakeEditor:
    def __init__(self, port: int, *, host: str = "localhost", handler: Callable[[str, dict], dict | str | list | None] = echo_handler,
                 user_agent: str | None = GODOT_USER_AGENT, path: str = "/", identify: bool = True,
                 token: str | None = TEST_TOKEN, token_in: str = "header", headers: dict | None = None,
                 on_event: Callable[[dict], None] | None = None, compression: str | None = None,
                 identity: dict | None = None, capabilities: dict | None | bool = True,
                 resumable: bool = False, session: EditorSession | None = None):
        self.url = f"ws://{host}:{port}{path}"
        self.handler = handler
        self.user_agent = user_agent
        self.identify = identify
        self.token = token
        self.token_in = token_in  # "header" (Authorization: Bearer) or "identify"
        self.headers = dict(headers or {})
        self.on_event = on_event or (lambda event: None)
        # Godot's WebSocketPeer offers no extensions, so by default neither does the stand-in.
        self.compression = compression
        self.identity = dict(identity or {})  # extra identify fields, e.g. projectName and projectPath
        # True: the addon's commands, as the real addon declares them; False: none (the original addon).
        self.capabilities = addon_capabilities() if capabilities is True else (capabilities or None)
        # Declares in identify that it reconnects and resumes (our addon does; the original never does).
        self.resumable = resumable
        # Set: commands run as our addon runs them (see EditorSession), `handler` giving each answer (a dict).
        self.session = session
        self.client_id: str | None = None
        self.handshake: dict | None = None
        self.received: list[dict] = []
        self.commands: asyncio.Queue[dict] = asyncio.Queue()
        self.errors: asyncio.Queue[dict] = asyncio.Queue()
        self.shutdown_received = asyncio.Event()
        self.resumed = asyncio.Event()
        self.closed = asyncio.Event()
        self.heartbeats = 0
        self._echoes: dict[str, asyncio.Future] = {}  # heartbeat timestamps sent by identified(), awaiting their answer
        self.ws = None
        self._task: asyncio.Task | None = None

    async def start(self) -> "FakeEditor":
        headers = dict(self.headers)
        if self.token is not None and self.token_in == "header":
            headers["Authorization"] = f"Bearer {self.token}"
        self.ws = await websockets.connect(self.url, user_agent_header=self.user_agent, max_size=None, ping_interval=None,
                                           additional_headers=headers, compression=self.compression)
        self.handshake = json.loads(await asyncio.wait_for(self.ws.recv(), 5))
        self.client_id = self.handshake["clientId"]
        self.on_event({"event": "handshake", "clientId": self.client_id})
        if self.identify:
            message = {"type": "identify", "clientType": "godot", "clientVersion": "1.0.1",
                       "godotVersion": "4.3.stable.official"}
            if self.token is not None and self.token_in == "identify":
                message["token"] = self.token
            if self.capabilities is not None:
                message["capabilities"] = self.capabilities
            if self.resumable:
                message["resumable"] = True
            message.update(self.identity)
            await self.send(message)
        if self.session is not None:
            self.session.editor = self
        self._task = asyncio.create_task(self._run())
        return self

    async def identified(self, timeout: float = 5) -> None:
        """Awaits the gateway having handled everything this editor sent so far, its identify included: the
        gateway handles one connection's messages in order and answers a client's `heartbeat` (as the
        original server did), so the answer to one sent now comes after. An event to await instead of
        polling list_clients (identify itself is not acknowledged, as in the original protocol)."""
        marker = f"identified-{len(self._echoes)}-{time.monotonic_ns()}"
        answered = asyncio.get_running_loop().create_future()
        self._echoes[marker] = answered
        await self.send({"type": "heartbeat", "timestamp": marker})
        await asyncio.wait_for(answered, timeout)

    async def send(self, message: Any) -> None:
        await self.ws.send(message if isinstance(message, (str, bytes)) else json.dumps(message))

    async def _run(self) -> None:
        try:
            async for raw in self.ws:
                message = json.loads(raw)
                self.received.append(message)
                await self._dispatch(message)
        except websockets.ConnectionClosed:
            pass
        finally:
            self.closed.set()

    async def _dispatch(self, message: dict) -> None:
        if message.get("type") == "handshake" and message.get("resumed"):
            # Identified with a resume token: the gateway gave back the earlier id, and a new token.
            self.client_id = message["clientId"]
            self.handshake = message
            if self.session is not None:
                self.session.resumed_at = time.monotonic()
            self.resumed.set()
        elif message.get("type") == "heartbeat_response" and str(message.get("timestamp")) in self._echoes:
            self._echoes.pop(str(message.get("timestamp"))).set_result(None)
        elif message.get("type") == "heartbeat":
            self.heartbeats += 1
            await self.send({"type": "heartbeat_response", "timestamp": message.get("timestamp")})
        elif message.get("type") == "error":
            await self.errors.put(message)
        elif message.get("command") == "shutdown":
            self.shutdown_received.set()
            self.on_event({"event": "shutdown"})
            await self.send({"command": "shutdown_ack", "timestamp": time.time(), "client_id": "godot_mcp_client"})
            await self.ws.close(1000)
        elif "command" in message and self.session is not None:
            await self._run_once(message)
        elif "command" in message:
            await self.commands.put(message)
            self.on_event({"event": "command", "command": message["command"], "id": message["id"]})
            answer = self.handler(message["command"], message.get("params") or {})
            if isinstance(answer, list):
                # Several messages in order (progress, then the answer); a number is a pause in seconds,
                # the editor's own pace for a long operation.
                for item in answer:
                    if isinstance(item, (int, float)):
                        await asyncio.sleep(item)
                    else:
                        await self.send(item.replace("{ID}", message["id"]))
            elif isinstance(answer, str):
                # Raw text, for answers that are not what a well-behaved editor sends; {ID} is the command's id.
                await self.send(answer.replace("{ID}", message["id"]))
            elif answer is not None:
                await self.send({"id": message["id"], **answer, "timestamp": time.time()})

    async def _run_once(self, message: dict) -> None:
        """A command under a session: answered from the session's answers when it ran already, joined
        when it is still running, else run (in the background, `run_seconds` long)."""
        session = self.session
        command_id = message["id"]
        session.received.append((time.monotonic(), command_id))
        await self.commands.put(message)
        self.on_event({"event": "command", "command": message["command"], "id": command_id})
        if command_id in session.answers:
            await self._send_quietly(session.answers[command_id])
            return
        if command_id not in session.running:  # still running: its answer goes out when it finishes
            session.executed[command_id] += 1
            session.running.add(command_id)
            asyncio.create_task(self._finish(message))

    async def _finish(self, message: dict) -> None:
        session = self.session
        run_seconds = session.run_seconds
        if callable(run_seconds):
            run_seconds = run_seconds(message["command"], message.get("params") or {})
        await asyncio.sleep(run_seconds)  # the command's own running time
        answer = {"id": message["id"], **self.handler(message["command"], message.get("params") or {}), "timestamp": time.time()}
        session.remember(message["id"], answer)
        session.running.discard(message["id"])
        # On whichever connection of the editor is open now (it may have resumed meanwhile).
        if session.editor is not None:
            await session.editor._send_quietly(answer)

    async def _send_quietly(self, message: dict) -> None:
        try:
            await self.send(message)
        except websockets.ConnectionClosed:
            pass  # the answer stays in the session for the gateway to ask again

    async def drop(self) -> None:
        """Ends the connection without a close frame, as a network failure or a killed editor does."""
        if self.ws is not None:
            self.ws.transport.abort()
        if self._task is not None:
            await asyncio.wait_for(self._task, 5)

    @property
    def close_code(self) -> int | None:
        return self.ws.close_code if self.ws else None

    async def close(self, code: int = 1000) -> None:
        if self.ws is not None:
            await self.ws.close(code)
        if self._task is not None:
            await asyncio.wait_for(self._task, 5)


class EditorProcess:
    """This file run as its own process (which tests can kill -9, SIGSTOP, or start inside a network
    namespace through `prefix`), with its printed events awaitable."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    async def start(cls, port: int, *flags: str, prefix: tuple[str, ...] = ()) -> "EditorProcess":
        process = await asyncio.create_subprocess_exec(
            *prefix, sys.executable, __file__, str(port), *flags, stdout=asyncio.subprocess.PIPE)
        return cls(process)

    async def next_event(self, name: str, timeout: float = 10) -> dict:
        async with asyncio.timeout(timeout):
            while True:
                line = await self.process.stdout.readline()
                assert line, "editor process ended"
                event = json.loads(line)
                if event["event"] == name:
                    return event

    async def stop(self) -> None:
        if self.process.returncode is None:
            self.process.kill()
        await self.process.wait()


async def _main() -> None:
    """python fake_editor.py PORT [--host HOST] [--hang] [--result-bytes N]"""
    port = int(sys.argv[1])
    hang = "--hang" in sys.argv
    host = sys.argv[sys.argv.index("--host") + 1] if "--host" in sys.argv else "localhost"
    result_bytes = int(sys.argv[sys.argv.index("--result-bytes") + 1]) if "--result-bytes" in sys.argv else 0

    def emit(event: dict) -> None:
        print(json.dumps(event), flush=True)

    def answer(command: str, params: dict) -> dict:
        reply = echo_handler(command, params)
        if result_bytes:
            reply["result"]["blob"] = "b" * result_bytes
        return reply

    editor = await FakeEditor(port, host=host, handler=(lambda command, params: None) if hang else answer,
                              on_event=emit).start()
    with contextlib.suppress(asyncio.TimeoutError, websockets.ConnectionClosed):  # a lossy link may be slow
        await editor.identified(timeout=30)
        emit({"event": "identified"})  # the gateway has handled its identify: tests await this, not list_clients
    await editor.closed.wait()
    emit({"event": "closed", "code": editor.close_code})


if __name__ == "__main__":
    asyncio.run(_main())
