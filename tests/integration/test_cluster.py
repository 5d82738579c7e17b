"""Several gateways as one cluster over NATS (--cluster): a real nats-server with JetStream, gateway
nodes as separate processes, editors on one node and the MCP host (the official SDK) on another."""
from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import AsyncIterator

import pytest

from fake_editor import FakeEditor
from gateway import RawGateway, free_port, mcp_gateway

NATS_SERVER = shutil.which("nats-server") or "/usr/sbin/nats-server"


@contextlib.asynccontextmanager
async def nats_server(bind: str = "127.0.0.1", token: str | None = None, max_payload: int | None = None,
                      tls: Path | None = None, jetstream: bool = True) -> AsyncIterator[str]:
    """A JetStream-enabled nats-server on a free port of `bind`, until the block ends; yields its URL
    (on loopback). `tls`: a folder of test certificates; the server then takes TLS only and requires a
    client certificate signed by the test CA."""
    port = free_port()
    store = tempfile.mkdtemp(prefix="gateway-tests-nats-")
    config: tuple[str, ...] = ()
    if max_payload or tls:
        with open(f"{store}/server.conf", "w") as file:
            if max_payload:
                file.write(f"max_payload: {max_payload}\n")
            if tls:
                file.write(f'tls {{ cert_file: "{tls}/server.pem", key_file: "{tls}/server-key.pem", '
                           f'ca_file: "{tls}/ca.pem", verify: true }}\n')
        config = ("-c", f"{store}/server.conf")
    process = await asyncio.create_subprocess_exec(
        NATS_SERVER, *config, "-a", bind, "-p", str(port), *(("-js", "-sd", store) if jetstream else ()),
        *(("--auth", token) if token else ()),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    try:
        assert process.stderr
        async with asyncio.timeout(10):
            async for line in process.stderr:
                if b"Server is ready" in line:
                    break
        drain = asyncio.create_task(process.stderr.read())
        yield f"{'tls' if tls else 'nats'}://127.0.0.1:{port}"
        drain.cancel()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        shutil.rmtree(store, ignore_errors=True)


@contextlib.asynccontextmanager
async def nats_cluster() -> AsyncIterator[list[tuple[str, asyncio.subprocess.Process, int]]]:
    """Three nats-servers routed into one JetStream cluster: (client URL, process, monitoring port) each."""
    store = tempfile.mkdtemp(prefix="gateway-tests-nats-cluster-")
    ports = [(free_port(), free_port(), free_port()) for _ in range(3)]
    processes = []
    try:
        for index, (client, route, monitor) in enumerate(ports):
            routes = ", ".join(f"nats-route://127.0.0.1:{other[1]}" for other in ports if other[1] != route)
            config = f"{store}/n{index}.conf"
            with open(config, "w") as file:
                file.write(f'server_name: n{index}\nlisten: 127.0.0.1:{client}\nhttp: 127.0.0.1:{monitor}\n'
                           f'jetstream {{ store_dir: "{store}/n{index}" }}\n'
                           f'cluster {{ name: tests, listen: 127.0.0.1:{route}, routes: [{routes}] }}\n')
            processes.append(await asyncio.create_subprocess_exec(
                NATS_SERVER, "-c", config, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL))
        # Ready when JetStream has a meta leader (the cluster can create a replicated bucket).
        async with asyncio.timeout(30):
            while True:
                try:
                    _, writer = await asyncio.open_connection("127.0.0.1", ports[0][2])
                    writer.write(b"GET /jsz HTTP/1.0\r\n\r\n")
                    reader_text = (await asyncio.wait_for(_.read(), 2)).decode(errors="replace")
                    writer.close()
                    if '"meta_cluster"' in reader_text and '"leader"' in reader_text:
                        break
                except OSError:
                    pass
                await asyncio.sleep(0.2)
        yield [(f"nats://127.0.0.1:{client}", process, monitor) for (client, _, monitor), process in zip(ports, processes)]
    finally:
        for process in processes:
            if process.returncode is None:
                process.kill()
                await process.wait()
        shutil.rmtree(store, ignore_errors=True)


async def connections_named(monitor: int) -> str:
    reader, writer = await asyncio.open_connection("127.0.0.1", monitor)
    writer.write(b"GET /connz HTTP/1.0\r\n\r\n")
    text = (await reader.read()).decode(errors="replace")
    writer.close()
    return text


def node_flags(url: str, name: str, ttl: float = 2, *extra: str) -> tuple[str, ...]:
    return ("--cluster", url, "--node-name", name, "--cluster-presence-ttl", str(ttl), "--startup-grace", "0", *extra)


async def node(url: str, name: str, ttl: float = 2, *extra: str) -> RawGateway:
    """A cluster node whose own MCP host the test does not use (its editors serve the other nodes)."""
    return await RawGateway(*node_flags(url, name, ttl, *extra), quiet=True, wait_message="joined the cluster").start()


async def outsider_stats(gateway: RawGateway) -> dict:
    call = await gateway.request("tools/call", {"name": "get_connection_stats", "arguments": {}})
    return json.loads((await gateway.response(call))["result"]["content"][0]["text"])


def editor_on(port: int, project: str, handler=None, resumable: bool = False) -> FakeEditor:
    kwargs = {"handler": handler} if handler else {}
    return FakeEditor(port, identity={"projectName": project, "projectPath": f"/projects/{project.lower()}/"},
                      resumable=resumable, **kwargs)


async def test_a_call_from_one_node_is_answered_by_an_editor_on_another():
    async with nats_server() as url:
        node_c = await node(url, "node-c")
        dungeon = await editor_on(node_c.port, "Dungeon").start()
        meadow = await editor_on(node_c.port, "Meadow").start()
        try:
            async with mcp_gateway(*node_flags(url, "node-a")) as gateway:
                clients = await gateway.wait_for_clients(
                    lambda found: {c.get("name") for c in found if c.get("node") == "node-c"} == {"Dungeon", "Meadow"}, timeout=10)
                assert {c["clientId"] for c in clients} == {dungeon.client_id, meadow.client_id}

                # Targeting by project name reaches the editor on the other node, with its own id.
                result = await gateway.session.call_tool("get_scene_tree", {"client": "meadow"})
                assert not result.is_error, result.content[0].text
                assert json.loads(result.content[0].text) == {"command": "get_scene_tree", "params": {}}
                assert (await meadow.commands.get())["command"] == "get_scene_tree"
                assert dungeon.commands.empty()

                # Arguments travel intact; an editor's own error comes back as that editor's error.
                answered = await gateway.call_json("set_node_property", {
                    "client": dungeon.client_id, "node_path": "/root/Main", "property_name": "position", "value": [1, 2.5]})
                assert answered["params"]["value"] == [1, 2.5]

                stats = await gateway.call_json("get_connection_stats")
                assert stats["commandsForwarded"] == 2
                assert stats["cluster"]["node"] == "node-a" and stats["cluster"]["connected"] is True
                assert stats["cluster"]["nodes"] == [{"node": "node-c", "editors": 2}]

                # An unknown target names the editors of the whole cluster.
                is_error, text = await gateway.call("get_scene_tree", {"client": "castle"})
                assert is_error and "Dungeon" in text and "Meadow" in text

                # A second MCP host, on a node of its own, shares the same editors at the same time.
                node_b = await node(url, "node-b")
                try:
                    await node_b.initialize()
                    async with asyncio.timeout(10):
                        while True:
                            listed = await node_b.response(await node_b.request("tools/call", {"name": "list_clients", "arguments": {}}))
                            if "Meadow" in listed["result"]["content"][0]["text"]:
                                break
                            await asyncio.sleep(0.05)
                    both = await asyncio.gather(
                        gateway.call("list_nodes", {"client": "Meadow"}),
                        node_b.request("tools/call", {"name": "list_nodes", "arguments": {"client": "Meadow"}}))
                    assert both[0][0] is False
                    answer = (await node_b.response(both[1]))["result"]
                    assert answer["isError"] is False and json.loads(answer["content"][0]["text"])["command"] == "list_nodes"
                    assert [(await meadow.commands.get())["command"] for _ in range(2)] == ["list_nodes", "list_nodes"]
                finally:
                    await node_b.kill()
        finally:
            await dungeon.close()
            await meadow.close()
            await node_c.kill()


async def test_round_robin_and_a_pin_reach_editors_on_every_node():
    async with nats_server() as url:
        node_c = await node(url, "node-c")
        remote = await editor_on(node_c.port, "Remote").start()
        try:
            async with mcp_gateway(*node_flags(url, "node-a", 2, "--routing", "round-robin")) as gateway:
                local = await editor_on(gateway.port, "Local").start()
                try:
                    await gateway.wait_for_clients(lambda found: {c.get("name") for c in found} == {"Local", "Remote"}, timeout=10)
                    # Calls that name no editor alternate between this node's editor and node c's.
                    for _ in range(6):
                        assert (await gateway.call_json("get_scene_tree"))["command"] == "get_scene_tree"
                    assert (local.commands.qsize(), remote.commands.qsize()) == (3, 3)
                    # A pin to the other node's editor holds for every call that names none.
                    is_error, text = await gateway.call("select_client", {"client": "Remote"})
                    assert not is_error, text
                    for _ in range(4):
                        await gateway.call_json("get_scene_tree")
                    assert (local.commands.qsize(), remote.commands.qsize()) == (3, 7)
                    stats = await gateway.call_json("get_connection_stats")
                    assert stats["commandsForwarded"] == 7
                finally:
                    await local.close()
        finally:
            await remote.close()
            await node_c.kill()


async def test_a_node_killed_with_calls_in_flight_ends_them_and_drops_its_editors():
    """With resuming off, nothing waits for the editor: the calls end when the node's presence lapses."""
    async with nats_server() as url:
        node_c = await node(url, "node-c", 2, "--resume-window", "0")
        silent = await editor_on(node_c.port, "Silent", handler=lambda command, params: None).start()
        try:
            async with mcp_gateway(*node_flags(url, "node-a", 2, "--resume-window", "0")) as gateway:
                await gateway.wait_for_clients(lambda found: any(c.get("node") == "node-c" for c in found), timeout=10)
                calls = [asyncio.create_task(gateway.call("get_scene_tree", {"client": "Silent"})) for _ in range(3)]
                for _ in calls:
                    await asyncio.wait_for(silent.commands.get(), 5)
                started = time.monotonic()
                assert node_c.process
                node_c.process.send_signal(signal.SIGKILL)
                outcomes = await asyncio.wait_for(asyncio.gather(*calls), 15)
                ended_after = time.monotonic() - started
                for is_error, text in outcomes:
                    assert is_error and "node-c" in text and "left the cluster or did not answer" in text, text
                # Within the presence's time to live (2 s) and its lapse check, not the command timeout (30 s).
                assert ended_after < 10, ended_after
                await gateway.wait_for_clients(lambda found: not any(c.get("node") == "node-c" for c in found), timeout=5)
        finally:
            await silent.close()
            await node_c.kill()


async def test_an_editor_whose_node_was_killed_resumes_on_another_node_and_its_calls_follow_it():
    """kill -9 of the node holding an editor with calls in flight: the editor reconnects to another node
    with its resume token and gets its id back; the calls are sent to it again, once, with the same ids,
    and each ends once, answered."""
    async with nats_server() as url:
        node_b = await node(url, "node-b")
        node_c = await node(url, "node-c")
        first = await editor_on(node_c.port, "Dungeon", handler=lambda command, params: None, resumable=True).start()
        again: FakeEditor | None = None
        try:
            async with mcp_gateway(*node_flags(url, "node-a")) as gateway:
                await gateway.wait_for_clients(lambda found: any(c.get("node") == "node-c" for c in found), timeout=10)
                await gateway.wait_for_clients(lambda found: len(found) == 1, timeout=10)
                calls = [asyncio.create_task(gateway.call("get_scene_tree", {"client": "Dungeon"})) for _ in range(2)]
                sent = {(await asyncio.wait_for(first.commands.get(), 5))["id"] for _ in calls}
                assert node_c.process
                node_c.process.send_signal(signal.SIGKILL)
                await asyncio.wait_for(first.closed.wait(), 5)
                assert first.handshake
                again = await FakeEditor(node_b.port, resumable=True, identity={
                    "projectName": "Dungeon", "projectPath": "/projects/dungeon/", "resumeToken": first.handshake["resumeToken"]}).start()
                await asyncio.wait_for(again.resumed.wait(), 5)
                assert again.client_id == first.client_id
                outcomes = await asyncio.wait_for(asyncio.gather(*calls), 15)
                assert [is_error for is_error, _ in outcomes] == [False, False], outcomes
                resent = set()
                while not again.commands.empty():
                    resent.add((await again.commands.get())["id"])
                assert resent == sent
                clients = await gateway.wait_for_clients(lambda found: [c.get("node") for c in found] == ["node-b"], timeout=10)
                assert clients[0]["clientId"] == first.client_id
        finally:
            await first.close()
            if again:
                await again.close()
            await node_b.kill()
            await node_c.kill()


async def test_losing_a_nats_server_of_three_fails_no_call():
    """Calls run from node a to an editor on node c while the NATS server node a is connected to is
    killed: the nodes reconnect to the others, unanswered calls are sent again and answered once."""
    async with nats_cluster() as servers:
        urls = ",".join(url for url, _, _ in servers)
        node_c = await node(urls, "node-c", 6, "--cluster-replicas", "3")
        editor = await editor_on(node_c.port, "Dungeon").start()
        try:
            async with mcp_gateway(*node_flags(urls, "node-a", 6, "--cluster-replicas", "3")) as gateway:
                await gateway.wait_for_clients(lambda found: any(c.get("node") == "node-c" for c in found), timeout=20)
                holding = None
                for url, process, monitor in servers:
                    if "godot-mcp-gateway node-a" in await connections_named(monitor):
                        holding = process
                assert holding, "node a is connected to none of the servers"
                results: list[tuple[bool, str]] = []

                async def calls() -> None:
                    for index in range(150):
                        results.append(await gateway.call("get_node_properties", {"client": "Dungeon", "node_path": f"/root/N{index}"}))
                        await asyncio.sleep(0.01)

                running = asyncio.create_task(calls())
                while len(results) < 30:
                    await asyncio.sleep(0.01)
                holding.kill()
                await asyncio.wait_for(running, 60)
                failed = [text for is_error, text in results if is_error]
                assert failed == [], failed[:3]
                assert len(results) == 150
                # Every call reached the editor once: repeats were answered from the node's memory.
                seen = []
                while not editor.commands.empty():
                    seen.append((await editor.commands.get())["params"]["node_path"])
                assert sorted(seen) == sorted(f"/root/N{index}" for index in range(150))
        finally:
            await editor.close()
            await node_c.kill()


async def test_a_node_that_stops_in_order_withdraws_its_editors_at_once():
    async with nats_server() as url:
        # A long time to live: the editors must go because the node said so, not because it lapsed.
        node_c = await node(url, "node-c", ttl=60)
        editor = await editor_on(node_c.port, "Leaving").start()
        try:
            async with mcp_gateway(*node_flags(url, "node-a", ttl=60)) as gateway:
                await gateway.wait_for_clients(lambda found: any(c.get("node") == "node-c" for c in found), timeout=10)
                assert node_c.process
                node_c.process.send_signal(signal.SIGTERM)
                await asyncio.wait_for(node_c.process.wait(), 10)
                await gateway.wait_for_clients(lambda found: not any(c.get("node") == "node-c" for c in found), timeout=5)
                is_error, text = await gateway.call("get_scene_tree", {"client": "Leaving"})
                assert is_error and "No connected Godot editor matches" in text
        finally:
            await editor.close()
            await node_c.kill()


async def test_a_presence_larger_than_the_servers_message_limit_is_written_in_parts():
    # 64 KiB messages; 200 editors declaring the addon's commands (16 KiB) take ~80 KiB as one presence.
    async with nats_server(max_payload=65536) as url:
        node_c = await node(url, "node-c", 2, "--max-clients", "400", "--max-clients-per-ip", "400")
        editors = await asyncio.gather(*(editor_on(node_c.port, f"Level{index}").start() for index in range(200)))
        try:
            async with mcp_gateway(*node_flags(url, "node-a")) as gateway:
                await gateway.wait_for_clients(lambda found: len([c for c in found if c.get("node") == "node-c"]) == 200, timeout=20)
                answer = await gateway.call_json("get_scene_tree", {"client": "Level177"})
                assert answer["command"] == "get_scene_tree"
                # Fewer editors, fewer parts: the ones gone are not brought back by a part left behind.
                await asyncio.gather(*(editor.close() for editor in editors[10:]))
                await gateway.wait_for_clients(lambda found: len([c for c in found if c.get("node") == "node-c"]) == 10, timeout=10)
        finally:
            await asyncio.gather(*(editor.close() for editor in editors))
            await node_c.kill()


async def test_nodes_present_the_nats_servers_token_and_a_node_with_a_wrong_one_stays_out():
    async with nats_server(token="cluster-secret-0123") as url:
        node_c = await node(url, "node-c", 2, "--cluster-token", "cluster-secret-0123")
        editor = await editor_on(node_c.port, "Guarded").start()
        try:
            async with mcp_gateway(*node_flags(url, "node-a", 2, "--cluster-token", "cluster-secret-0123")) as gateway:
                await gateway.wait_for_clients(lambda found: any(c.get("name") == "Guarded" for c in found), timeout=10)
            outsider = await RawGateway(*node_flags(url, "node-x", 2, "--cluster-token", "wrong"), wait_message="not in the cluster").start()
            try:
                await outsider.initialize()
                assert (await outsider_stats(outsider))["cluster"] == {"node": "node-x", "connected": False, "nodes": [], "forwardedInFlight": 0}
                # /health says so too.
                reader, writer = await asyncio.open_connection("127.0.0.1", outsider.port)
                writer.write(b"GET /health HTTP/1.0\r\nHost: localhost\r\n\r\n")
                health = json.loads((await reader.read()).split(b"\r\n\r\n", 1)[1])
                writer.close()
                assert health["cluster"]["node"] == "node-x" and health["cluster"]["connected"] is False
            finally:
                await outsider.kill()
        finally:
            await editor.close()
            await node_c.kill()


@pytest.fixture(scope="module")
def certificates(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("certs")
    script = Path(__file__).resolve().parents[2] / "certs" / "make-test-certs.sh"
    subprocess.run(["bash", str(script), str(folder)], check=True, capture_output=True)
    return folder


async def test_nodes_reach_a_nats_server_over_mutual_tls_and_a_node_without_a_certificate_stays_out(certificates):
    tls = ("--cluster-ca", str(certificates / "ca.pem"), "--cluster-cert", str(certificates / "client.pem"),
           "--cluster-key", str(certificates / "client-key.pem"))
    async with nats_server(tls=certificates) as url:
        assert url.startswith("tls://")
        node_c = await node(url, "node-c", 2, *tls)
        editor = await editor_on(node_c.port, "Sealed").start()
        try:
            async with mcp_gateway(*node_flags(url, "node-a", 2, *tls)) as gateway:
                await gateway.wait_for_clients(lambda found: any(c.get("name") == "Sealed" for c in found), timeout=10)
                assert (await gateway.call_json("get_scene_tree", {"client": "Sealed"}))["command"] == "get_scene_tree"
            # The CA alone: the server wants a client certificate, so this node stays out and says so.
            outsider = await RawGateway(*node_flags(url, "node-x", 2, "--cluster-ca", str(certificates / "ca.pem")),
                                        wait_message="not in the cluster").start()
            try:
                await outsider.initialize()
                stats = await outsider_stats(outsider)
                assert stats["cluster"]["connected"] is False and stats["cluster"]["nodes"] == []
            finally:
                await outsider.kill()
        finally:
            await editor.close()
            await node_c.kill()


async def test_a_node_whose_nats_server_has_no_jetstream_says_so_and_serves_its_own_editors():
    async with nats_server(jetstream=False) as url:
        gateway = await RawGateway(*node_flags(url, "no-js"), wait_message="is JetStream on?").start()
        try:
            await gateway.initialize()
            editor = await editor_on(gateway.port, "Local").start()
            try:
                await gateway.wait_routable()
                call = await gateway.request("tools/call", {"name": "get_scene_tree", "arguments": {}})
                answer = (await gateway.response(call))["result"]
                assert answer["isError"] is False and json.loads(answer["content"][0]["text"])["command"] == "get_scene_tree"
            finally:
                await editor.close()
        finally:
            await gateway.kill()


async def test_a_node_without_its_nats_server_keeps_serving_its_own_editors():
    unreachable = f"nats://127.0.0.1:{free_port()}"
    async with mcp_gateway(*node_flags(unreachable, "alone")) as gateway:
        editor = await editor_on(gateway.port, "Local").start()
        try:
            await gateway.wait_ready(editor.client_id)
            assert (await gateway.call_json("get_scene_tree"))["command"] == "get_scene_tree"
            stats = await gateway.call_json("get_connection_stats")
            assert stats["cluster"] == {"node": "alone", "connected": False, "nodes": [], "forwardedInFlight": 0}
        finally:
            await editor.close()


@pytest.fixture(autouse=True)
def _nats_server_installed():
    assert shutil.which("nats-server") or shutil.os.path.exists(NATS_SERVER), "nats-server is not installed (scripts/setup.sh installs it)"
