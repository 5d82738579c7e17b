"""The access model through the real binary: one test per finding of the access review (issue 23), each
as the attacker tried it. A service with `--tokens` holds alice (full rights) and bob (read-only) beside
the shared token; every scenario checks what the attacker got and what the audit log says."""
import asyncio
import contextlib
import json
import os
import shutil
import signal
import ssl
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import websockets
from playwright.async_api import async_playwright

from fake_editor import FakeEditor, addon_capabilities
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

    async def reload(self) -> None:
        """SIGHUP, then waits for the reload's own log line (the service says when it has re-read)."""
        assert self.process
        before = self.audit_records()
        self.process.send_signal(signal.SIGHUP)
        # Each reload audits the token check it made; a probe request after it is served after the reload.
        async with asyncio.timeout(5):
            while True:
                await asyncio.sleep(0.05)
                if len(self.audit_records()) > len(before) or self.process.poll() is not None:
                    break

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

    def http(self, path: str, *, method: str = "GET", headers: dict | None = None) -> tuple[int, dict, str]:
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=5) as answer:
                return answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read().decode()
        except urllib.error.HTTPError as refused:
            return refused.code, {k.lower(): v for k, v in refused.headers.items()}, refused.read().decode()

    def sign_in(self, token: str) -> str:
        status, headers, _ = self.http("/session", method="POST", headers={"Authorization": f"Bearer {token}"})
        assert status == 200
        return headers["set-cookie"].split(";", 1)[0]  # "godot_mcp_session=…"


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

    async def closed(self) -> int | None:
        with contextlib.suppress(websockets.ConnectionClosed):
            async with asyncio.timeout(5):
                while True:
                    await self.ws.recv()
        return self.ws.close_code


SET_PROPERTY = {"node_path": "/root/Main", "property_name": "visible", "value": False}


# 1. A cookie carries the identity and rights of the token it came from, and ends with it.
async def test_a_sign_in_cookie_has_its_tokens_rights_and_dies_with_the_token(tmp_path):
    async with Service(tmp_path) as service:
        editor = await FakeEditor(service.port, token=ALICE).start()
        bob_cookie = service.sign_in(BOB)
        sign_in = (await service.audited("dashboard_sign_in"))[-1]
        assert sign_in["caller"] == "bob" and sign_in["rights"] == "read-only"
        async with McpSocket(service.port, {"Cookie": bob_cookie}) as bob:
            refused, text = await bob.call("set_node_property", SET_PROPERTY)
            assert refused and "dashboard:bob may only use tools that read" in text
            assert not editor.received or all(m.get("command") != "set_node_property" for m in editor.received)
            ok, listing = await bob.call("list_clients")
            callers = {c["clientId"]: (c["caller"], c["rights"]) for c in json.loads(listing)["clients"]}
            assert ("dashboard:bob", "read-only") in callers.values()
            call = [r for r in await service.audited("tool_call", 2) if r["tool"] == "set_node_property"][-1]
            assert call["caller"] == "dashboard:bob" and call["outcome"] == "read_only_caller"
            # Bob is removed: his cookie socket is closed, his cookie no longer signs in or opens a socket.
            service.write_tokens(f"alice {ALICE}\n")
            await service.reload()
            assert await bob.closed() == 1008
        status, _, page = service.http("/", headers={"Cookie": bob_cookie})
        assert status == 200 and 'id="token"' in page  # the sign-in form, not the dashboard
        async with McpSocket(service.port, {"Cookie": bob_cookie}) as stale:
            refused, text = await stale.call("list_clients")
            assert refused and "unauthenticated" in text
        # A cookie made with the shared token ends when the shared token is rotated.
        shared_cookie = service.sign_in(SHARED)
        assert 'id="token"' not in service.http("/", headers={"Cookie": shared_cookie})[2]
        service.token_file.write_text("rotated-shared-token-0123456789\n")
        await service.reload()
        assert 'id="token"' in service.http("/", headers={"Cookie": shared_cookie})[2]
        assert editor.close_code is None  # alice's editor is not touched by either change
        await editor.close()


