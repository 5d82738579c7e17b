"""The rest of the MCP protocol a host uses, through the official SDK: progress, structured results, logging,
cancellation by an abandoning host, and discovery. Cancellation rules themselves are tested in process
(Tests/GatewayEngineTests/RoutingThroughTheEngineTests.swift)."""
import asyncio
import json
import os

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from fake_editor import FakeEditor
from gateway import GATEWAY_BIN, RawGateway, free_port, mcp_gateway


async def wait_for(predicate, timeout: float = 5) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.01)


async def test_progress_reaches_the_host_in_order_and_extends_the_deadline():
    """A 1 s command timeout; the editor works for 2.4 s, reporting progress every 0.6 s: the call
    succeeds, and the host sees the progress with its token, in order."""
    steps = []
    for step in range(1, 5):
        steps += [0.6, '{"type":"progress","id":"{ID}","progress":%d,"total":4,"message":"step %d"}' % (step, step)]
    steps.append('{"id":"{ID}","success":true,"result":{"saved":4},"error":null}')
    seen = []

    async def on_progress(progress, total, message):
        seen.append((progress, total, message))

    async with mcp_gateway("--command-timeout", "1") as gateway:
        editor = await FakeEditor(gateway.port, handler=lambda c, p: list(steps)).start()
        await gateway.wait_ready(editor.client_id)
        result = await gateway.session.call_tool("save_scene", {}, progress_callback=on_progress)
        assert not result.is_error, result.content[0].text
        assert json.loads(result.content[0].text) == {"saved": 4}
        assert [s[0] for s in seen] == [1, 2, 3, 4]
        assert all(s[1] == 4 for s in seen) and seen[-1][2] == "step 4"
        await editor.close()


async def test_object_results_are_also_structured_content():
    async with mcp_gateway() as gateway:
        editor = await FakeEditor(gateway.port).start()
        await gateway.wait_ready(editor.client_id)
        result = await gateway.session.call_tool("get_node_properties", {"node_path": "/root/Main"})
        assert not result.is_error
        assert result.structured_content == json.loads(result.content[0].text)
        await editor.close()


async def test_gateway_events_reach_the_host_at_the_level_it_chose():
    messages = []

    async def on_log(params):
        messages.append((params.level, params.data))

    port = free_port()
    params = StdioServerParameters(command=GATEWAY_BIN, args=["--port", str(port)], env=dict(os.environ))
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write, logging_callback=on_log) as session:
            await session.initialize()
            await session.set_logging_level("info")
            editor = await FakeEditor(port).start()
            await wait_for(lambda: any("connected" in str(data) for _, data in messages))
            await editor.close()
            await wait_for(lambda: any("disconnected" in str(data) for _, data in messages))
            assert [level for level, _ in messages] == ["info", "warning"]
            await session.set_logging_level("error")
            other = await FakeEditor(port).start()
            await other.close()
            # Nothing at info or warning arrives now; a ping proves the gateway has handled both events.
            await session.send_ping()
            assert len(messages) == 2


async def test_a_host_that_abandons_a_call_cancels_it_through_the_official_sdk():
    """The official SDK sends notifications/cancelled when a call is abandoned (a user pressing Esc)."""
    async with mcp_gateway("--command-timeout", "30") as gateway:
        editor = await FakeEditor(gateway.port, handler=lambda c, p: None).start()
        await gateway.wait_ready(editor.client_id)
        call = asyncio.create_task(gateway.session.call_tool("get_scene_tree", {}))
        command = await asyncio.wait_for(editor.commands.get(), 5)
        call.cancel()
        await wait_for(lambda: any(m.get("type") == "cancel" and m.get("id") == command["id"] for m in editor.received))
        numbers = await gateway.call_json("get_connection_stats")
        assert numbers["commandsCancelled"] == 1 and numbers["pendingCommands"] == 0
        await editor.close()


async def test_a_host_that_probes_discovery_and_then_sends_initialize_gets_both_eras():
    """The SDK's default client (mode "auto") first asks `server/discover` at 2026-07-28; the gateway
    answers it (the modern era, tests/integration/test_mcp_2026.py). Hosts mid-rollout send `initialize`
    after a successful probe: that still selects the handshake era on the same stdio."""
    gateway = await RawGateway().start()
    try:
        probe = await gateway.request("server/discover", {"_meta": {
            "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {}}})
        answer = await gateway.response(probe)
        assert answer["result"]["resultType"] == "complete"
        assert answer["result"]["supportedVersions"][:2] == ["2026-07-28", "2025-11-25"]
        await gateway.initialize()
        call = await gateway.request("tools/call", {"name": "get_connection_stats", "arguments": {}})
        result = (await gateway.response(call))["result"]
        assert result["isError"] is False and "resultType" not in result
    finally:
        await gateway.kill()
