"""permessage-deflate (RFC 7692): negotiated with clients that offer it, large messages intact both ways,
refusable with a flag, and a compressed message that inflates past the size cap is cut off while inflating."""
import asyncio
import base64
import json
import os

import websockets

from fake_editor import FakeEditor
from gateway import mcp_gateway


def _negotiated(editor: FakeEditor) -> str:
    return editor.ws.response.headers.get("Sec-WebSocket-Extensions", "")


async def test_deflate_is_negotiated_and_large_messages_arrive_whole_both_ways():
    # One compressible and one incompressible payload: the second makes deflate emit more than its
    # buffer holds per write, the case where lws keeps reading the caller's buffer after lws_write returns.
    compressible = json.dumps([{"name": f"Node{i}", "type": "Sprite2D", "children": []} for i in range(60_000)])
    noise = base64.b64encode(os.urandom(3 * 1024 * 1024)).decode()
    results = iter([compressible, noise, "done"])
    async with mcp_gateway() as gateway:
        editor = await FakeEditor(
            gateway.port, compression="deflate",
            handler=lambda c, p: {"success": True, "result": {"tree": next(results)}, "error": None}).start()
        assert _negotiated(editor).startswith("permessage-deflate")
        await gateway.wait_ready(editor.client_id)
        assert (await gateway.call_json("get_scene_tree"))["tree"] == compressible
        assert (await gateway.call_json("get_scene_tree"))["tree"] == noise
        # Gateway -> editor: a large command argument, compressed by the gateway.
        source = base64.b64encode(os.urandom(2 * 1024 * 1024)).decode()
        await gateway.call("edit_script", {"path": "res://big.gd", "content": source})
        while (command := await asyncio.wait_for(editor.commands.get(), 5))["command"] != "edit_script":
            pass
        assert command["params"]["content"] == source
        await editor.close()


async def test_compressed_and_plain_editors_share_a_gateway():
    async with mcp_gateway() as gateway:
        compressed = await FakeEditor(gateway.port, compression="deflate").start()
        plain = await FakeEditor(gateway.port).start()
        assert _negotiated(compressed).startswith("permessage-deflate")
        assert _negotiated(plain) == ""
        await gateway.wait_ready(compressed.client_id, plain.client_id)
        # Commands go to the first ready editor; once it leaves, to the next.
        assert (await gateway.call_json("list_nodes", {"node_path": "/root"}))["command"] == "list_nodes"
        assert (await asyncio.wait_for(compressed.commands.get(), 5))["command"] == "list_nodes"
        await compressed.close()
        await gateway.wait_for_clients(lambda c: [x["clientId"] for x in c] == [plain.client_id])
        assert (await gateway.call_json("list_nodes", {"node_path": "/root"}))["command"] == "list_nodes"
        assert (await asyncio.wait_for(plain.commands.get(), 5))["command"] == "list_nodes"
        await plain.close()


async def test_no_permessage_deflate_declines_the_offer():
    async with mcp_gateway("--no-permessage-deflate") as gateway:
        editor = await FakeEditor(gateway.port, compression="deflate").start()
        assert _negotiated(editor) == ""
        await gateway.wait_ready(editor.client_id)
        assert (await gateway.call_json("get_scene_tree"))["command"] == "get_scene_tree"
        await editor.close()


async def test_a_compression_bomb_is_cut_off_at_the_size_cap():
    # 32 MiB of spaces deflate to about 32 KiB on the wire; the 64 KiB cap must apply to the inflated size.
    async with mcp_gateway("--max-message-size", "65536") as gateway:
        bomber = await FakeEditor(gateway.port, compression="deflate").start()
        bystander = await FakeEditor(gateway.port).start()
        assert _negotiated(bomber).startswith("permessage-deflate")
        await gateway.wait_ready(bomber.client_id, bystander.client_id)
        bomb = '{"type":"heartbeat_response","pad":"' + " " * (32 * 1024 * 1024) + '"}'
        try:
            await bomber.send(bomb)
        except websockets.ConnectionClosed:
            pass
        await asyncio.wait_for(bomber.closed.wait(), 10)
        assert bomber.close_code == 1009
        await gateway.wait_for_clients(lambda c: [x["clientId"] for x in c] == [bystander.client_id])
        assert (await gateway.call_json("get_scene_tree"))["command"] == "get_scene_tree"
        await bystander.close()