# 2. A read-only person can neither become an editor nor make a tool read-only for others.
async def test_a_read_only_caller_cannot_be_an_editor_and_hints_come_from_the_target(tmp_path):
    async with Service(tmp_path) as service:
        forger = await FakeEditor(service.port, token=BOB, token_in="identify").start()
        assert await asyncio.wait_for(forger.closed.wait(), 5) is True
        assert forger.close_code == 1008
        assert (await service.audited("role_refused"))[-1]["caller"] == "bob"
        # A full-rights editor that declares an editing tool read-only changes nothing: the gateway judges
        # its own tools, and declared tools are judged by the editor each call reaches.
        real = await FakeEditor(service.port, token=ALICE, capabilities={"commands": [
            *addon_capabilities()["commands"],
            {"name": "custom_tool", "description": "x", "inputSchema": {"type": "object", "properties": {}}, "readOnly": False}]}).start()
        liar = await FakeEditor(service.port, token=SHARED, capabilities={"commands": [
            {"name": "set_node_property", "description": "x", "inputSchema": {"type": "object", "properties": {}}, "readOnly": True},
            {"name": "custom_tool", "description": "x", "inputSchema": {"type": "object", "properties": {}}, "readOnly": True}]}).start()
        async with McpSocket(service.port, {"Authorization": f"Bearer {ALICE}"}) as alice:
            await wait_for(lambda clients: sum(c["ready"] for c in clients) == 2, alice)
            tools = {t["name"]: t for t in (await alice.request("tools/list", {}))["result"]["tools"]}
            assert tools["set_node_property"]["annotations"]["readOnlyHint"] is False
            assert tools["custom_tool"]["annotations"]["readOnlyHint"] is False  # the most careful of the two
        async with McpSocket(service.port, {"Authorization": f"Bearer {BOB}"}) as bob:
            refused, text = await bob.call("set_node_property", {**SET_PROPERTY, "client": liar.client_id})
            assert refused and "bob may only use tools that read" in text
            refused, text = await bob.call("custom_tool", {"client": real.client_id})
            assert refused and "custom_tool changes the project" in text
            ok, _ = await bob.call("custom_tool", {"client": liar.client_id})
            assert not ok  # the editor it reaches declares it read-only
        assert all(m.get("command") != "set_node_property" for m in liar.received + real.received)
        assert [m["command"] for m in real.received if "command" in m].count("custom_tool") == 0
        await real.close()
        await liar.close()


async def wait_for(predicate, session: McpSocket) -> list[dict]:
    async with asyncio.timeout(5):
        while True:
            ok, text = await session.call("list_clients")
            clients = json.loads(text)["clients"]
            if predicate(clients):
                return clients
            await asyncio.sleep(0.05)


# 3. Changing or demoting a person's token applies to their open connections.
async def test_a_changed_or_demoted_token_applies_to_open_connections(tmp_path):
    async with Service(tmp_path) as service:
        editor = await FakeEditor(service.port, token=SHARED).start()
        async with McpSocket(service.port, {"Authorization": f"Bearer {ALICE}"}) as alice:
            await wait_for(lambda clients: any(c["ready"] for c in clients), alice)
            assert (await alice.call("set_node_property", SET_PROPERTY))[0] is False
            # Demoted with the same token: the open socket becomes read-only at once.
            service.write_tokens(f"alice {ALICE} read-only\nbob {BOB} read-only\n")
            await service.reload()
            refused, text = await alice.call("set_node_property", SET_PROPERTY)
            assert refused and "alice may only use tools that read" in text
            assert (await service.audited("rights_changed"))[-1]["to"] == "read-only"
            # Given a new token: the socket that presented the old one is closed.
            service.write_tokens(f"alice alice-new-token-0123456789 read-only\nbob {BOB} read-only\n")
            await service.reload()
            assert await alice.closed() == 1008
        # An editor whose person is demoted stops being an editor.
        alice_editor = await FakeEditor(service.port, token="alice-new-token-0123456789").start()
        await asyncio.wait_for(alice_editor.closed.wait(), 5)
        assert alice_editor.close_code == 1008
        assert editor.close_code is None
        await editor.close()


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
            succeeded = 0
            for _ in range(10):
                editor = await FakeEditor(service.port, host="127.0.0.1", token=ALICE, token_in="identify").start()
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


