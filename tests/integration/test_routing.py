"""Commands from the MCP host routed to editors, and every way a command can fail."""
import asyncio
import os
import signal
import time

from fake_editor import EditorProcess, FakeEditor
from gateway import mcp_gateway


async def test_no_editor_is_a_clear_tool_error():
    async with mcp_gateway("--startup-grace", "0") as gateway:
        is_error, text = await gateway.call("get_scene_tree")
        assert is_error
        assert "No Godot editor is connected" in text


async def test_routed_call_round_trip_keeps_params_intact():
    params = {"node_type": "Sprite2D", "node_name": "Héros ✨", "parent_path": "/root/Main",
              "properties": {"position": [1.5, -2], "modulate": {"r": 1, "g": 0.5, "b": 0, "a": 1},
                             "visible": True, "texture": None, "tags": ["a", "b"]}}
    async with mcp_gateway() as gateway:
        editor = await FakeEditor(gateway.port).start()
        await gateway.wait_ready(editor.client_id)
        result = await gateway.call_json("create_node", params)
        assert result == {"command": "create_node", "params": params}
        command = editor.commands.get_nowait()
        assert command["command"] == "create_node" and command["params"] == params
        assert isinstance(command["id"], str) and isinstance(command["timestamp"], int)
        await editor.close()


async def test_editor_error_text_reaches_the_host():
    def failing(command, params):
        return {"success": False, "result": None, "error": f"Node not found: {params.get('node_path')}"}

    async with mcp_gateway() as gateway:
        editor = await FakeEditor(gateway.port, handler=failing).start()
        await gateway.wait_ready(editor.client_id)
        is_error, text = await gateway.call("get_node_properties", {"node_path": "/root/Missing"})
        assert is_error
        assert "Node not found: /root/Missing" in text
        await editor.close()


async def test_two_editors_first_gets_commands_then_the_second_after_it_leaves():
    async with mcp_gateway() as gateway:
        first = await FakeEditor(gateway.port).start()
        await gateway.wait_ready(first.client_id)
        second = await FakeEditor(gateway.port).start()
        await gateway.wait_ready(second.client_id)
        await gateway.call_json("get_scene_tree")
        assert first.commands.qsize() == 1 and second.commands.qsize() == 0
        await first.close()
        await gateway.wait_for_clients(lambda c: [x["clientId"] for x in c] == [second.client_id])
        await gateway.call_json("get_scene_tree")
        assert second.commands.qsize() == 1
        await second.close()


async def test_timeout_is_reported_with_its_length():
    async with mcp_gateway("--command-timeout", "0.3") as gateway:
        editor = await FakeEditor(gateway.port, handler=lambda c, p: None).start()
        await gateway.wait_ready(editor.client_id)
        started = time.monotonic()
        is_error, text = await gateway.call("get_scene_tree")
        assert is_error and "did not answer within 0.3 s" in text
        assert time.monotonic() - started < 2
        stats = await gateway.call_json("get_connection_stats")
        assert stats["commandsTimedOut"] == 1
        await editor.close()


async def test_editor_killed_mid_command_fails_the_call_within_a_second():
    # With resuming off: an editor that is gone cannot answer, so the call fails at once.
    async with mcp_gateway("--command-timeout", "30", "--resume-window", "0") as gateway:
        editor = await EditorProcess.start(gateway.port, "--hang")
        client_id = (await editor.next_event("handshake"))["clientId"]
        await gateway.wait_ready(client_id)
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
