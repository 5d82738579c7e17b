"""Editors' capabilities become tools: the tool list is the gateway's own tools plus the union of the
connected editors' commands (a project's own command included), hosts are told when it changes, calls go
only to editors that offer the tool, and an editor that declares nothing offers the original eleven."""
import asyncio
import os

import mcp.types as types
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from fake_editor import FakeEditor
from gateway import GATEWAY_BIN, free_port

BAKE = {"name": "bake_lightmaps", "description": "A project's own command: bake the lightmaps of a scene.",
        "inputSchema": {"type": "object", "properties": {"scene": {"type": "string"}}, "required": ["scene"],
                        "additionalProperties": False},
        "readOnly": False, "destructive": True}


async def test_a_project_tool_appears_and_disappears_with_its_editor_and_hosts_are_told():
    port = free_port()
    changes = asyncio.Queue()

    async def on_message(message) -> None:
        notification = getattr(message, "root", message)
        if isinstance(notification, types.ToolListChangedNotification):
            await changes.put(True)

    params = StdioServerParameters(command=GATEWAY_BIN, args=["--port", str(port)], env=dict(os.environ))
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write, message_handler=on_message) as session:
            await session.initialize()
            names = {tool.name for tool in (await session.list_tools()).tools}
            assert "bake_lightmaps" not in names and "get_scene_tree" in names  # no editor: the built-in catalog
            editor = await FakeEditor(port, capabilities={"commands": [BAKE]}).start()
            await asyncio.wait_for(changes.get(), 5)
            tools = {tool.name: tool for tool in (await session.list_tools()).tools}
            assert set(tools) == {"bake_lightmaps", "list_clients", "get_connection_stats", "select_client", "lock_scene", "unlock_scene",
                                  "list_toolsets", "enable_toolset", "disable_toolset"}
            bake = tools["bake_lightmaps"]
            assert bake.annotations.destructive_hint is True and bake.annotations.read_only_hint is False
            assert "client" in bake.input_schema["properties"] and bake.input_schema["required"] == ["scene"]
            result = await session.call_tool("bake_lightmaps", {"scene": "res://level.tscn"})
            assert not result.is_error and "res://level.tscn" in result.content[0].text
            # Validated against the editor's own schema before it is forwarded.
            result = await session.call_tool("bake_lightmaps", {})
            assert result.is_error and "scene" in result.content[0].text
            # A built-in tool this editor does not declare: a clear error naming the editors.
            result = await session.call_tool("get_scene_tree", {"wait_seconds": 0})
            assert result.is_error and "No connected Godot editor offers the tool 'get_scene_tree'" in result.content[0].text
            await editor.close()
            await asyncio.wait_for(changes.get(), 5)
            names = {tool.name for tool in (await session.list_tools()).tools}
            assert "bake_lightmaps" not in names


async def test_an_editor_without_capabilities_offers_the_original_eleven_and_calls_go_to_one_that_offers():
    port = free_port()
    params = StdioServerParameters(command=GATEWAY_BIN, args=["--port", str(port)], env=dict(os.environ))
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            original = await FakeEditor(port, capabilities=False).start()
            project = await FakeEditor(port, capabilities={"commands": [BAKE]}).start()
            async with asyncio.timeout(5):
                while "bake_lightmaps" not in {tool.name for tool in (await session.list_tools()).tools}:
                    await asyncio.sleep(0.02)
            names = {tool.name for tool in (await session.list_tools()).tools}
            assert {"get_scene_tree", "create_node", "save_scene", "bake_lightmaps"} <= names
            assert "delete_node" not in names  # not one of the original eleven, declared by nobody
            for _ in range(3):
                assert not (await session.call_tool("bake_lightmaps", {"scene": "s"})).is_error
                assert not (await session.call_tool("get_scene_tree", {})).is_error
            assert project.commands.qsize() == 3 and original.commands.qsize() == 3
            result = await session.call_tool("bake_lightmaps", {"scene": "s", "client": original.client_id})
            assert result.is_error and "does not offer the tool 'bake_lightmaps'" in result.content[0].text
            await original.close()
            await project.close()


async def test_an_image_result_reaches_the_host_as_image_content():
    import base64
    png = base64.b64encode(bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")).decode()
    screenshot = {"name": "get_editor_screenshot", "description": "A PNG of a viewport.", "readOnly": True,
                  "returnsImage": True, "inputSchema": {"type": "object", "properties": {}, "additionalProperties": False}}
    port = free_port()
    params = StdioServerParameters(command=GATEWAY_BIN, args=["--port", str(port)], env=dict(os.environ))
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            editor = await FakeEditor(port, capabilities={"commands": [screenshot]}, handler=lambda c, p: {
                "success": True, "error": None,
                "result": {"image_data": png, "image_mime_type": "image/png", "width": 1, "height": 1}}).start()
            async with asyncio.timeout(5):
                while True:
                    result = await session.call_tool("get_editor_screenshot", {})
                    if not result.is_error:
                        break
                    await asyncio.sleep(0.02)  # the editor identifies
            image, text = result.content
            assert isinstance(image, types.ImageContent) and image.mime_type == "image/png" and image.data == png
            assert '"width":1' in text.text and "image_data" not in text.text
            await editor.close()