# 5. What an editor declares and names is bounded.
async def test_oversized_declarations_and_names_are_refused_with_the_reason(tmp_path):
    async with Service(tmp_path) as service:
        schema = {"type": "object", "properties": {f"p{i}": {"type": "string", "description": "x" * 20} for i in range(560)}}
        # 40 commands of 560 properties each, ~1.2 MB (the review sent 256 of them, 14.4 MB: the bound is the same).
        huge = {"commands": [{"name": f"tool_{i}", "description": "d", "inputSchema": schema} for i in range(40)]}
        cases = [
            ({"capabilities": huge}, "bytes; at most"),
            ({"capabilities": {"commands": [{"name": f"t{i}", "inputSchema": {"type": "object"}} for i in range(129)]}}, "129 commands declared"),
            ({"capabilities": {"commands": [{"name": "t", "inputSchema": schema}]}}, "input schema of t exceeds"),
            ({"projectName": "P" * 1_000_000}, "bytes; at most"),
            ({"projectName": "P" * 201}, "projectName is longer than 200"),
        ]
        async with McpSocket(service.port, {"Authorization": f"Bearer {ALICE}"}) as alice:
            baseline = len(json.dumps((await alice.request("tools/list", {}))["result"]))
            for identity, reason in cases:
                extra = dict(identity)
                capabilities = extra.pop("capabilities", True)
                editor = await FakeEditor(service.port, token=ALICE, capabilities=capabilities, identity=extra).start()
                error = await asyncio.wait_for(editor.errors.get(), 10)
                assert error["code"] == "identify_refused" and reason in error["error"], (reason, error)
                clients = json.loads((await alice.call("list_clients"))[1])["clients"]
                assert not any(c["clientId"] == editor.client_id and c["ready"] for c in clients)
                await editor.close()
            assert len(json.dumps((await alice.request("tools/list", {}))["result"])) == baseline
        assert len(await service.audited("identify_refused", len(cases))) == len(cases)


# 6. Sign-in sessions are bounded per token: the oldest ends when a new one would pass the bound.
async def test_sign_ins_are_bounded_per_token(tmp_path):
    async with Service(tmp_path) as service:
        cookies = [service.sign_in(ALICE) for _ in range(20)]
        live = ['id="token"' not in service.http("/", headers={"Cookie": c})[2] for c in cookies]
        assert live == [False] * 12 + [True] * 8
        assert 'id="token"' not in service.http("/", headers={"Cookie": service.sign_in(BOB)})[2]  # others unaffected


# 7. Only exact loopback names pass the Host check.
async def test_hosts_that_merely_start_with_127_are_refused(tmp_path):
    async with Service(tmp_path) as service:
        for host in ("127.evil.test", "127.0.0.1.evil.test", "127.1"):
            assert service.http("/health", headers={"Host": host})[0] == 403, host
            assert service.http("/", headers={"Host": f"{host}:{service.port}"})[0] == 403, host
        for host in ("127.0.0.1", f"localhost:{service.port}", f"[::1]:{service.port}"):
            assert service.http("/health", headers={"Host": host})[0] == 200, host


# 8. Resume tokens reach only relays acting for the editors' owner; read-only callers relay nothing.
async def test_resume_tokens_go_only_to_relays_of_the_same_caller(tmp_path):
    async with Service(tmp_path) as service:
        service.write_tokens(f"alice {ALICE}\nbob {BOB} read-only\ncarol carol-token-0123456789\n")
        await service.reload()
        editor = await FakeEditor(service.port, token=ALICE, resumable=True).start()
        async with McpSocket(service.port, {"Authorization": f"Bearer {ALICE}"}) as alice:
            await wait_for(lambda clients: any(c["ready"] for c in clients), alice)

        async def relay(token: str) -> tuple[list[dict], int | None]:
            async with websockets.connect(f"ws://localhost:{service.port}/?type=mcp",
                                          additional_headers={"Authorization": f"Bearer {token}"}) as ws:
                await ws.recv()
                await ws.send(json.dumps({"type": "identify", "clientType": "mcp", "clientVersion": "t", "relay": True}))
                with contextlib.suppress(websockets.ConnectionClosed, TimeoutError):
                    async with asyncio.timeout(2):
                        while True:
                            message = json.loads(await ws.recv())
                            if message.get("type") == "resume_state":
                                return message["editors"], None
                return [], ws.close_code
        alices, _ = await relay(ALICE)
        assert [e["clientId"] for e in alices] == [editor.client_id] and alices[0]["resumeToken"]
        carols, _ = await relay("carol-token-0123456789")
        assert carols == []
        bobs, code = await relay(BOB)
        assert bobs == [] and code == 1008
        await editor.close()


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
