"""Security against real sockets: TLS and mutual TLS, tokens, browser attacks, limits, floods, slow
readers, hostile input and the audit log. The token presented in identify, the auth timeout, the
per-address limit and the argument checks are tested in process, through the engine
(Tests/GatewayEngineTests/AuthenticationThroughTheEngineTests.swift)."""
import asyncio
import json
import os
import socket
import ssl
import subprocess
import warnings
from pathlib import Path

import pytest
import websockets
import websockets.exceptions

from fake_editor import FakeEditor, addon_capabilities
from gateway import GATEWAY_BIN, TEST_TOKEN, RawGateway, free_port, mcp_gateway

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def certificates(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("certs")
    subprocess.run(["bash", str(REPO / "certs" / "make-test-certs.sh"), str(folder)], check=True, capture_output=True)
    return folder


def tls_context(certificates: Path, ca: str = "ca.pem", client_certificate: bool = False) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(certificates / ca))
    if client_certificate:
        context.load_cert_chain(str(certificates / "client.pem"), str(certificates / "client-key.pem"))
    return context


async def handshake_over_tls(port: int, context: ssl.SSLContext, host: str = "localhost") -> dict:
    async with websockets.connect(f"wss://{host}:{port}", ssl=context,
                                  additional_headers={"Authorization": f"Bearer {TEST_TOKEN}"}) as ws:
        assert ws.transport.get_extra_info("ssl_object").version() in ("TLSv1.2", "TLSv1.3")
        return json.loads(await asyncio.wait_for(ws.recv(), 5))


async def test_wss_with_the_test_ca_works_and_plain_or_wrong_ca_fail(certificates):
    args = ("--tls-cert", str(certificates / "server.pem"), "--tls-key", str(certificates / "server-key.pem"))
    async with mcp_gateway(*args) as gateway:
        assert (await handshake_over_tls(gateway.port, tls_context(certificates)))["type"] == "handshake"
        assert (await handshake_over_tls(gateway.port, tls_context(certificates), host="127.0.0.1"))["type"] == "handshake"
        with pytest.raises(Exception):
            async with websockets.connect(f"ws://localhost:{gateway.port}", open_timeout=5) as ws:
                await ws.recv()
        with pytest.raises(ssl.SSLCertVerificationError):
            await handshake_over_tls(gateway.port, tls_context(certificates, ca="other-ca.pem"))
        # A client willing to speak TLS 1.1 (security level 0 lifts the client's own ban) gets the
        # server's protocol_version alert: the refusal comes from the gateway, not from the client.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            old = tls_context(certificates)
            old.set_ciphers("DEFAULT@SECLEVEL=0")
            old.minimum_version = ssl.TLSVersion.TLSv1_1
            old.maximum_version = ssl.TLSVersion.TLSv1_1
        with pytest.raises(ssl.SSLError) as refused:
            await handshake_over_tls(gateway.port, old)
        assert "ALERT_PROTOCOL_VERSION" in str(refused.value)


async def test_mutual_tls_refuses_clients_without_a_certificate(certificates):
    args = ("--tls-cert", str(certificates / "server.pem"), "--tls-key", str(certificates / "server-key.pem"),
            "--tls-client-ca", str(certificates / "ca.pem"))
    async with mcp_gateway(*args) as gateway:
        with pytest.raises((ssl.SSLError, ConnectionError, websockets.exceptions.WebSocketException, OSError)):
            await handshake_over_tls(gateway.port, tls_context(certificates))
        handshake = await handshake_over_tls(gateway.port, tls_context(certificates, client_certificate=True))
        assert handshake["type"] == "handshake"
        # The certificate names the caller (list_clients, the audit log).
        async with websockets.connect(f"wss://localhost:{gateway.port}", ssl=tls_context(certificates, client_certificate=True),
                                      additional_headers={"Authorization": f"Bearer {TEST_TOKEN}"}) as ws:
            client_id = json.loads(await ws.recv())["clientId"]
            listed = {c["clientId"]: c for c in await gateway.clients()}
            assert listed[client_id]["caller"] == "cert:test editor"


async def test_wrong_bearer_token_is_refused_at_upgrade():
    async with mcp_gateway() as gateway:
        with pytest.raises(websockets.InvalidStatus) as refused:
            await FakeEditor(gateway.port, token="wrong-token-wrong-token").start()
        assert refused.value.response.status_code == 401


