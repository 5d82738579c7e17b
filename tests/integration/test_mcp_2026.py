"""MCP 2026-07-28 beside the handshake era, through the real binary and the official Python SDK 2.3:
auto mode ends modern without falling back, a host pinned to 2026-07-28 gets everything a host uses, a
legacy host still works, and toolsets come from the flag or the environment. The version errors in raw
JSON-RPC and the listen streams' end at a stop are tested in process, through the engine
(Tests/GatewayEngineTests/ModernEraThroughTheEngineTests.swift)."""
import asyncio
import json
import os

from mcp import StdioServerParameters
from mcp.client import Client
from mcp.shared.subscriptions import ToolsListChanged

from fake_editor import FakeEditor
from gateway import GATEWAY_BIN, free_port

MODERN = "2026-07-28"
META = {"io.modelcontextprotocol/protocolVersion": MODERN, "io.modelcontextprotocol/clientCapabilities": {}}


def server(port: int, *args: str) -> StdioServerParameters:
    return StdioServerParameters(command=GATEWAY_BIN, args=["--port", str(port), "--startup-grace", "0", *args], env=dict(os.environ))


async def test_auto_mode_ends_on_2026_07_28_without_falling_back():
    """The SDK's default: it probes server/discover and adopts the result; no initialize is sent."""
    async with Client(server(free_port())) as client:
        assert client.protocol_version == MODERN
        assert client.session.discover_result is not None and client.session.initialize_result is None
        assert client.server_info is not None and client.server_info.name == "godot-mcp-gateway"
        assert "toolset" in (client.instructions or "")
        tools = (await client.list_tools()).tools
        names = [tool.name for tool in tools]
        assert "get_scene_tree" in names and "list_toolsets" in names and "list_files" not in names  # the lean default
        result = await client.call_tool("get_connection_stats", {})
        assert not result.is_error and "godotClients" in result.content[0].text


async def test_a_host_pinned_to_2026_07_28_lists_calls_an_editor_and_hears_progress():
    port = free_port()
    steps = [0.1, '{"type":"progress","id":"{ID}","progress":1,"total":2,"message":"half"}',
             0.1, '{"type":"progress","id":"{ID}","progress":2,"total":2,"message":"done"}',
             '{"id":"{ID}","success":true,"result":{"saved":true},"error":null}']
    seen = []

    async def on_progress(progress, total, message):
        seen.append((progress, total, message))

    async with Client(server(port), mode=MODERN) as client:
        assert client.protocol_version == MODERN
        listing = await client.list_tools()
        assert listing.ttl_ms == 0 and listing.cache_scope == "private"
        assert [t.name for t in listing.tools] == [t.name for t in (await client.list_tools(cache_mode="bypass")).tools]
        editor = await FakeEditor(port, handler=lambda c, p: list(steps) if c == "save_scene" else
                                  {"success": True, "result": {"command": c, "params": p}, "error": None}).start()
        await editor.identified()
        result = await client.call_tool("get_node_properties", {"node_path": "/root/Main"})
        assert not result.is_error and result.structured_content["params"] == {"node_path": "/root/Main"}
        result = await client.call_tool("save_scene", {}, progress_callback=on_progress)
        assert not result.is_error and json.loads(result.content[0].text) == {"saved": True}
        assert seen == [(1, 2, "half"), (2, 2, "done")]
        await editor.close()


async def test_a_pinned_host_cancels_a_call_and_the_editor_hears_it():
    port = free_port()
    async with Client(server(port, "--command-timeout", "30"), mode=MODERN) as client:
        await client.list_tools()
        editor = await FakeEditor(port, handler=lambda c, p: None).start()
        await editor.identified()
        call = asyncio.create_task(client.call_tool("get_scene_tree", {}))
        command = await asyncio.wait_for(editor.commands.get(), 5)
        call.cancel()
        async with asyncio.timeout(5):
            while not any(m.get("type") == "cancel" and m.get("id") == command["id"] for m in editor.received):
                await asyncio.sleep(0.01)
        stats = json.loads((await client.call_tool("get_connection_stats", {})).content[0].text)
        assert stats["commandsCancelled"] == 1 and stats["pendingCommands"] == 0
        await editor.close()


