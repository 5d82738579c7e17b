"""Heartbeats: a stopped editor is removed after the timeout while a live one stays."""
import asyncio
import os
import signal

from fake_editor import EditorProcess, FakeEditor
from gateway import mcp_gateway


async def test_sigstopped_editor_is_removed_and_the_active_one_stays():
    async with mcp_gateway("--heartbeat-interval", "0.2", "--heartbeat-timeout", "1") as gateway:
        stopped = await EditorProcess.start(gateway.port)
        try:
            stopped_id = (await stopped.next_event("handshake"))["clientId"]
            active = await FakeEditor(gateway.port).start()
            await gateway.wait_ready(stopped_id, active.client_id)
            os.kill(stopped.process.pid, signal.SIGSTOP)
            clients = await gateway.wait_for_clients(lambda c: all(x["clientId"] != stopped_id for x in c), timeout=5)
            os.kill(stopped.process.pid, signal.SIGCONT)
            # Its close frame waited in its socket: 4002, the code that means "stale".
            assert (await stopped.next_event("closed"))["code"] == 4002
            assert [c["clientId"] for c in clients] == [active.client_id]
            assert active.heartbeats >= 3  # it kept being heartbeated and kept answering
            stats = await gateway.call_json("get_connection_stats")
            assert stats["heartbeatRemovals"] == 1
            assert (await gateway.call_json("get_scene_tree"))["command"] == "get_scene_tree"
            assert active.commands.qsize() == 1
            await active.close()
        finally:
            os.kill(stopped.process.pid, signal.SIGCONT)
            await stopped.stop()


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
