"""Network faults between the gateway and its editors, on a real link the test builds: a veth pair joins
the root network namespace (the gateway) to a namespace of the test's own (the editors). Faults are the
kernel's: nftables drops packets at random (loss) or all of them (a partition, leaving half-open TCP
connections), and a tbf qdisc throttles the link (a slow network). This kernel has no sch_netem, so fixed
latency comes from a delaying TCP relay on the link instead (`DelayingRelay`). Every command must still
end exactly once, in its result or a clear error, and the gateway must stay responsive throughout.

Needs root (CAP_NET_ADMIN), as CI has; without it these tests fail rather than skip.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import os
import subprocess
import time

import pytest

from fake_editor import EditorProcess
from gateway import EDITOR_FAILURES, mcp_gateway

_links = itertools.count()


def _run(*argv: str) -> None:
    result = subprocess.run(argv, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)}: {result.stderr.strip() or result.returncode}")


class FaultyLink:
    """A namespace with one veth link to the root namespace; the fault controls act inside the namespace,
    on both directions of the editors' traffic."""

    def __init__(self) -> None:
        index = next(_links)
        tag = f"{os.getpid() % 100000}x{index}"
        self.namespace = f"gmcp-{tag}"
        self.host_side, self.editor_side = f"gh{tag}", f"ge{tag}"
        subnet = (os.getpid() + index) % 250 + 1
        self.gateway_address, self.editor_address = f"10.213.{subnet}.1", f"10.213.{subnet}.2"

    def __enter__(self) -> "FaultyLink":
        try:
            _run("ip", "netns", "add", self.namespace)
        except (RuntimeError, FileNotFoundError) as error:
            pytest.fail(f"cannot create a network namespace (needs root and iproute2): {error}")
        try:
            _run("ip", "link", "add", self.host_side, "type", "veth", "peer", "name", self.editor_side)
            _run("ip", "link", "set", self.editor_side, "netns", self.namespace)
            _run("ip", "addr", "add", f"{self.gateway_address}/30", "dev", self.host_side)
            _run("ip", "link", "set", self.host_side, "up")
            self.inside("ip", "addr", "add", f"{self.editor_address}/30", "dev", self.editor_side)
            self.inside("ip", "link", "set", self.editor_side, "up")
            self.inside("ip", "link", "set", "lo", "up")
        except Exception:
            self.__exit__()
            raise
        return self

    def __exit__(self, *_: object) -> None:
        # Deleting the namespace deletes its veth end, and with it the peer in the root namespace.
        subprocess.run(["ip", "netns", "del", self.namespace], capture_output=True)
        subprocess.run(["ip", "link", "del", self.host_side], capture_output=True)

    def inside(self, *argv: str) -> None:
        _run("ip", "netns", "exec", self.namespace, *argv)

    def _rules(self, statement: str) -> None:
        self.heal()
        ruleset = ("table inet fault {\n"
                   f"  chain input {{ type filter hook input priority 0; {statement}; }}\n"
                   f"  chain output {{ type filter hook output priority 0; {statement}; }}\n"
                   "}\n")
        subprocess.run(["ip", "netns", "exec", self.namespace, "nft", "-f", "-"], input=ruleset, text=True,
                       check=True, capture_output=True)

    def lose(self, percent: int) -> None:
        """Drops `percent` % of packets each way, at random."""
        self._rules(f"numgen random mod 100 < {percent} drop")

    def partition(self) -> None:
        """Drops every packet: both ends keep their TCP connection open and hear nothing."""
        self._rules("drop")

    def heal(self) -> None:
        subprocess.run(["ip", "netns", "exec", self.namespace, "nft", "delete", "table", "inet", "fault"],
                       capture_output=True)

    def throttle(self, rate: str) -> None:
        """Shapes the editors' outgoing traffic to `rate` (e.g. 2mbit)."""
        self.inside("tc", "qdisc", "replace", "dev", self.editor_side, "root", "tbf", "rate", rate,
                    "burst", "16kb", "latency", "30s")

    async def editor(self, port: int, *flags: str) -> EditorProcess:
        return await EditorProcess.start(port, "--host", self.gateway_address, *flags,
                                         prefix=("ip", "netns", "exec", self.namespace))


