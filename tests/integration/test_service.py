"""Service mode (--serve): no MCP on stdio, so it runs with stdin from /dev/null as a service manager
starts it; it tells systemd when it is ready, reloads on SIGHUP without dropping anyone (a replaced
certificate is served to new connections, a replaced token is required of new connections), and stops
in order on SIGTERM. MCP hosts reach it over the socket: {"type":"mcp","message":<JSON-RPC>}."""
import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
from pathlib import Path

import websockets

from fake_editor import FakeEditor
from gateway import GATEWAY_BIN, free_port

REPO = Path(__file__).resolve().parents[2]


async def start_service(*args: str, env: dict, prefix: tuple[str, ...] = ()) -> subprocess.Popen:
    process = subprocess.Popen([*prefix, GATEWAY_BIN, "--serve", *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=env)
    assert process.stderr
    loop = asyncio.get_running_loop()
    while True:
        line = (await loop.run_in_executor(None, process.stderr.readline)).decode()
        assert line, "the service exited before it was ready"
        if "serving (no MCP on stdio)" in line:
            return process


async def mcp_over_socket(port: int, token: str, request: dict, tls: ssl.SSLContext | None = None) -> dict:
    scheme = "wss" if tls else "ws"
    async with websockets.connect(f"{scheme}://localhost:{port}/?type=mcp", ssl=tls,
                                  additional_headers={"Authorization": f"Bearer {token}"}) as ws:
        assert json.loads(await ws.recv())["type"] == "handshake"
        await ws.send(json.dumps({"type": "identify", "clientType": "mcp", "clientVersion": "test"}))
        await ws.send(json.dumps({"type": "mcp", "message": request}))
        while True:
            message = json.loads(await asyncio.wait_for(ws.recv(), 5))
            if message.get("type") == "mcp" and message["message"].get("id") == request["id"]:
                return message["message"]


async def test_a_service_runs_without_stdio_notifies_systemd_reloads_its_token_and_stops_in_order(tmp_path):
    notify_path = str(tmp_path / "notify.sock")
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify.bind(notify_path)
    notify.settimeout(10)
    token_file = tmp_path / "token"
    token_file.write_text("first-token-0123456789abcdef\n")
    token_file.chmod(0o600)
    env = {k: v for k, v in os.environ.items() if k != "GODOT_MCP_TOKEN"}
    env.update(NOTIFY_SOCKET=notify_path, GODOT_MCP_TOKEN_FILE=str(token_file))
    port = free_port()
    service = await start_service("--port", str(port), env=env)
    try:
        assert notify.recv(4096).decode().startswith("READY=1")
        editor = await FakeEditor(port, token="first-token-0123456789abcdef").start()
        answer = await mcp_over_socket(port, "first-token-0123456789abcdef",
                                       {"jsonrpc": "2.0", "id": 7, "method": "tools/call",
                                        "params": {"name": "get_scene_tree", "arguments": {}}})
        assert answer["result"]["isError"] is False and "get_scene_tree" in answer["result"]["content"][0]["text"]
        # Reload: a new token for new connections; the connected editor stays.
        token_file.write_text("second-token-0123456789abcdef\n")
        service.send_signal(signal.SIGHUP)
        assert notify.recv(4096).decode() == "RELOADING=1"
        assert notify.recv(4096).decode() == "READY=1"
        try:
            await FakeEditor(port, token="first-token-0123456789abcdef").start()
            raise AssertionError("the old token still works")
        except websockets.InvalidStatus as refused:
            assert refused.response.status_code == 401
        answer = await mcp_over_socket(port, "second-token-0123456789abcdef",
                                       {"jsonrpc": "2.0", "id": 8, "method": "tools/call",
                                        "params": {"name": "get_scene_tree", "arguments": {}}})
        assert answer["result"]["isError"] is False  # answered by the editor that stayed connected
        assert editor.close_code is None
        service.send_signal(signal.SIGTERM)
        assert notify.recv(4096).decode() == "STOPPING=1"
        assert await asyncio.get_running_loop().run_in_executor(None, service.wait, 10) == 0
        assert editor.shutdown_received.is_set()
    finally:
        if service.poll() is None:
            service.kill()
        notify.close()


def certificate_serial(port: int, ca: Path) -> int:
    context = ssl.create_default_context(cafile=str(ca))
    with socket.create_connection(("localhost", port), timeout=5) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as tls:
            der = tls.getpeercert(binary_form=True)
    return int(subprocess.run(["openssl", "x509", "-inform", "DER", "-noout", "-serial"], input=der, capture_output=True,
                              check=True).stdout.decode().strip().split("=")[1], 16)


async def test_sighup_serves_a_replaced_certificate_to_new_connections_while_the_editor_stays(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    for folder in (first, second):
        subprocess.run(["bash", str(REPO / "certs" / "make-test-certs.sh"), str(folder)], check=True, capture_output=True)
    live = tmp_path / "live"
    live.mkdir()
    for name in ("server.pem", "server-key.pem"):
        shutil.copy(first / name, live / name)
    env = dict(os.environ)
    port = free_port()
    service = await start_service("--port", str(port), "--tls-cert", str(live / "server.pem"),
                                  "--tls-key", str(live / "server-key.pem"), env=env)
    try:
        before = certificate_serial(port, first / "ca.pem")
        context = ssl.create_default_context(cafile=str(first / "ca.pem"))
        editor = FakeEditor(port)
        editor.url = f"wss://localhost:{port}/"
        original_connect = websockets.connect
        websockets.connect = lambda url, **kw: original_connect(url, ssl=context, **kw)
        try:
            await editor.start()
        finally:
            websockets.connect = original_connect
        for name in ("server.pem", "server-key.pem"):
            shutil.copy(second / name, live / name)
        service.send_signal(signal.SIGHUP)
        async with asyncio.timeout(5):
            while True:
                try:
                    after = certificate_serial(port, second / "ca.pem")
                    break
                except ssl.SSLError:
                    await asyncio.sleep(0.05)  # the reload is posted to the loop; new handshakes see it once done
        assert after != before
        answer = await mcp_over_socket(port, os.environ["GODOT_MCP_TOKEN"],
                                       {"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                                        "params": {"name": "get_scene_tree", "arguments": {}}},
                                       tls=ssl.create_default_context(cafile=str(second / "ca.pem")))
        assert answer["result"]["isError"] is False  # the editor connected before the reload answered
        assert editor.close_code is None
    finally:
        service.send_signal(signal.SIGTERM)
        await asyncio.get_running_loop().run_in_executor(None, service.wait, 10)


def test_the_systemd_unit_is_hardened_and_verifies(tmp_path):
    unit = (REPO / "deploy" / "godot-mcp-gateway.service").read_text()
    for directive in ("Type=notify", "ExecStart=/usr/local/bin/godot-mcp-gateway --serve", "ExecReload=/bin/kill -HUP $MAINPID",
                      "User=godot-mcp", "StateDirectory=godot-mcp-gateway", "NoNewPrivileges=yes", "ProtectSystem=strict",
                      "PrivateTmp=yes", "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX", "CapabilityBoundingSet="):
        assert directive in unit, directive
    analyze = shutil.which("systemd-analyze")
    if analyze:  # part of systemd; where it exists, it checks every directive and the command line
        copy = tmp_path / "godot-mcp-gateway.service"
        copy.write_text(unit.replace("/usr/local/bin/godot-mcp-gateway", GATEWAY_BIN))
        result = subprocess.run([analyze, "verify", str(copy)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


async def test_per_person_tokens_name_callers_restrict_read_only_ones_and_one_can_be_revoked(tmp_path):
    tokens = tmp_path / "tokens"
    tokens.write_text("# name token [read-only]\nalice alice-token-0123456789\nbob bob-token-0123456789 read-only\n")
    tokens.chmod(0o600)
    audit = tmp_path / "audit.jsonl"
    port = free_port()
    service = await start_service("--port", str(port), "--tokens", str(tokens), "--audit-log", str(audit), env=dict(os.environ))
    try:
        editor = await FakeEditor(port, token="alice-token-0123456789").start()
        read = {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "get_scene_tree", "arguments": {}}}
        write = {"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                 "params": {"name": "create_node", "arguments": {"node_type": "Node2D", "node_name": "N"}}}
        assert (await mcp_over_socket(port, "bob-token-0123456789", read))["result"]["isError"] is False
        refused = (await mcp_over_socket(port, "bob-token-0123456789", write))["result"]
        assert refused["isError"] is True and "bob may only use tools that read" in refused["content"][0]["text"]
        assert (await mcp_over_socket(port, "alice-token-0123456789", write))["result"]["isError"] is False
        clients = (await mcp_over_socket(port, "alice-token-0123456789", {
            "jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "list_clients", "arguments": {}}}))
        listed = json.loads(clients["result"]["content"][0]["text"])["clients"]
        assert {c["clientId"]: c["caller"] for c in listed}[editor.client_id] == "alice"
        calls = [json.loads(line) for line in audit.read_text().splitlines() if '"tool_call"' in line]
        assert {(c["tool"], c["caller"]) for c in calls} >= {("get_scene_tree", "bob"), ("create_node", "bob"), ("create_node", "alice")}
        # Bob's token is revoked: his open connection is closed, a new one refused; Alice's editor stays.
        import websockets
        bob = await websockets.connect(f"ws://localhost:{port}/?type=mcp",
                                       additional_headers={"Authorization": "Bearer bob-token-0123456789"})
        await bob.recv()
        tokens.write_text("alice alice-token-0123456789\n")
        service.send_signal(signal.SIGHUP)
        with contextlib.suppress(websockets.ConnectionClosed):
            while True:
                await asyncio.wait_for(bob.recv(), 5)
        assert bob.close_code == 1008
        try:
            await mcp_over_socket(port, "bob-token-0123456789", read)
            raise AssertionError("a revoked token still works")
        except websockets.InvalidStatus as refused_again:
            assert refused_again.response.status_code == 401
        assert editor.close_code is None
        assert (await mcp_over_socket(port, "alice-token-0123456789", read))["result"]["isError"] is False
    finally:
        service.send_signal(signal.SIGTERM)
        await asyncio.get_running_loop().run_in_executor(None, service.wait, 10)
