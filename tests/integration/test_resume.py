"""An editor that declared it resumes but closes with 1000 or 1001 ends its calls at once: kept here because
the close code comes from the real close handshake, read by the socket layer. The resume rules themselves
(ids kept, commands resent once, single-use tokens 4001, replaced connections 4003, unknown tokens, calls
waiting for a dropped editor, the grace) are tested in process, through the engine
(Tests/GatewayEngineTests/ResumeTokensThroughTheEngineTests.swift, ResumeThroughTheEngineTests.swift)."""
import asyncio
import time

from fake_editor import FakeEditor
from gateway import mcp_gateway


async def test_an_editor_that_closes_on_purpose_ends_its_calls_at_once():
    # It declared that it resumes, but a close frame with 1000 or 1001 says it is leaving.
    async with mcp_gateway("--command-timeout", "30") as gateway:
        for code in (1000, 1001):
            editor = await FakeEditor(gateway.port, handler=lambda c, p: None, resumable=True).start()
            await editor.identified()
            call = asyncio.create_task(gateway.call("get_scene_tree", {"client": editor.client_id}))
            await asyncio.wait_for(editor.commands.get(), 5)
            closed_at = time.monotonic()
            await editor.close(code)
            is_error, text = await asyncio.wait_for(call, 10)
            assert is_error and "disconnected before it answered" in text, text
            assert time.monotonic() - closed_at < 3
            assert (await gateway.call_json("get_connection_stats"))["editorsAwaitingReconnect"] == 0
