"""The access model through the real binary where real sockets are the point: unauthenticated floods from
loopback aliases, and the dashboard over TLS in Chromium. A service with `--tokens` holds alice (full
rights) and bob (read-only) beside the shared token. The review's other findings (cookies, read-only
callers, demoted tokens, bounded declarations and sign-ins, the Host check, resume tokens for relays) are
tested in process, through the engine (Tests/GatewayEngineTests/AccessModelThroughTheEngineTests.swift)."""
import asyncio
import contextlib
import json
import os
import shutil
import signal
import ssl
import subprocess
from pathlib import Path

import pytest
import websockets
from playwright.async_api import async_playwright

from fake_editor import FakeEditor
from gateway import free_port
from test_service import start_service

REPO = Path(__file__).resolve().parents[2]
SHARED = "shared-token-0123456789abcdef"
ALICE = "alice-token-0123456789"
BOB = "bob-token-0123456789"


class Service:
    """A gateway in service mode with a shared token, a token list and an audit log, in `folder`."""

    def __init__(self, folder: Path, *extra: str):
        self.folder = folder
        self.extra = extra
        self.port = free_port()
        self.tokens = folder / "tokens"
        self.token_file = folder / "token"
        self.audit = folder / "audit.jsonl"
        self.process: subprocess.Popen | None = None

    async def __aenter__(self) -> "Service":
        self.write_tokens(f"alice {ALICE}\nbob {BOB} read-only\n")
        self.token_file.write_text(SHARED + "\n")
        self.token_file.chmod(0o600)
        env = {k: v for k, v in os.environ.items() if k != "GODOT_MCP_TOKEN"}
        env["GODOT_MCP_TOKEN_FILE"] = str(self.token_file)
        self.process = await start_service("--port", str(self.port), "--tokens", str(self.tokens), "--audit-log", str(self.audit),
                                           *self.extra, env=env)
        return self

    async def __aexit__(self, *_) -> None:
        assert self.process
        self.process.send_signal(signal.SIGTERM)
        await asyncio.get_running_loop().run_in_executor(None, self.process.wait, 10)

    def write_tokens(self, text: str) -> None:
        self.tokens.write_text(text)
        self.tokens.chmod(0o600)

    async def audited(self, event: str, count: int = 1) -> list[dict]:
        """Awaits `count` audit records of `event` (the log is written by the service loop after it acts)."""
        async with asyncio.timeout(5):
            while len(records := self.audit_records(event)) < count:
                await asyncio.sleep(0.02)
        return records

    def audit_records(self, event: str | None = None) -> list[dict]:
        if not self.audit.exists():
            return []
        records = [json.loads(line) for line in self.audit.read_text().splitlines() if line.strip()]
        return [r for r in records if event is None or r.get("event") == event]


