"""Calls that wait for an editor: in the first seconds after start (an editor still opening), or when a
call asks with wait_seconds, a call that finds no suitable editor waits for one instead of failing; it is
delivered when the editor identifies, or ends with a clear error at its own deadline."""
import asyncio

from fake_editor import FakeEditor
from gateway import mcp_gateway


async def test_a_call_made_before_any_editor_is_answered_when_one_connects():
    async with mcp_gateway("--startup-grace", "30", "--command-timeout", "10") as gateway:
        call = asyncio.create_task(gateway.call("get_node_properties", {"node_path": "/root/Early"}))
        stats = {}
        async with asyncio.timeout(5):
            while stats.get("callsWaitingForEditor") != 1:
                stats = await gateway.call_json("get_connection_stats")
        editor = await FakeEditor(gateway.port).start()
        is_error, text = await asyncio.wait_for(call, 5)
        assert not is_error and "/root/Early" in text
        assert (await gateway.call_json("get_connection_stats"))["callsThatWaited"] == 1
        await editor.close()


async def test_after_the_grace_a_call_waits_only_when_it_asks_and_ends_clearly_at_its_deadline():
    async with mcp_gateway("--startup-grace", "0") as gateway:
        is_error, text = await gateway.call("get_scene_tree")
        assert is_error and "No Godot editor is connected" in text
        is_error, text = await gateway.call("get_scene_tree", {"wait_seconds": 0.3})
        assert is_error and "Waited 0.3 s for a Godot editor" in text
        waiting = asyncio.create_task(gateway.call("get_scene_tree", {"wait_seconds": 10}))
        async with asyncio.timeout(5):
            while (await gateway.call_json("get_connection_stats"))["callsWaitingForEditor"] != 1:
                pass
        editor = await FakeEditor(gateway.port).start()
        is_error, text = await asyncio.wait_for(waiting, 5)
        assert not is_error and "get_scene_tree" in text
        assert "wait_seconds" not in editor.received[-1].get("params", {})  # taken out before forwarding
        await editor.close()


async def test_the_number_of_waiting_calls_is_bounded():
    async with mcp_gateway("--startup-grace", "30", "--max-queued", "1") as gateway:
        first = asyncio.create_task(gateway.call("get_scene_tree"))
        async with asyncio.timeout(5):
            while (await gateway.call_json("get_connection_stats"))["callsWaitingForEditor"] != 1:
                pass
        is_error, text = await gateway.call("list_nodes")
        assert is_error and "Too many calls are waiting for an editor" in text
        editor = await FakeEditor(gateway.port).start()
        assert not (await asyncio.wait_for(first, 5))[0]
        await editor.close()