async def test_a_pinned_host_hears_list_changes_on_its_listen_stream():
    """Enabling a toolset and an editor arriving both change the tool list; a modern host hears it on
    the subscriptions/listen stream it opened, tagged with that stream's id."""
    port = free_port()
    async with Client(server(port), mode=MODERN) as client:
        async with client.listen(tools_list_changed=True, prompts_list_changed=True) as subscription:
            assert subscription.honored.tools_list_changed is True and not subscription.honored.prompts_list_changed
            result = await client.call_tool("enable_toolset", {"toolset": "files"})
            assert not result.is_error and "files is enabled" in result.content[0].text
            event = await asyncio.wait_for(anext(aiter(subscription)), 5)
            assert isinstance(event, ToolsListChanged)
            assert "list_files" in {tool.name for tool in (await client.list_tools()).tools}
            editor = await FakeEditor(port, capabilities={"commands": [{
                "name": "bake_lightmaps", "description": "Bake.", "inputSchema": {"type": "object", "properties": {}}}]}).start()
            event = await asyncio.wait_for(anext(aiter(subscription)), 5)
            assert isinstance(event, ToolsListChanged)
            assert "bake_lightmaps" in {tool.name for tool in (await client.list_tools()).tools}  # an unknown tool: set "other"
            await editor.close()


async def test_log_messages_reach_only_a_request_that_asked_for_them():
    port = free_port()
    messages = []

    async def on_log(params):
        messages.append((params.level, params.data))

    async with Client(server(port), mode=MODERN, logging_callback=on_log) as client:
        await client.list_tools()
        editor = await FakeEditor(port).start()
        await editor.identified()
        assert not (await client.call_tool("get_scene_tree", {})).is_error
        await editor.close()
        await client.call_tool("get_connection_stats", {})
        assert messages == []  # no request asked: nothing, not even the editor leaving
    async with Client(server(port), mode=MODERN, logging_callback=on_log, log_level="info") as client:
        await client.list_tools()
        editor = await FakeEditor(port).start()
        await editor.identified()
        assert not (await client.call_tool("get_scene_tree", {})).is_error
        assert any(level == "info" and "get_scene_tree answered by Godot editor" in str(data) for level, data in messages)
        await editor.close()


async def test_legacy_mode_still_negotiates_the_handshake():
    async with Client(server(free_port()), mode="legacy") as client:
        assert client.protocol_version == "2025-11-25"
        assert client.session.initialize_result is not None
        result = await client.call_tool("get_connection_stats", {})
        assert not result.is_error


async def test_toolsets_come_from_the_flag_or_the_environment_and_unknown_names_stop_the_start():
    import subprocess
    refused = subprocess.run([GATEWAY_BIN, "--toolsets", "scene,wizardry"], capture_output=True, text=True, timeout=10,
                             stdin=subprocess.DEVNULL)
    assert refused.returncode != 0 and "unknown toolset 'wizardry'" in refused.stderr and "runtime" in refused.stderr
    environment = dict(os.environ, GODOT_MCP_TOOLSETS="files")
    params = StdioServerParameters(command=GATEWAY_BIN, args=["--port", str(free_port())], env=environment)
    async with Client(params, mode=MODERN) as client:
        names = {tool.name for tool in (await client.list_tools()).tools}
        assert names == {"list_files", "read_file", "search_files", "list_toolsets", "enable_toolset", "disable_toolset"}
        report = json.loads((await client.call_tool("list_toolsets", {})).content[0].text)
        assert [s["name"] for s in report["toolsets"] if s["enabled"]] == ["files"]
        # A tool of a set not listed still answers when called by name.
        result = await client.call_tool("get_connection_stats", {})
        assert not result.is_error
