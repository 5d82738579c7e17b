"""Shutdown: stdin EOF and signals notify editors only, close everyone with 1001, exit 0; no response is lost."""
import asyncio
import signal
import time

import pytest

from fake_editor import FakeEditor
from gateway import RawGateway


async def _gateway_with_clients():
    gateway = await RawGateway().start()
    await gateway.initialize()
    editor = await FakeEditor(gateway.port).start()
    other = await FakeEditor(gateway.port, identify=False, user_agent="python-test").start()
    return gateway, editor, other


async def test_stdin_eof_sends_shutdown_to_editors_only_and_exits_zero():
    gateway, editor, other = await _gateway_with_clients()
    try:
        await editor.identified()
        closed_at = time.monotonic()
        gateway.close_stdin()
        code = await gateway.wait_exit(3)
        assert code == 0
        assert time.monotonic() - closed_at < 3
        assert editor.shutdown_received.is_set()
        shutdown = [m for m in editor.received if m.get("command") == "shutdown"][0]
        assert shutdown["params"]["reason"] == "mcp_server_terminating"
        assert not other.shutdown_received.is_set()
        await asyncio.wait_for(other.closed.wait(), 3)
        assert other.close_code == 1001
    finally:
        await gateway.kill()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
async def test_signals_shut_down_gracefully(signum):
    gateway, editor, other = await _gateway_with_clients()
    try:
        await editor.identified()
        gateway.process.send_signal(signum)
        assert await gateway.wait_exit(3) == 0
        assert editor.shutdown_received.is_set()
        await asyncio.wait_for(other.closed.wait(), 3)
        assert other.close_code == 1001
    finally:
        await gateway.kill()


async def test_editor_that_never_acknowledges_is_closed_after_the_grace():
    gateway = await RawGateway().start()
    try:
        await gateway.initialize()
        silent = FakeEditor(gateway.port)
        await silent.start()
        await silent.identified()
        # From now on it reads but never answers, not even the shutdown.
        silent._dispatch = lambda message: asyncio.sleep(0)
        started = time.monotonic()
        gateway.close_stdin()
        assert await gateway.wait_exit(5) == 0
        assert 1.5 < time.monotonic() - started < 4.5
        await asyncio.wait_for(silent.closed.wait(), 3)
        assert silent.close_code == 1001
    finally:
        await gateway.kill()


async def test_responses_to_requests_sent_just_before_eof_are_not_lost():
    for _ in range(5):
        gateway = await RawGateway().start()
        try:
            await gateway.initialize()
            ids = [await gateway.request("tools/call", {"name": "get_connection_stats", "arguments": {}}),
                   await gateway.request("tools/list"),
                   await gateway.request("tools/call", {"name": "get_scene_tree", "arguments": {}})]
            gateway.close_stdin()
            assert await gateway.wait_exit(5) == 0
            for request_id in ids:
                assert request_id in gateway._responses, f"response {request_id} lost"
            assert gateway._responses[ids[2]]["result"]["isError"] is True
        finally:
            await gateway.kill()
