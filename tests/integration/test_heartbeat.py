"""Heartbeats: a stopped editor is removed after the timeout while a live one stays."""
import asyncio
import json
import os
import signal
import sys
from pathlib import Path

from fake_editor import FakeEditor
from gateway import mcp_gateway

HERE = Path(__file__).parent


async def test_sigstopped_editor_is_removed_and_the_active_one_stays():
    async with mcp_gateway("--heartbeat-interval", "0.2", "--heartbeat-timeout", "1") as gateway:
        process = await asyncio.create_subprocess_exec(
            sys.executable, str(HERE / "fake_editor.py"), str(gateway.port), stdout=asyncio.subprocess.PIPE)
        try:
            stopped_id = json.loads(await asyncio.wait_for(process.stdout.readline(), 10))["clientId"]
            active = await FakeEditor(gateway.port).start()
            await gateway.wait_ready(stopped_id, active.client_id)
            os.kill(process.pid, signal.SIGSTOP)
            clients = await gateway.wait_for_clients(lambda c: all(x["clientId"] != stopped_id for x in c), timeout=5)
            assert [c["clientId"] for c in clients] == [active.client_id]
            assert active.heartbeats >= 3  # it kept being heartbeated and kept answering
            stats = await gateway.call_json("get_connection_stats")
            assert stats["heartbeatRemovals"] == 1
            assert (await gateway.call_json("get_scene_tree"))["command"] == "get_scene_tree"
            assert active.commands.qsize() == 1
            await active.close()
        finally:
            os.kill(process.pid, signal.SIGCONT)
            process.kill()
            await process.wait()


async def test_a_client_that_only_answers_pings_stays():
    async with mcp_gateway("--heartbeat-interval", "0.2", "--heartbeat-timeout", "0.7") as gateway:
        # Ignores the JSON heartbeats but, like any standard client, answers WebSocket pings.
        editor = FakeEditor(gateway.port)
        editor._dispatch = lambda message: asyncio.sleep(0)
        await editor.start()
        await gateway.wait_ready(editor.client_id)
        await asyncio.sleep(2.0)  # several timeout periods must pass for this test to mean anything
        assert [c["clientId"] for c in await gateway.clients()] == [editor.client_id]
        await editor.close()
