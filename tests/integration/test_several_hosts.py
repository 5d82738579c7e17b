"""Several MCP hosts: a second gateway process (started by another host) finds the port held by a running
gateway and relays its host's calls through it, so both hosts use the same editors, each with its own
pins; when the owner dies, the relaying process takes the port over and the editors resume their ids."""
import asyncio
import os
import signal
import time

import websockets
import websockets.exceptions

from fake_editor import FakeEditor
from gateway import RawGateway, free_port, mcp_gateway


def editor_named(port: int, name: str, path: str) -> FakeEditor:
    return FakeEditor(port, identity={"projectName": name, "projectPath": path}, handler=lambda command, params: {
        "success": True, "result": {"project": name, "params": params}, "error": None})


async def test_two_mcp_hosts_share_the_editors_each_with_its_own_pin():
    port = free_port()
    async with mcp_gateway(port=port) as first:
        alpha = await editor_named(port, "Alpha", "/alpha/").start()
        beta = await editor_named(port, "Beta", "/beta/").start()
        await alpha.identified()
        await beta.identified()
        async with mcp_gateway(port=port) as second:
            editors = [c["clientId"] for c in await second.clients() if c["type"] == "godot"]
            assert sorted(editors) == sorted([alpha.client_id, beta.client_id])
            is_error, _ = await second.call("select_client", {"client": "beta"})
            assert not is_error
            assert (await second.call_json("get_scene_tree"))["project"] == "Beta"
            assert (await first.call_json("get_scene_tree"))["project"] == "Alpha"  # its own session: no pin
            # Both hosts at once: every call answered once, with its own arguments.
            calls = [first.call("get_node_properties", {"node_path": f"/first/{i}"}) for i in range(25)]
            calls += [second.call("get_node_properties", {"node_path": f"/second/{i}"}) for i in range(25)]
            results = await asyncio.gather(*calls)
            assert all(not is_error for is_error, _ in results)
            for index, (_, text) in enumerate(results):
                assert f'"/{"first" if index < 25 else "second"}/{index % 25}"' in text
            stats = await first.call_json("get_connection_stats")
            assert stats["role"] == "owner" and stats["relayingGateways"] == 1
            assert alpha.commands.qsize() + beta.commands.qsize() == 52
        await alpha.close()
        await beta.close()


async def test_when_the_owner_is_killed_the_relaying_gateway_takes_over_and_editors_resume():
    port = free_port()
    owner = await RawGateway(port=port, quiet=True).start()
    await owner.initialize()
    editor = await FakeEditor(port, handler=lambda command, params: None if command == "get_scene_tree" else {
        "success": True, "result": {"command": command, "params": params}, "error": None}, resumable=True).start()
    try:
        async with mcp_gateway(port=port) as host:
            await host.wait_ready(editor.client_id)
            old_id = editor.client_id
            stuck = asyncio.create_task(host.call("get_scene_tree"))  # the editor never answers this one
            await asyncio.wait_for(editor.commands.get(), 5)
            os.kill(owner.process.pid, signal.SIGKILL)
            killed_at = time.monotonic()
            # A call in flight through the dead owner ends clearly, never hangs.
            is_error, text = await asyncio.wait_for(stuck, 5)
            assert is_error and "exited during this call" in text
            await asyncio.wait_for(editor.closed.wait(), 5)
            token = editor.handshake["resumeToken"]
            # The editor reconnects, as the addon does, to whoever holds the port now, with its token.
            async with asyncio.timeout(10):
                while True:
                    try:
                        again = await FakeEditor(port, identity={"resumeToken": token}, resumable=True).start()
                        break
                    except (OSError, websockets.exceptions.InvalidHandshake):
                        # Refused, or accepted by a listener the new owner dropped again because the
                        # dying owner still held the port's other address: the addon retries too.
                        await asyncio.sleep(0.02)
            took_over_after = time.monotonic() - killed_at
            await asyncio.wait_for(again.resumed.wait(), 5)
            assert again.client_id == old_id
            assert (await host.call_json("get_node_properties", {"node_path": "/root"}))["params"] == {"node_path": "/root"}
            stats = await host.call_json("get_connection_stats")
            assert stats["role"] == "owner" and stats["takeovers"] == 1 and stats["clientsResumed"] == 1
            print(f"port taken over and editor resumed {took_over_after:.2f} s after the owner was killed")
            await again.close()
    finally:
        await owner.kill()
