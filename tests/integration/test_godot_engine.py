"""Interoperability with a real Godot engine: Debian's godot3-server (Godot 3.2.3, headless) runs
tests/engine/gateway_client.gd, which speaks the protocol through the engine's own WebSocketClient."""
import asyncio
import json
import os
import shutil
from pathlib import Path

import pytest

from gateway import TEST_TOKEN, RawGateway

ENGINE_PROJECT = Path(__file__).resolve().parents[1] / "engine"


async def test_godot_engine_identifies_answers_a_command_and_acknowledges_shutdown(tmp_path):
    engine = shutil.which("godot3-server")
    if engine is None:
        pytest.fail("godot3-server is not installed; scripts/setup.sh --tests installs it")
    gateway = await RawGateway().start()
    process = None
    try:
        await gateway.initialize()
        environment = {**os.environ, "GATEWAY_PORT": str(gateway.port), "GATEWAY_TOKEN": TEST_TOKEN, "HOME": str(tmp_path),
                       "XDG_DATA_HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path)}
        process = await asyncio.create_subprocess_exec(
            engine, "--path", str(ENGINE_PROJECT), "-s", "gateway_client.gd", env=environment,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)

        async def event(prefix: str) -> str:
            async with asyncio.timeout(20):
                while True:
                    line = (await process.stdout.readline()).decode(errors="replace")
                    assert line, "the engine exited early"
                    if line.startswith("ENGINE_TEST " + prefix):
                        return line.strip()[len("ENGINE_TEST "):]

        client_id = (await event("handshake")).split()[1]
        async with asyncio.timeout(10):
            while True:
                request = await gateway.request("tools/call", {"name": "list_clients", "arguments": {}})
                clients = json.loads((await gateway.response(request))["result"]["content"][0]["text"])["clients"]
                if any(c["clientId"] == client_id and c["ready"] for c in clients):
                    break
                await asyncio.sleep(0.05)
        [record] = clients
        assert record["type"] == "godot" and record["godotVersion"].startswith("3.2")

        call = await gateway.request("tools/call", {"name": "list_nodes", "arguments": {"node_path": "/root/Main"}})
        result = (await gateway.response(call))["result"]
        assert result["isError"] is False, result
        answer = json.loads(result["content"][0]["text"])
        assert answer["engine"].startswith("godot 3.2") and answer["params"] == {"node_path": "/root/Main"}
        assert await event("command") == "command list_nodes"

        # The engine drops its link and reconnects with its resume token: same id, still answering.
        assert await event("resumed") == "resumed " + client_id
        call = await gateway.request("tools/call", {"name": "get_scene_tree", "arguments": {}})
        result = (await gateway.response(call))["result"]
        assert result["isError"] is False, result
        assert await event("command") == "command get_scene_tree"
        stats_call = await gateway.request("tools/call", {"name": "get_connection_stats", "arguments": {}})
        stats = json.loads((await gateway.response(stats_call))["result"]["content"][0]["text"])
        assert stats["clientsResumed"] == 1

        gateway.close_stdin()
        assert await event("shutdown") == "shutdown"
        assert await gateway.wait_exit(5) == 0
        assert await asyncio.wait_for(process.wait(), 10) == 0
    finally:
        if process is not None and process.returncode is None:
            process.kill()
            await process.wait()
        await gateway.kill()
