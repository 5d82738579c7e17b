"""Persistent ids: an editor that declared it resumes and reconnects with the resume token of its last
handshake gets its id back, and the command it had not answered is sent to it again, once; tokens are
single-use (4001), and a token of a connection still open moves the id and closes the old connection
(4003). Only where resuming can happen does anything wait: an editor that never declared it (the original
addon) or that closed on purpose ends its calls at once, and a dropped one's calls wait only the grace."""
import asyncio
import os
import signal
import time

from fake_editor import EditorProcess, FakeEditor
from gateway import mcp_gateway


async def test_a_reconnecting_editor_keeps_its_id_and_answers_what_was_in_flight():
    async with mcp_gateway("--command-timeout", "30") as gateway:
        first = await FakeEditor(gateway.port, handler=lambda c, p: None, resumable=True).start()  # never answers
        await gateway.wait_ready(first.client_id)
        old_id, token = first.client_id, first.handshake["resumeToken"]
        call = asyncio.create_task(gateway.call("get_node_properties", {"node_path": "/root/A"}))
        command = await asyncio.wait_for(first.commands.get(), 5)
        await first.drop()
        again = FakeEditor(gateway.port, identity={"resumeToken": token}, resumable=True)
        await again.start()
        await asyncio.wait_for(again.resumed.wait(), 5)
        assert again.client_id == old_id and again.handshake["resumeToken"] != token
        resent = await asyncio.wait_for(again.commands.get(), 5)
        assert resent["id"] == command["id"] and resent["params"] == {"node_path": "/root/A"}
        is_error, text = await asyncio.wait_for(call, 5)
        assert not is_error and "/root/A" in text
        assert [c["clientId"] for c in await gateway.clients()] == [old_id]
        stats = await gateway.call_json("get_connection_stats")
        assert stats["clientsResumed"] == 1 and stats["commandsResent"] == 1 and stats["pendingCommands"] == 0
        await again.close()


async def test_a_token_works_once_and_its_second_use_is_closed_4001():
    async with mcp_gateway() as gateway:
        first = await FakeEditor(gateway.port, resumable=True).start()
        await gateway.wait_ready(first.client_id)
        token = first.handshake["resumeToken"]
        await first.drop()
        resumed = await FakeEditor(gateway.port, identity={"resumeToken": token}, resumable=True).start()
        await asyncio.wait_for(resumed.resumed.wait(), 5)
        replay = await FakeEditor(gateway.port, identity={"resumeToken": token}).start()
        await asyncio.wait_for(replay.closed.wait(), 5)
        assert replay.close_code == 4001
        assert [c["clientId"] for c in await gateway.clients()] == [resumed.client_id]
        await resumed.close()


async def test_the_token_of_an_open_connection_moves_the_id_and_closes_the_old_one_4003():
    async with mcp_gateway() as gateway:
        old = await FakeEditor(gateway.port, resumable=True).start()  # its socket stays open, as a half-open one would
        await gateway.wait_ready(old.client_id)
        newer = await FakeEditor(gateway.port, identity={"resumeToken": old.handshake["resumeToken"]}).start()
        await asyncio.wait_for(newer.resumed.wait(), 5)
        await asyncio.wait_for(old.closed.wait(), 5)
        assert old.close_code == 4003
        assert newer.client_id == old.client_id
        assert (await gateway.call_json("get_scene_tree"))["command"] == "get_scene_tree"
        assert newer.commands.qsize() == 1
        await newer.close()


async def test_an_unknown_token_makes_a_new_client_that_is_told():
    async with mcp_gateway() as gateway:
        editor = await FakeEditor(gateway.port, identity={"resumeToken": "0" * 64}).start()
        await gateway.wait_ready(editor.client_id)
        async with asyncio.timeout(5):
            while not any(m.get("type") == "resume_rejected" for m in editor.received):
                await asyncio.sleep(0.01)
        assert (await gateway.call_json("get_scene_tree"))["command"] == "get_scene_tree"
        await editor.close()


