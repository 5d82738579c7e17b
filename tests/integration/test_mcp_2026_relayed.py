"""MCP 2026-07-28 away from the editors' gateway: a modern host whose gateway process relays through the
one that owns the port and one whose gateway goes to a service with --upstream. A `?type=mcp` WebSocket
client speaking the modern era itself is tested in process, through the engine
(Tests/GatewayEngineTests/ModernEraThroughTheEngineTests.swift)."""
import asyncio
import json
import os
import signal

from mcp import StdioServerParameters
from mcp.client import Client
from mcp.shared.subscriptions import ToolsListChanged

from fake_editor import FakeEditor
from gateway import GATEWAY_BIN, RawGateway, free_port
from test_service import start_service

MODERN = "2026-07-28"
META = {"io.modelcontextprotocol/protocolVersion": MODERN, "io.modelcontextprotocol/clientCapabilities": {}}
BAKE = {"name": "bake_lightmaps", "description": "Bake.", "inputSchema": {"type": "object", "properties": {}}}


async def routed_call(client: Client, tool: str, arguments: dict, timeout: float = 10):
    """Calls until an editor answers (a relaying link or an upstream may still be opening)."""
    async with asyncio.timeout(timeout):
        while True:
            result = await client.call_tool(tool, arguments)
            if not result.is_error:
                return result
            await asyncio.sleep(0.05)


async def modern_host_through(client: Client, editor_port: int) -> None:
    """What a modern host does through another gateway: lists its own toolsets, calls an editor, hears
    list changes on its listen stream (its own toolset switch, and an editor's arrival at the far end),
    gets log messages it asked for, and nothing it did not."""
    assert client.protocol_version == MODERN and client.session.initialize_result is None
    result = await routed_call(client, "get_node_properties", {"node_path": "/root/Main"})
    assert result.structured_content["params"] == {"node_path": "/root/Main"}
    names = {tool.name for tool in (await client.list_tools()).tools}
    # --toolsets scene,other on the host's own gateway process: the far end lists what this host chose.
    assert "get_scene_tree" in names and "list_nodes" not in names and "list_toolsets" in names
    async with client.listen(tools_list_changed=True) as subscription:
        assert subscription.honored.tools_list_changed
        assert not (await client.call_tool("enable_toolset", {"toolset": "nodes"})).is_error
        assert isinstance(await asyncio.wait_for(anext(aiter(subscription)), 5), ToolsListChanged)
        assert "list_nodes" in {tool.name for tool in (await client.list_tools()).tools}
        baker = await FakeEditor(editor_port, capabilities={"commands": [BAKE]}).start()
        assert isinstance(await asyncio.wait_for(anext(aiter(subscription)), 5), ToolsListChanged)
        assert "bake_lightmaps" in {tool.name for tool in (await client.list_tools()).tools}
        await baker.close()


async def test_a_modern_host_through_a_gateway_that_relays_to_the_port_owner():
    port = free_port()
    owner = await RawGateway(port=port, quiet=True).start()
    editor = await FakeEditor(port).start()
    messages = []

    async def on_log(params):
        messages.append(params.data)

    params = StdioServerParameters(command=GATEWAY_BIN, args=["--port", str(port), "--toolsets", "scene,other"], env=dict(os.environ))
    try:
        async with Client(params, logging_callback=on_log) as client:  # auto: the probe is answered by the relaying process
            await modern_host_through(client, port)
            assert messages == []
            result = await client.call_tool("get_scene_tree", {}, meta={"io.modelcontextprotocol/logLevel": "info"})
            assert not result.is_error
            assert any("get_scene_tree answered by Godot editor" in str(data) for data in messages)
        stats = await owner.response(await owner.request("tools/call", {"name": "get_connection_stats", "arguments": {}}))
        assert json.loads(stats["result"]["content"][0]["text"])["role"] == "owner"
    finally:
        await editor.close()
        await owner.kill()


async def test_a_modern_host_through_an_upstream_service():
    port = free_port()
    service = await start_service("--port", str(port), env=dict(os.environ))
    editor = await FakeEditor(port).start()
    params = StdioServerParameters(command=GATEWAY_BIN, args=[
        "--upstream", f"ws://localhost:{port}", "--port", str(free_port()), "--toolsets", "scene,other"], env=dict(os.environ))
    try:
        async with Client(params, mode=MODERN) as client:
            await modern_host_through(client, port)
            # The service restarts: the open listen stream is ended the modern way (the SDK sees it lost),
            # calls fail clearly meanwhile, and work again once the link is back.
            async with client.listen(tools_list_changed=True) as subscription:
                service.send_signal(signal.SIGTERM)
                await asyncio.get_running_loop().run_in_executor(None, service.wait, 10)
                ended = False
                try:
                    await asyncio.wait_for(anext(aiter(subscription)), 5)
                except Exception as error:  # SubscriptionLost, raised when the gateway cancels the stream
                    ended = "lost" in type(error).__name__.lower() or "lost" in str(error).lower()
                assert ended
            result = await client.call_tool("get_scene_tree", {})
            assert result.is_error and f"ws://localhost:{port}" in result.content[0].text
            service = await start_service("--port", str(port), env=dict(os.environ))
            editor = await FakeEditor(port).start()
            await routed_call(client, "get_scene_tree", {}, timeout=15)
    finally:
        await editor.close()
        service.send_signal(signal.SIGTERM)
        await asyncio.get_running_loop().run_in_executor(None, service.wait, 10)
