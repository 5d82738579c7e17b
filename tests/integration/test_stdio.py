"""The MCP host's side of stdio through the real binary: a 16 MiB request passes the socket layer's queues
whole, clients that connect from the first moment the port accepts are greeted, and a host that closes
stdout stops the gateway. Malformed and oversize lines are answered with a clear JSON-RPC error, tested in
process through the engine (Tests/GatewayEngineTests/HostLinesThroughTheEngineTests.swift)."""
import asyncio
import hashlib
import json
import os
import subprocess

import websockets

from fake_editor import GODOT_USER_AGENT, TEST_TOKEN, FakeEditor
from gateway import GATEWAY_BIN, RawGateway, free_port


async def test_a_16_mib_request_reaches_the_editor_intact():
    # Over 16 MiB: also more than the default send-queue cap, which must make room for one largest command.
    content = ("extends Node\n" + "# " + "abcdefghij" * 60 + "\n") * 28_000
    assert len(content) > 16 * 1024 * 1024
    received = {}

    def handler(command, params):
        received["content"] = params.get("content", "")
        return {"success": True, "result": {"bytes": len(params.get("content", ""))}, "error": None}

    gateway = await RawGateway("--max-message-size", str(18 * 1024 * 1024), "--command-timeout", "30").start()
    try:
        await gateway.initialize()
        editor = await FakeEditor(gateway.port, handler=handler).start()
        call = await gateway.request("tools/call", {"name": "get_editor_state", "arguments": {}})
        await gateway.response(call)  # routable
        call = await gateway.request("tools/call", {"name": "edit_script", "arguments": {"path": "res://big.gd", "content": content}})
        answer = await gateway.response(call, timeout=30)
        assert not answer["result"]["isError"], answer
        assert json.loads(answer["result"]["content"][0]["text"]) == {"bytes": len(content)}
        assert hashlib.sha256(received["content"].encode()).digest() == hashlib.sha256(content.encode()).digest()
        await editor.close()
    finally:
        await gateway.kill()


async def test_clients_connecting_from_the_first_moment_always_get_their_handshake():
    """Start-up race: an editor retrying while the host launches the gateway must be greeted every time."""
    for attempt in range(30):
        port = free_port()
        process = subprocess.Popen(
            [GATEWAY_BIN, "--port", str(port), "--log-level", "warning"], stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env=dict(os.environ))
        try:
            async with asyncio.timeout(10):
                while True:
                    try:
                        ws = await websockets.connect(
                            f"ws://127.0.0.1:{port}/", user_agent_header=GODOT_USER_AGENT, compression=None,
                            additional_headers={"Authorization": f"Bearer {TEST_TOKEN}"}, ping_interval=None)
                        break
                    except OSError:
                        await asyncio.sleep(0.001)
            try:
                first = json.loads(await asyncio.wait_for(ws.recv(), 5))
                assert first["type"] == "handshake", f"attempt {attempt}: {first}"
            finally:
                await ws.close()
        finally:
            assert process.stdin
            process.stdin.close()
            process.wait(10)


def test_a_host_that_closes_stdout_but_not_stdin_stops_the_gateway():
    """The host goes away without closing stdin: with no answer to write, the gateway must still notice
    that its stdout has no reader (the event loop watches stdout for a hang-up) and exit."""
    reader, writer = os.pipe()
    process = subprocess.Popen(
        [GATEWAY_BIN, "--port", str(free_port())], stdin=subprocess.PIPE, stdout=writer,
        stderr=subprocess.PIPE, env=dict(os.environ))
    os.close(writer)
    try:
        assert process.stderr
        while "WebSocket server listening" not in (line := process.stderr.readline().decode()):
            assert line, "the gateway exited before listening"
        os.close(reader)
        assert process.wait(10) == 0
        assert "the MCP host closed stdout" in process.stderr.read().decode()
    finally:
        if process.poll() is None:
            process.kill()
        assert process.stdin
        process.stdin.close()
