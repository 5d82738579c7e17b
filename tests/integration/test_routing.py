"""Commands from the MCP host routed to real editors over real sockets: parameters intact through both
JSON hops, and an editor killed mid-command. The routing logic itself is tested in process, through the
engine (Tests/GatewayEngineTests/RoutingThroughTheEngineTests.swift)."""
import asyncio
import os
import signal
import time

from fake_editor import EditorProcess, FakeEditor
from gateway import mcp_gateway


async def test_routed_call_round_trip_keeps_params_intact():
    params = {"node_type": "Sprite2D", "node_name": "Héros ✨", "parent_path": "/root/Main",
              "properties": {"position": [1.5, -2], "modulate": {"r": 1, "g": 0.5, "b": 0, "a": 1},
                             "visible": True, "texture": None, "tags": ["a", "b"]}}
    async with mcp_gateway() as gateway:
        editor = await FakeEditor(gateway.port).start()
        await editor.identified()
        result = await gateway.call_json("create_node", params)
        assert result == {"command": "create_node", "params": params}
        command = editor.commands.get_nowait()
        assert command["command"] == "create_node" and command["params"] == params
        assert isinstance(command["id"], str) and isinstance(command["timestamp"], int)
        await editor.close()


async def test_editor_killed_mid_command_fails_the_call_within_a_second():
    # With resuming off: an editor that is gone cannot answer, so the call fails at once.
    async with mcp_gateway("--command-timeout", "30", "--resume-window", "0") as gateway:
        editor = await EditorProcess.start(gateway.port, "--hang")
        await editor.next_event("identified")
        call = asyncio.create_task(gateway.call("get_scene_tree"))
        await editor.next_event("command")
        killed_at = time.monotonic()
        os.kill(editor.process.pid, signal.SIGKILL)
        is_error, text = await asyncio.wait_for(call, 5)
        elapsed = time.monotonic() - killed_at
        await editor.process.wait()
        assert is_error and "disconnected before it answered" in text
        assert elapsed < 1.0, f"took {elapsed:.2f} s"
        assert await gateway.clients() == []
