"""The cluster across network namespaces: three gateway nodes, each in a namespace of its own joined to
the root namespace by a veth link, one nats-server (JetStream) in the root namespace, and HAProxy in
front of the nodes' WebSocket ports for the editors, as a studio would run it. Faults are real: a node
killed with SIGKILL, and a node cut off from NATS by nftables inside its namespace.

Needs root (CAP_NET_ADMIN), iproute2, nftables, nats-server and haproxy, as CI has."""
from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import signal
import subprocess
import tempfile
from typing import AsyncIterator

from fake_editor import FakeEditor
from gateway import RawGateway, free_port, mcp_gateway
from test_cluster import nats_server
from test_network_faults import FaultyLink

HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"


@contextlib.asynccontextmanager
async def nats_on_all_addresses() -> AsyncIterator[int]:
    """The NATS server, reachable from every namespace's link; yields its port."""
    async with nats_server(bind="0.0.0.0") as url:
        yield int(url.rsplit(":", 1)[1])


@contextlib.asynccontextmanager
async def haproxy(backends: list[tuple[str, str, int]]) -> AsyncIterator[int]:
    """HAProxy on loopback passing editors' WebSocket connections to the first node that is up
    (TCP health checks every 200 ms)."""
    port = free_port()
    folder = tempfile.mkdtemp(prefix="gateway-tests-haproxy-")
    servers = "\n".join(f"  server {name} {address}:{backend_port} check inter 200 fall 1 rise 1"
                        for name, address, backend_port in backends)
    config = (f"global\n  maxconn 200\ndefaults\n  mode tcp\n  timeout connect 2s\n  timeout client 1h\n  timeout server 1h\n"
              f"frontend editors\n  bind 127.0.0.1:{port}\n  default_backend nodes\n"
              f"backend nodes\n  balance first\n{servers}\n")
    with open(f"{folder}/haproxy.cfg", "w") as file:
        file.write(config)
    process = await asyncio.create_subprocess_exec(HAPROXY, "-db", "-f", f"{folder}/haproxy.cfg",
                                                   stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
    try:
        async with asyncio.timeout(10):
            while True:
                try:
                    _, writer = await asyncio.open_connection("127.0.0.1", port)
                    writer.close()
                    break
                except OSError:
                    await asyncio.sleep(0.05)
        yield port
    finally:
        process.kill()
        await process.wait()
        shutil.rmtree(folder, ignore_errors=True)


def in_namespace(link: FaultyLink) -> tuple[str, ...]:
    return ("ip", "netns", "exec", link.namespace)


def cluster_flags(link: FaultyLink, nats_port: int, name: str, *extra: str) -> tuple[str, ...]:
    # Plain ws on the namespaces' private links (a studio would put TLS on HAProxy or the nodes).
    return ("--host", link.editor_address, "--insecure", "--cluster", f"nats://{link.gateway_address}:{nats_port}", "--node-name", name,
            "--cluster-presence-ttl", "2", "--startup-grace", "0", *extra)


async def cluster_node(link: FaultyLink, nats_port: int, name: str) -> RawGateway:
    return await RawGateway(*cluster_flags(link, nats_port, name), quiet=True, wait_message="joined the cluster",
                            prefix=in_namespace(link)).start()


async def stats(gateway: RawGateway) -> dict:
    request = await gateway.request("tools/call", {"name": "get_connection_stats", "arguments": {}})
    return json.loads((await gateway.response(request))["result"]["content"][0]["text"])


async def test_three_nodes_in_namespaces_behind_haproxy_call_across_and_resume_after_a_kill():
    with FaultyLink() as link_a, FaultyLink() as link_b, FaultyLink() as link_c:
        async with nats_on_all_addresses() as nats_port:
            node_b = await cluster_node(link_b, nats_port, "node-b")
            node_c = await cluster_node(link_c, nats_port, "node-c")
            try:
                # Node c is first: HAProxy sends editors there while it is up.
                async with haproxy([("node-c", link_c.editor_address, node_c.port),
                                    ("node-b", link_b.editor_address, node_b.port)]) as balancer:
                    editor = await FakeEditor(balancer, host="127.0.0.1", handler=lambda command, params: None,
                                              identity={"projectName": "Dungeon", "projectPath": "/projects/dungeon/"},
                                              resumable=True).start()
                    again: FakeEditor | None = None
                    try:
                        async with mcp_gateway(*cluster_flags(link_a, nats_port, "node-a"), prefix=in_namespace(link_a)) as gateway:
                            clients = await gateway.wait_for_clients(
                                lambda found: any(c.get("node") == "node-c" and c.get("name") == "Dungeon" for c in found), timeout=15)
                            assert [c["clientId"] for c in clients] == [editor.client_id]
                            calls = [asyncio.create_task(gateway.call("get_scene_tree", {"client": "dungeon"})) for _ in range(2)]
                            sent = {(await asyncio.wait_for(editor.commands.get(), 5))["id"] for _ in calls}
                            assert node_c.process
                            node_c.process.send_signal(signal.SIGKILL)
                            await asyncio.wait_for(editor.closed.wait(), 5)
                            # As the addon does: reconnect through the same address, presenting the resume token.
                            assert editor.handshake
                            async with asyncio.timeout(10):
                                while again is None:
                                    try:
                                        again = await FakeEditor(balancer, host="127.0.0.1", identity={
                                            "projectName": "Dungeon", "projectPath": "/projects/dungeon/",
                                            "resumeToken": editor.handshake["resumeToken"]}, resumable=True).start()
                                        await asyncio.wait_for(again.resumed.wait(), 2)
                                    except (OSError, asyncio.TimeoutError, Exception):
                                        if again is not None:
                                            await again.close()
                                        again = None
                                        await asyncio.sleep(0.2)
                            assert again.client_id == editor.client_id
                            outcomes = await asyncio.wait_for(asyncio.gather(*calls), 20)
                            assert [is_error for is_error, _ in outcomes] == [False, False], outcomes
                            resent = set()
                            while not again.commands.empty():
                                resent.add((await again.commands.get())["id"])
                            assert resent == sent
                            await gateway.wait_for_clients(
                                lambda found: [(c["clientId"], c.get("node")) for c in found] == [(editor.client_id, "node-b")], timeout=10)
                    finally:
                        await editor.close()
                        if again:
                            await again.close()
            finally:
                await node_b.kill()
                await node_c.kill()


async def test_a_node_cut_off_from_nats_keeps_its_own_editors_and_the_others_drop_them_until_it_heals():
    with FaultyLink() as link_a, FaultyLink() as link_c:
        async with nats_on_all_addresses() as nats_port:
            node_c = await cluster_node(link_c, nats_port, "node-c")
            editor = await FakeEditor(node_c.port, host=link_c.editor_address,
                                      identity={"projectName": "Island", "projectPath": "/projects/island/"}).start()
            try:
                async with mcp_gateway(*cluster_flags(link_a, nats_port, "node-a"), prefix=in_namespace(link_a)) as gateway:
                    await gateway.wait_for_clients(lambda found: any(c.get("node") == "node-c" for c in found), timeout=15)
                    # The partition: node c's namespace drops everything to and from the NATS server's port.
                    subprocess.run(["ip", "netns", "exec", link_c.namespace, "nft", "-f", "-"], check=True, text=True,
                                   capture_output=True, input=(
                                       "table inet partition {\n"
                                       f"  chain output {{ type filter hook output priority 0; tcp dport {nats_port} drop; }}\n"
                                       f"  chain input {{ type filter hook input priority 0; tcp sport {nats_port} drop; }}\n"
                                       "}\n"))
                    await gateway.wait_for_clients(lambda found: not any(c.get("node") == "node-c" for c in found), timeout=10)
                    is_error, text = await gateway.call("get_scene_tree", {"client": "Island", "wait_seconds": 0})
                    assert is_error and ("Island" in text or "No connected Godot editor" in text or "reconnect" in text), text
                    # Node c notices (its pings to NATS go unanswered), says so, and serves its own host still.
                    async with asyncio.timeout(20):
                        while (await stats(node_c))["cluster"]["connected"]:
                            await asyncio.sleep(0.2)
                    request = await node_c.request("tools/call", {"name": "get_scene_tree", "arguments": {}})
                    local = (await node_c.response(request))["result"]
                    assert not local["isError"], local
                    # Healed: node c reconnects and its editor is seen again.
                    subprocess.run(["ip", "netns", "exec", link_c.namespace, "nft", "delete", "table", "inet", "partition"],
                                   check=True, capture_output=True)
                    await gateway.wait_for_clients(lambda found: any(c.get("node") == "node-c" for c in found), timeout=20)
                    assert (await gateway.call_json("get_scene_tree", {"client": "Island"}))["command"] == "get_scene_tree"
            finally:
                await editor.close()
                await node_c.kill()