async def test_a_call_for_an_editor_that_dropped_waits_for_it_to_come_back():
    async with mcp_gateway("--command-timeout", "10") as gateway:
        first = await FakeEditor(gateway.port, resumable=True).start()
        await gateway.wait_ready(first.client_id)
        token = first.handshake["resumeToken"]
        await first.drop()
        await gateway.wait_for_clients(lambda c: c == [])
        call = asyncio.create_task(gateway.call("get_scene_tree", {"client": first.client_id}))
        await asyncio.sleep(0.2)  # the call is waiting; nothing can answer it yet
        assert not call.done()
        back = await FakeEditor(gateway.port, identity={"resumeToken": token}, resumable=True).start()
        is_error, text = await asyncio.wait_for(call, 5)
        assert not is_error and "get_scene_tree" in text
        await back.close()


async def test_the_original_addon_killed_mid_call_fails_the_call_at_once():
    # It never declares that it resumes (nor presents a token): nothing can come back to answer.
    async with mcp_gateway("--command-timeout", "30") as gateway:
        editor = await EditorProcess.start(gateway.port, "--hang")
        client_id = (await editor.next_event("handshake"))["clientId"]
        await gateway.wait_ready(client_id)
        call = asyncio.create_task(gateway.call("get_scene_tree"))
        await editor.next_event("command")
        killed_at = time.monotonic()
        os.kill(editor.process.pid, signal.SIGKILL)
        is_error, text = await asyncio.wait_for(call, 10)
        elapsed = time.monotonic() - killed_at
        await editor.stop()
        assert is_error and "disconnected before it answered" in text, text
        print(f"call failed {elapsed * 1000:.0f} ms after the editor was killed")
        assert elapsed < 3, elapsed  # not the 30 s command timeout, nor the 5 s grace
        assert (await gateway.call_json("get_connection_stats"))["editorsAwaitingReconnect"] == 0


async def test_an_editor_that_closes_on_purpose_ends_its_calls_at_once():
    # It declared that it resumes, but a close frame with 1000 or 1001 says it is leaving.
    async with mcp_gateway("--command-timeout", "30") as gateway:
        for code in (1000, 1001):
            editor = await FakeEditor(gateway.port, handler=lambda c, p: None, resumable=True).start()
            await gateway.wait_ready(editor.client_id)
            call = asyncio.create_task(gateway.call("get_scene_tree", {"client": editor.client_id}))
            await asyncio.wait_for(editor.commands.get(), 5)
            closed_at = time.monotonic()
            await editor.close(code)
            is_error, text = await asyncio.wait_for(call, 10)
            assert is_error and "disconnected before it answered" in text, text
            assert time.monotonic() - closed_at < 3
            assert (await gateway.call_json("get_connection_stats"))["editorsAwaitingReconnect"] == 0


async def test_a_dropped_editors_calls_wait_only_the_grace_and_its_id_stays_reserved():
    async with mcp_gateway("--command-timeout", "30", "--resume-grace", "1") as gateway:
        first = await FakeEditor(gateway.port, handler=lambda c, p: None, resumable=True).start()
        await gateway.wait_ready(first.client_id)
        call = asyncio.create_task(gateway.call("get_scene_tree", {"client": first.client_id}))
        await asyncio.wait_for(first.commands.get(), 5)
        dropped_at = time.monotonic()
        await first.drop()
        is_error, text = await asyncio.wait_for(call, 10)
        waited = time.monotonic() - dropped_at
        assert is_error and "disconnected before it answered" in text, text
        assert 0.9 < waited < 5, waited  # the grace (1 s), not the command timeout (30 s)
        # After the grace a call naming it fails at once; the id is still its own for a resume.
        is_error, text = await gateway.call("get_scene_tree", {"client": first.client_id})
        assert is_error and "did not reconnect within 1 s" in text, text
        stats = await gateway.call_json("get_connection_stats")
        assert stats["editorsAwaitingReconnect"] == 1
        back = await FakeEditor(gateway.port, identity={"resumeToken": first.handshake["resumeToken"]}, resumable=True).start()
        await asyncio.wait_for(back.resumed.wait(), 5)
        assert back.client_id == first.client_id
        assert back.commands.empty()  # the failed call is not sent again
        await back.close()
