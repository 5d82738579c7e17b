"""Collaboration: editors' events reach the clients that subscribed and become MCP resources hosts can
read and subscribe to; scene locks keep one MCP session's edits off a scene another session locked."""
import asyncio
import json
import os

import mcp.types as types
import websockets
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from fake_editor import TEST_TOKEN, FakeEditor
from gateway import GATEWAY_BIN, free_port, mcp_gateway


async def test_events_fan_out_to_subscribers_and_update_the_resources_a_host_subscribed_to():
    port = free_port()
    updates = asyncio.Queue()

    async def on_message(message) -> None:
        notification = getattr(message, "root", message)
        if isinstance(notification, types.ResourceUpdatedNotification):
            await updates.put(str(notification.params.uri))

    params = StdioServerParameters(command=GATEWAY_BIN, args=["--port", str(port)], env=dict(os.environ))
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write, message_handler=on_message) as session:
            await session.initialize()
            editor = await FakeEditor(port).start()
            watcher = await websockets.connect(f"ws://127.0.0.1:{port}/?type=mcp",
                                               additional_headers={"Authorization": f"Bearer {TEST_TOKEN}"})
            assert json.loads(await watcher.recv())["type"] == "handshake"
            await watcher.send(json.dumps({"type": "identify", "clientType": "mcp"}))
            await watcher.send(json.dumps({"type": "subscribe", "events": ["*"]}))
            scene_uri = f"godot://client/{editor.client_id}/scene"
            async with asyncio.timeout(5):
                while scene_uri not in {str(r.uri) for r in (await session.list_resources()).resources}:
                    await asyncio.sleep(0.02)
            await session.subscribe_resource(scene_uri)
            await editor.send({"type": "event", "event": "scene_changed", "data": {"scene": "res://level.tscn", "root": "Level"}})
            event = json.loads(await asyncio.wait_for(watcher.recv(), 5))
            assert event == {"type": "event", "clientId": editor.client_id, "event": "scene_changed",
                             "data": {"scene": "res://level.tscn", "root": "Level"}, "timestamp": event["timestamp"]}
            assert await asyncio.wait_for(updates.get(), 5) == scene_uri
            content = (await session.read_resource(scene_uri)).contents[0].text
            assert json.loads(content)["scene"] == "res://level.tscn"
            recent = json.loads((await session.read_resource("godot://events")).contents[0].text)["events"]
            assert recent[-1]["event"] == "scene_changed"
            # A bad event is refused with an error and changes nothing.
            await editor.send({"type": "event", "event": "reformat_disk", "data": {}})
            error = await asyncio.wait_for(editor.errors.get(), 5)
            assert "event needs 'event'" in error["error"]
            await watcher.close()
            await editor.close()


async def test_a_locked_scene_refuses_other_sessions_edits_until_unlocked_or_its_holder_leaves():
    port = free_port()
    async with mcp_gateway(port=port) as first:
        editor = await FakeEditor(port).start()
        await first.wait_ready(editor.client_id)
        await editor.send({"type": "event", "event": "scene_changed", "data": {"scene": "res://level.tscn"}})
        async with asyncio.timeout(5):
            while json.loads((await first.session.read_resource(f"godot://client/{editor.client_id}/scene"))
                             .contents[0].text)["scene"] != "res://level.tscn":
                await asyncio.sleep(0.02)
        is_error, text = await first.call("lock_scene", {"scene": "res://level.tscn"})
        assert not is_error, text
        async with mcp_gateway(port=port) as second:  # another host, relayed through the first
            is_error, text = await second.call("create_node", {"node_type": "Node2D", "node_name": "Enemy"})
            assert is_error and "res://level.tscn is locked by" in text
            assert not (await second.call("get_scene_tree"))[0]  # reading is fine
            is_error, text = await second.call("lock_scene", {"scene": "res://level.tscn"})
            assert is_error and "locked by" in text
            assert not (await first.call("create_node", {"node_type": "Node2D", "node_name": "Mine"}))[0]  # its own lock
            assert not (await first.call("unlock_scene", {"scene": "res://level.tscn"}))[0]
            assert not (await second.call("create_node", {"node_type": "Node2D", "node_name": "Enemy"}))[0]
            assert not (await second.call("lock_scene", {"scene": "res://level.tscn"}))[0]
        # The second host's process left: its lock went with it.
        async with asyncio.timeout(5):
            while (await first.call("lock_scene", {"scene": "res://level.tscn"}))[0]:
                await asyncio.sleep(0.05)
        await editor.close()
