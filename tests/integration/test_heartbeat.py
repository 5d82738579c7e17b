"""Heartbeats: a stopped editor is removed after the timeout while a live one stays."""
import asyncio
import os
import signal

from fake_editor import EditorProcess, FakeEditor
from gateway import mcp_gateway


async def closed_by_peer(pid: int, timeout: float) -> None:
    """Awaits a TCP socket of process `pid` in CLOSE-WAIT: the other end (the gateway) has closed it."""
    async with asyncio.timeout(timeout):
        while True:
            listing = await asyncio.create_subprocess_exec("ss", "-tnpH", "state", "close-wait", stdout=asyncio.subprocess.PIPE)
            output, _ = await listing.communicate()
            if f"pid={pid}," in output.decode(errors="replace"):
                return
            await asyncio.sleep(0.02)


async def test_sigstopped_editor_is_removed_and_the_active_one_stays():
    async with mcp_gateway("--heartbeat-interval", "0.2", "--heartbeat-timeout", "1") as gateway:
        stopped = await EditorProcess.start(gateway.port)
        try:
            stopped_id = (await stopped.next_event("handshake"))["clientId"]
            active = await FakeEditor(gateway.port).start()
            await stopped.next_event("identified")
            await active.identified()
            os.kill(stopped.process.pid, signal.SIGSTOP)
            clients = await gateway.wait_for_clients(lambda c: all(x["clientId"] != stopped_id for x in c), timeout=5)
            # Woken before the gateway has written its close frame and closed, the editor would answer the
            # pings it missed into a socket the gateway closes without reading them (a reset, which can
            # discard the close frame before the editor reads it): wake it once the gateway has closed.
            await closed_by_peer(stopped.process.pid, timeout=10)
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
        heartbeats: asyncio.Queue[dict] = asyncio.Queue()
        answer = editor._dispatch

        async def ignore_heartbeats(message: dict) -> None:
            if message.get("type") == "heartbeat":
                await heartbeats.put(message)  # seen, never answered
            else:
                await answer(message)
        editor._dispatch = ignore_heartbeats
        await editor.start()
        await editor.identified()
        # Several timeout periods (0.7 s) must pass for this test to mean anything: ten heartbeats (2 s)
        # awaited, each one the gateway still sending to a client it has kept.
        async with asyncio.timeout(10):
            for _ in range(10):
                await heartbeats.get()
        assert [c["clientId"] for c in await gateway.clients()] == [editor.client_id]
        assert editor.close_code is None
        await editor.close()