class McpSocket:
    """An MCP session over the socket (`?type=mcp`), authenticated by a header or a cookie."""

    def __init__(self, port: int, headers: dict):
        self.port = port
        self.headers = headers
        self.ws = None
        self.next_id = 100

    async def __aenter__(self) -> "McpSocket":
        self.ws = await websockets.connect(f"ws://localhost:{self.port}/?type=mcp", additional_headers=self.headers)
        assert json.loads(await asyncio.wait_for(self.ws.recv(), 5))["type"] == "handshake"
        return self

    async def __aexit__(self, *_) -> None:
        await self.ws.close()

    async def request(self, method: str, params: dict) -> dict:
        self.next_id += 1
        await self.ws.send(json.dumps({"type": "mcp", "message": {"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params}}))
        async with asyncio.timeout(10):
            while True:
                message = json.loads(await self.ws.recv())
                if message.get("type") == "mcp" and message["message"].get("id") == self.next_id:
                    return message["message"]
                if message.get("type") == "error":
                    return {"error": message}

    async def call(self, tool: str, arguments: dict | None = None) -> tuple[bool, str]:
        answer = await self.request("tools/call", {"name": tool, "arguments": arguments or {}})
        if "error" in answer:
            return True, json.dumps(answer["error"])
        return answer["result"]["isError"], answer["result"]["content"][0]["text"]


# 4. Unauthenticated sockets cannot lock out an editor that authenticates.
async def test_unauthenticated_floods_from_loopback_aliases_do_not_lock_editors_out(tmp_path):
    async with Service(tmp_path, "--max-clients", "64") as service:
        stop = asyncio.Event()
        opened = 0

        async def squatter(source: str) -> None:
            nonlocal opened
            while not stop.is_set():
                with contextlib.suppress(OSError, websockets.WebSocketException, asyncio.TimeoutError):
                    async with websockets.connect(f"ws://127.0.0.1:{service.port}/", local_addr=(source, 0), open_timeout=5) as ws:
                        opened += 1
                        with contextlib.suppress(websockets.ConnectionClosed):
                            async for _ in ws:
                                pass
                # Closed (evicted, or at the auth timeout): back a moment later, as the review's squatters were.
                await asyncio.sleep(1)
        squatters = [asyncio.create_task(squatter(f"127.0.0.{1 + n % 4}")) for n in range(64)]
        try:
            async with asyncio.timeout(10):
                while opened < 64:
                    await asyncio.sleep(0.05)
            async def editor_that_gets_in() -> FakeEditor:
                # Until its identify is handled an editor is as anonymous as a squatter, and a newcomer to a
                # full pool evicts the group's oldest socket: under a slow build (ThreadSanitizer) an editor
                # can be evicted before its identify arrives. It then reconnects, as the addon does; locked
                # out would mean never getting in.
                for _ in range(5):
                    editor = await FakeEditor(service.port, host="127.0.0.1", token=ALICE, token_in="identify").start()
                    with contextlib.suppress(websockets.ConnectionClosed, asyncio.TimeoutError):
                        await editor.identified()
                        return editor
                    with contextlib.suppress(Exception):
                        await editor.close()
                    await asyncio.sleep(0.2)
                raise AssertionError("an editor was evicted on each of its five attempts: locked out")

            succeeded = 0
            for _ in range(10):
                editor = await editor_that_gets_in()
                async with McpSocket(service.port, {"Authorization": f"Bearer {ALICE}"}) as alice:
                    ok = await alice.call("get_scene_tree", {"client": editor.client_id, "wait_seconds": 2})
                succeeded += ok[0] is False and editor.close_code is None
                await editor.close()
            assert succeeded == 10
            assert await service.audited("unauthenticated_evicted")
        finally:
            stop.set()
            for task in squatters:
                task.cancel()
            await asyncio.gather(*squatters, return_exceptions=True)


# 9. The dashboard over TLS loads in Chromium: ALPN offers HTTP/1.1 only.
async def test_the_dashboard_over_tls_loads_in_chromium(tmp_path):
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("chromium is not installed; scripts/setup.sh --tests installs it")
    subprocess.run(["bash", str(REPO / "certs" / "make-test-certs.sh"), str(tmp_path)], check=True, capture_output=True)
    async with Service(tmp_path, "--tls-cert", str(tmp_path / "server.pem"), "--tls-key", str(tmp_path / "server-key.pem")) as service:
        context = ssl.create_default_context(cafile=str(tmp_path / "ca.pem"))
        context.set_alpn_protocols(["h2", "http/1.1"])
        reader, writer = await asyncio.open_connection("localhost", service.port, ssl=context)
        assert writer.get_extra_info("ssl_object").selected_alpn_protocol() == "http/1.1"
        writer.close()
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            try:
                page = await (await browser.new_context(ignore_https_errors=True)).new_page()
                answer = await page.goto(f"https://localhost:{service.port}/")
                assert answer is not None and answer.status == 200
                assert await page.locator("#token").count() == 1
                await page.fill("#token", ALICE)
                await page.click("button[type=submit]")
                await page.wait_for_selector("#status.ok", timeout=10000)
            finally:
                await browser.close()