def raw_upgrade(port: int, headers: list[str], path: str = "/") -> int:
    """Sends a hand-written upgrade request (to control duplicate headers) and returns the status code."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        lines = [f"GET {path} HTTP/1.1", "Upgrade: websocket", "Connection: Upgrade",
                 "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13", *headers, "", ""]
        connection.sendall("\r\n".join(lines).encode())
        return int(connection.recv(4096).split(b" ", 2)[1])


async def test_browser_attacks_are_refused_with_403_before_the_upgrade():
    async with mcp_gateway("--allow-origin", "https://studio.example") as gateway:
        port = gateway.port
        for headers, expected in [
            (["Host: localhost", "Origin: https://evil.example"], 403),
            (["Host: localhost", "Origin: null"], 403),
            (["Host: localhost", "Sec-Fetch-Site: cross-site"], 403),
            (["Host: attacker.example:8765"], 403),
            (["Host: localhost", "Host: attacker.example"], 400),
            (["Host: localhost", "Origin: https://studio.example", "Origin: https://evil.example"], 403),
            (["Host: localhost", f"Authorization: Bearer {TEST_TOKEN}", "Origin: https://studio.example"], 101),
            (["Host: 127.0.0.1:1234", f"Authorization: Bearer {TEST_TOKEN}"], 101),
        ]:
            assert await asyncio.to_thread(raw_upgrade, port, headers) == expected, headers

        def health(headers):
            with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
                connection.sendall(("GET /health HTTP/1.1\r\n" + "".join(h + "\r\n" for h in headers) + "\r\n").encode())
                return int(connection.recv(4096).split(b" ", 2)[1])

        assert await asyncio.to_thread(health, ["Host: localhost", "Origin: https://evil.example"]) == 403
        assert await asyncio.to_thread(health, ["Host: rebind.attacker.example"]) == 403
        assert await asyncio.to_thread(health, ["Host: localhost"]) == 200
        stats = await gateway.call_json("get_connection_stats")
        assert stats["connectionsRejected"] >= 8


async def test_a_flooding_client_is_limited_and_closed_while_the_editor_keeps_working():
    async with mcp_gateway("--rate-limit", "50") as gateway:
        editor = await FakeEditor(gateway.port).start()
        await editor.identified()
        flooder = await FakeEditor(gateway.port, identify=False, user_agent="flood").start()

        async def flood():
            try:
                for index in range(20_000):
                    await flooder.send({"type": "heartbeat_response", "n": index})
            except websockets.ConnectionClosed:
                pass

        async def commands():
            return [await gateway.call("list_nodes", {"node_path": f"/root/{i}"}) for i in range(20)]

        _, results = await asyncio.gather(flood(), commands())
        await asyncio.wait_for(flooder.closed.wait(), 10)
        # The gateway closes with 1008; a client still blasting data may instead see the TCP reset that
        # follows (1006), since the kernel drops its unread input, close frame included. Either way the
        # gateway must have removed it (the unit tests check the error message it sends first).
        assert flooder.close_code in (1008, 1006)
        await gateway.wait_for_clients(lambda clients: [c["clientId"] for c in clients] == [editor.client_id])
        assert [text for is_error, text in results if is_error] == []
        stats = await gateway.call_json("get_connection_stats")
        assert stats["rateLimitedMessages"] > 0
        await editor.close()


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


async def test_a_client_that_never_reads_cannot_grow_gateway_memory():
    """Stated bound: gateway RSS grows by less than 96 MiB while 40 MiB of commands are aimed at an
    editor that never reads (its send queue is capped at 16 MiB, then it is dropped). Measured: 29-47 MiB."""
    gateway = await RawGateway("--command-timeout", "30", "--startup-grace", "0", "--resume-window", "0").start()
    try:
        await gateway.initialize()
        baseline = rss_kib(gateway.process.pid)
        headers = {"Authorization": f"Bearer {TEST_TOKEN}"}
        # max_queue=1 and tiny buffers: the client stops reading from the socket almost at once. No
        # compression, like Godot: deflated, these runs of "x" would fit in the kernel's socket buffers.
        stuck = await websockets.connect(f"ws://127.0.0.1:{gateway.port}", user_agent_header="Godot/4.3",
                                         additional_headers=headers, max_queue=1, max_size=None, ping_interval=None,
                                         compression=None)
        await stuck.send(json.dumps({"type": "identify", "clientType": "godot", "capabilities": addon_capabilities()}))
        stuck.transport.pause_reading()
        payload = "x" * (1024 * 1024)
        calls = []
        for index in range(40):
            calls.append(await gateway.request("tools/call", {"name": "create_script", "arguments": {
                "path": f"res://big_{index}.gd", "content": payload}}))
        peak = baseline
        dropped = False
        async with asyncio.timeout(30):
            while not dropped:
                peak = max(peak, rss_kib(gateway.process.pid))
                request = await gateway.request("tools/call", {"name": "get_connection_stats", "arguments": {}})
                stats = json.loads((await gateway.response(request))["result"]["content"][0]["text"])
                dropped = stats["slowClientsDropped"] >= 1
        for call in calls:  # every call ends: disconnected, or no editor once it was dropped
            assert (await gateway.response(call, timeout=30))["result"]["isError"] is True
        peak = max(peak, rss_kib(gateway.process.pid))
        growth_mib = (peak - baseline) / 1024
        print(f"RSS baseline {baseline / 1024:.1f} MiB, peak {peak / 1024:.1f} MiB, growth {growth_mib:.1f} MiB")
        assert growth_mib < 96
        stuck.transport.abort()
    finally:
        await gateway.kill()


async def test_hostile_input_never_crashes_the_gateway():
    async with mcp_gateway("--max-message-size", "1048576") as gateway:
        editor = await FakeEditor(gateway.port).start()
        await editor.identified()
        corpus = [
            '{"type": "identify", "clientType": "godot"', "{" * 200_000, "[" * 100_000 + "]" * 100_000,
            '{"id": "x", "success": true, "result": ' + "9" * 5000 + "}", '{"id": 1e999, "success": true}',
            '{"type": 12}', '{"type": null}', "", " ", "null", "true", '"just a string"', "\u0000\u0001",
            '{"id": "' + "a" * 100_000 + '", "success": false, "error": {"nested": [1, 2, {"x": null}]}}',
            '{"type": "identify", "clientType": "godot", "capabilities": ' + "[" * 60 + "]" * 60 + "}",
        ]
        for message in corpus:
            victim = await FakeEditor(gateway.port, identify=False, user_agent="fuzz").start()
            await victim.send(message)
            await victim.send(b"\x00\xff binary")
            await victim.ws.send(b'{"type": "heartbeat_response", "bad": "\xff\xfe"}', text=True)  # invalid UTF-8
            await asyncio.wait_for(victim.closed.wait(), 5)
            assert victim.close_code == 1007, message[:40]
        oversize = await FakeEditor(gateway.port, identify=False, user_agent="fuzz").start()
        await oversize.send("[" + "1," * 1_000_000 + "1]")
        await asyncio.wait_for(oversize.closed.wait(), 5)
        assert oversize.close_code == 1009
        assert (await gateway.call_json("list_nodes", {"node_path": "/root"}))["command"] == "list_nodes"
        stats = await gateway.call_json("get_connection_stats")
        assert stats["invalidMessages"] >= len(corpus)
        await editor.close()


async def test_audit_log_records_calls_and_refusals_and_never_the_token(tmp_path):
    audit = tmp_path / "audit.jsonl"
    gateway = await RawGateway("--audit-log", str(audit)).start()
    try:
        await gateway.initialize()
        editor = await FakeEditor(gateway.port).start()
        request = await gateway.request("tools/call", {"name": "list_clients", "arguments": {}})
        await gateway.response(request)
        with pytest.raises(websockets.InvalidStatus):
            await FakeEditor(gateway.port, headers={"Origin": "https://evil.example"}).start()
        await editor.close()
        gateway.close_stdin()
        assert await gateway.wait_exit(5) == 0
    finally:
        await gateway.kill()
    entries = [json.loads(line) for line in audit.read_text().splitlines()]
    call = next(e for e in entries if e["event"] == "tool_call")
    assert call["tool"] == "list_clients" and call["outcome"] == "success" and len(call["argumentsSHA256"]) == 64
    assert call["host"].startswith("raw-test-host") and call["durationMs"] >= 0 and call["time"]
    refusal = next(e for e in entries if e["event"] == "connection_refused")
    assert refusal["status"] == 403 and "origin" in refusal["reason"] and refusal["address"] == "127.0.0.1"
    assert oct(audit.stat().st_mode & 0o777) == "0o600"
    assert TEST_TOKEN not in audit.read_text()
    assert all(TEST_TOKEN not in line for line in gateway.stderr_lines)


def test_exposure_beyond_loopback_needs_tls_and_auth():
    for args in (["--host", "0.0.0.0"], ["--host", "0.0.0.0", "--no-auth", "--insecure"]):
        result = subprocess.run([GATEWAY_BIN, "--port", str(free_port()), *args], capture_output=True, text=True,
                                stdin=subprocess.DEVNULL, timeout=10)
        assert result.returncode != 0, args
        assert "loopback" in result.stderr or "--tls-cert" in result.stderr, result.stderr


def test_a_token_file_is_created_private_on_first_start(tmp_path):
    environment = {k: v for k, v in os.environ.items() if k != "GODOT_MCP_TOKEN"}
    environment["XDG_CONFIG_HOME"] = str(tmp_path)
    for _ in range(2):
        result = subprocess.run([GATEWAY_BIN, "--port", str(free_port())], capture_output=True, text=True,
                                stdin=subprocess.DEVNULL, env=environment, timeout=10)
        assert result.returncode == 0, result.stderr
    token_file = tmp_path / "godot-mcp-gateway" / "token"
    token = token_file.read_text().strip()
    assert len(token) == 64 and oct(token_file.stat().st_mode & 0o777) == "0o600"
    assert str(token_file) in result.stderr and token not in result.stderr
