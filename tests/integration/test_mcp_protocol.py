"""A host that abandons a call, through the official SDK: what the SDK sends (notifications/cancelled) is the
point, so this stays a real-binary test. Progress, structured results, logging levels, discovery and the
cancellation rules are tested in process, through the engine (Tests/GatewayEngineTests/
MCPFaceThroughTheEngineTests.swift, RoutingThroughTheEngineTests.swift)."""
import asyncio

from fake_editor import FakeEditor
from gateway import mcp_gateway


async def wait_for(predicate, timeout: float = 5) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.01)


async def test_a_host_that_abandons_a_call_cancels_it_through_the_official_sdk():
    """The official SDK sends notifications/cancelled when a call is abandoned (a user pressing Esc)."""
    async with mcp_gateway("--command-timeout", "30") as gateway:
        editor = await FakeEditor(gateway.port, handler=lambda c, p: None).start()
        await editor.identified()
        call = asyncio.create_task(gateway.session.call_tool("get_scene_tree", {}))
        command = await asyncio.wait_for(editor.commands.get(), 5)
        call.cancel()
        await wait_for(lambda: any(m.get("type") == "cancel" and m.get("id") == command["id"] for m in editor.received))
        numbers = await gateway.call_json("get_connection_stats")
        assert numbers["commandsCancelled"] == 1 and numbers["pendingCommands"] == 0
        await editor.close()
