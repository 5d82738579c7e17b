"""Calls follow an editor through a reconnect (issue 30) across cluster nodes: a call naming a reconnecting
editor by project name waits for it at the editor's node (on one node this is tested in process:
Tests/GatewayEngineTests/ResumeTokensThroughTheEngineTests.swift), and when an editor's node is killed,
the calls in flight reach the editor the moment it resumes on another node, none of them run twice
(counted by the editor)."""
from __future__ import annotations

import asyncio
import signal
import time

from fake_editor import EditorSession, FakeEditor
from gateway import mcp_gateway
from test_cluster import node, node_flags, nats_server, outsider_stats

DUNGEON = {"projectName": "Dungeon", "projectPath": "/projects/dungeon/"}


async def until_stats(stats, predicate, timeout: float = 5) -> dict:
    """Awaits a state of the gateway's statistics (`stats` reads them)."""
    async with asyncio.timeout(timeout):
        while True:
            found = await stats()
            if predicate(found):
                return found
            await asyncio.sleep(0.02)


async def test_a_call_by_project_name_from_another_node_waits_at_the_editors_node():
    async with nats_server() as url:
        node_c = await node(url, "node-c")
        first = await FakeEditor(node_c.port, identity=DUNGEON, resumable=True).start()
        again: FakeEditor | None = None
        try:
            async with mcp_gateway(*node_flags(url, "node-a")) as gateway:
                await gateway.wait_for_clients(lambda found: [c.get("node") for c in found] == ["node-c"], timeout=10)
                await first.drop()
                # Node c lists it as reconnecting, not as connected.
                await gateway.wait_for_clients(lambda found: found == [], timeout=10)
                call = asyncio.create_task(gateway.call("get_scene_tree", {"client": "dungeon"}))
                await until_stats(lambda: outsider_stats(node_c), lambda s: s["queuedCommands"] == 1)
                again = await FakeEditor(node_c.port, identity={**DUNGEON, "resumeToken": first.handshake["resumeToken"]},
                                         resumable=True).start()
                await asyncio.wait_for(again.resumed.wait(), 5)
                is_error, text = await asyncio.wait_for(call, 5)
                assert not is_error, text
                assert (await again.commands.get())["command"] == "get_scene_tree"
        finally:
            if again:
                await again.close()
            await node_c.kill()


async def test_calls_in_flight_when_a_node_is_killed_reach_the_resumed_editor_at_once_and_run_once():
    """Node c (holding the editor) is killed while node a's host has calls in flight to it; the editor
    resumes on node b at once, where another host keeps it busy. Node a lets node c's presence lapse only
    after 10 s; the calls must reach the editor well before that, and the editor — which, like the addon
    before issue 30, keeps only its last 32 answers — must run each command once."""
    async with nats_server() as url:
        node_b = await node(url, "node-b", 6)
        node_c = await node(url, "node-c", 6)
        # The calls in flight take 0.3 s to run (node c dies meanwhile); the newer ones none.
        session = EditorSession(answers_kept=32, run_seconds=lambda command, params: 0.3 if command == "get_node_properties" else 0)
        first = await FakeEditor(node_c.port, identity=DUNGEON, resumable=True, session=session).start()
        again: FakeEditor | None = None
        try:
            async with mcp_gateway(*node_flags(url, "node-a", 10)) as gateway:
                await gateway.wait_for_clients(lambda found: [c.get("node") for c in found] == ["node-c"], timeout=10)
                await node_b.initialize()
                calls = [asyncio.create_task(gateway.call("get_node_properties", {"client": "Dungeon", "node_path": f"/root/N{n}"})) for n in range(4)]
                in_flight = {(await asyncio.wait_for(first.commands.get(), 5))["id"] for _ in calls}
                assert node_c.process
                node_c.process.send_signal(signal.SIGKILL)
                await asyncio.wait_for(first.closed.wait(), 5)
                again = await FakeEditor(node_b.port, identity={**DUNGEON, "resumeToken": first.handshake["resumeToken"]},
                                         resumable=True, session=session).start()
                await asyncio.wait_for(again.resumed.wait(), 5)
                resumed_at = session.resumed_at
                assert again.client_id == first.client_id

                newer = 0

                async def keep_busy() -> None:
                    """Newer calls from node b's host, about 15 a second, each answered and remembered."""
                    nonlocal newer
                    while True:
                        request = await node_b.request("tools/call", {"name": "get_scene_tree",
                                                                      "arguments": {"client": again.client_id}})
                        answer = (await node_b.response(request))["result"]
                        assert not answer["isError"], answer
                        newer += 1
                        await asyncio.sleep(0.05)

                busy = asyncio.create_task(keep_busy())
                outcomes = await asyncio.wait_for(asyncio.gather(*calls), 20)
                assert not busy.done(), busy.exception()
                busy.cancel()
                print(f"{newer} newer calls answered meanwhile")
                assert all(not is_error for is_error, _ in outcomes), outcomes
                arrived = {command_id: at for at, command_id in session.received if command_id in in_flight and at >= resumed_at}
                assert set(arrived) == in_flight
                after = max(arrived.values()) - resumed_at
                print(f"calls in flight reached the resumed editor {after * 1000:.0f} ms after its resume")
                ran_twice = {command_id: count for command_id, count in session.executed.items() if count > 1}
                assert not ran_twice, ran_twice
                assert all(session.executed[command_id] == 1 for command_id in in_flight)
                # Timing is not the point of a test, but this one is the issue (within 1 s): asserted loosely,
                # to hold under sanitizers on a busy machine, yet well before the 10 s lapse.
                assert after < 5, after
        finally:
            if again:
                await again.close()
            await node_b.kill()
            await node_c.kill()


async def test_across_nodes_only_a_resumable_editor_is_waited_for_and_only_its_grace():
    """A call from node a in flight to node c's editors when they drop: the original addon's (it never
    declares that it resumes) ends at once; ours is waited for node c's grace (1 s here), then ends."""
    async with nats_server() as url:
        node_c = await node(url, "node-c", 2, "--resume-grace", "1")
        original = await FakeEditor(node_c.port, handler=lambda command, params: None,
                                    identity={"projectName": "Original"}).start()
        ours = await FakeEditor(node_c.port, handler=lambda command, params: None, resumable=True,
                                identity={"projectName": "Ours"}).start()
        try:
            async with mcp_gateway(*node_flags(url, "node-a")) as gateway:
                await gateway.wait_for_clients(lambda found: len(found) == 2, timeout=10)
                calls = {name: asyncio.create_task(gateway.call("get_scene_tree", {"client": name})) for name in ("Original", "Ours")}
                await asyncio.wait_for(original.commands.get(), 5)
                await asyncio.wait_for(ours.commands.get(), 5)
                dropped_at = time.monotonic()
                await original.drop()
                await ours.drop()
                is_error, text = await asyncio.wait_for(calls["Original"], 10)
                original_after = time.monotonic() - dropped_at
                assert is_error and "disconnected before it answered" in text, text
                is_error, text = await asyncio.wait_for(calls["Ours"], 10)
                ours_after = time.monotonic() - dropped_at
                assert is_error and "disconnected before it answered" in text, text
                print(f"original addon's call ended {original_after * 1000:.0f} ms after the drop, ours {ours_after * 1000:.0f} ms")
                assert original_after < 0.9 < ours_after < 5, (original_after, ours_after)
        finally:
            await node_c.kill()
