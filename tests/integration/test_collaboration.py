"""Collaboration: editors' events reach the clients that subscribed and become MCP resources hosts can
read and subscribe to. Scene locks between sessions are tested in process, through the engine
(Tests/GatewayEngineTests/LocksThroughTheEngineTests.swift)."""
import asyncio
import json
import os

import mcp.types as types
import websockets
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from fake_editor import TEST_TOKEN, FakeEditor
from gateway import GATEWAY_BIN, free_port


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