class DelayingRelay:
    """Fixed latency where netem is missing: a TCP relay on the gateway's side of the link that holds every
    chunk, each way, for `delay` seconds before passing it on (order kept). Editors connect to it instead
    of the gateway."""

    def __init__(self, host: str, target_port: int, delay: float) -> None:
        self.host, self.target_port, self.delay = host, target_port, delay
        self.port = 0
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task] = set()

    async def __aenter__(self) -> "DelayingRelay":
        self._server = await asyncio.start_server(self._relay, self.host, 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *_: object) -> None:
        self._server.close()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection(self.host, self.target_port)
        for source, sink in ((reader, upstream_writer), (upstream_reader, writer)):
            task = asyncio.create_task(self._pipe(source, sink))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _pipe(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def deliver() -> None:
            while True:
                due, chunk = await queue.get()
                await asyncio.sleep(max(0.0, due - time.monotonic()))
                if not chunk:
                    sink.close()
                    return
                sink.write(chunk)
                await sink.drain()

        delivery = asyncio.create_task(deliver())
        try:
            while True:
                chunk = await source.read(65536)
                await queue.put((time.monotonic() + self.delay, chunk))
                if not chunk:
                    break
            await delivery
        finally:
            delivery.cancel()


def _gateway_args(link: FaultyLink, *extra: str) -> tuple[str, ...]:
    # Listening beyond loopback needs TLS or --insecure; the token stays on.
    return ("--host", link.gateway_address, "--insecure", *extra)




async def test_commands_survive_random_packet_loss():
    with FaultyLink() as link:
        async with mcp_gateway(*_gateway_args(link, "--command-timeout", "15")) as gateway:
            editor = await link.editor(gateway.port)
            await editor.next_event("identified")
            link.lose(15)
            outcomes = await asyncio.gather(*[
                gateway.call("list_nodes", {"node_path": f"/root/N{index}"}) for index in range(40)])
            succeeded = 0
            for index, (is_error, text) in enumerate(outcomes):
                if is_error:
                    assert any(clear in text for clear in EDITOR_FAILURES), text
                else:
                    assert json.loads(text)["params"] == {"node_path": f"/root/N{index}"}
                    succeeded += 1
            # TCP retransmits through 15 % loss well within the timeout: the calls get through, each its own answer.
            assert succeeded > 0
            link.heal()
            assert (await gateway.call_json("get_scene_tree"))["command"] == "get_scene_tree"
            stats = await gateway.call_json("get_connection_stats")
            print(f"15 % loss: {succeeded}/40 succeeded, {stats['commandsTimedOut']} timed out")
            await editor.stop()


async def test_a_large_result_crosses_a_slow_link_whole():
    with FaultyLink() as link:
        async with mcp_gateway(*_gateway_args(link, "--command-timeout", "30")) as gateway:
            editor = await link.editor(gateway.port, "--result-bytes", str(384 * 1024))
            await editor.next_event("identified")
            link.throttle("2mbit")  # 384 KiB takes about 1.6 s at 2 Mbit/s
            started = time.monotonic()
            slow = asyncio.create_task(gateway.call("get_scene_tree"))
            # Meanwhile the gateway answers the host at once: the slow link holds up nothing else.
            stats = await asyncio.wait_for(gateway.call_json("get_connection_stats"), 1)
            assert stats["totalClients"] == 1
            is_error, text = await slow
            assert not is_error, text
            assert json.loads(text)["blob"] == "b" * (384 * 1024)
            elapsed = time.monotonic() - started
            assert elapsed > 1.0, f"the link was not throttled ({elapsed:.2f} s)"
            await editor.stop()


async def test_a_partition_fails_the_pending_command_and_the_editor_is_removed():
    with FaultyLink() as link:
        async with mcp_gateway(*_gateway_args(link, "--command-timeout", "60", "--heartbeat-interval", "0.5",
                                              "--heartbeat-timeout", "2", "--resume-window", "0")) as gateway:
            editor = await link.editor(gateway.port, "--hang")
            await editor.next_event("identified")
            pending = asyncio.create_task(gateway.call("get_scene_tree"))
            await editor.next_event("command")
            link.partition()
            cut_at = time.monotonic()
            # The editor's socket stays open (half-open TCP): only the heartbeat can tell it is gone.
            is_error, text = await asyncio.wait_for(pending, 10)
            assert is_error and "disconnected before it answered" in text, text
            assert time.monotonic() - cut_at < 6
            assert await gateway.clients() == []
            stats = await gateway.call_json("get_connection_stats")
            assert stats["heartbeatRemovals"] == 1
            # After the partition heals, a new editor connects and works.
            link.heal()
            again = await link.editor(gateway.port)
            await again.next_event("identified")
            assert (await gateway.call_json("get_scene_tree"))["command"] == "get_scene_tree"
            for process in (editor, again):
                await process.stop()


async def test_a_slow_round_trip_delays_commands_and_late_answers_are_dropped_once():
    with FaultyLink() as link:
        async with mcp_gateway(*_gateway_args(link, "--command-timeout", "0.5")) as gateway:
            async with DelayingRelay(link.gateway_address, gateway.port, delay=0.15) as relay:
                editor = await link.editor(relay.port)
                await editor.next_event("identified")
                # 150 ms each way: a call takes at least 0.3 s and still fits the 0.5 s timeout.
                started = time.monotonic()
                assert (await gateway.call_json("get_scene_tree"))["command"] == "get_scene_tree"
                assert time.monotonic() - started >= 0.3
                # Now 400 ms each way: the call times out with a clear error; the answer that arrives
                # later is counted as unmatched and never reaches the host.
                relay.delay = 0.4
                is_error, text = await gateway.call("list_nodes", {"node_path": "/root"})
                assert is_error and "did not answer within 0.5 s" in text, text
                async with asyncio.timeout(5):
                    while (await gateway.call_json("get_connection_stats"))["unmatchedResponses"] < 1:
                        await asyncio.sleep(0.05)
                stats = await gateway.call_json("get_connection_stats")
                assert stats["commandsTimedOut"] == 1 and stats["commandsSucceeded"] == 1
                await editor.stop()
