"""Backpressure both ways: an editor is never cut off for answering what it was asked, and a host that
stops reading its answers makes the gateway stop taking requests instead of hoarding results."""
import asyncio
import json
import os
import select
import subprocess
import threading

from fake_editor import FakeEditor
from gateway import GATEWAY_BIN, RawGateway, free_port


async def test_a_busy_editor_answering_large_results_is_not_rate_limited():
    """300 answers of 100 KB (30 MB) against a byte budget of 1 MB/s (2 MB burst): answers the gateway
    asked for are exempt, so every call succeeds and the editor stays connected."""
    result = {"tree": "n" * 100_000}
    # A long command timeout: under ThreadSanitizer 30 MB take a while, and this test is about rate limits.
    gateway = await RawGateway("--byte-rate-limit", "1000000", "--command-timeout", "120").start()
    try:
        await gateway.initialize()
        editor = await FakeEditor(gateway.port, handler=lambda c, p: {"success": True, "result": result, "error": None}).start()
        await gateway.wait_routable()
        in_flight: list[int] = []
        for call in range(300):
            in_flight.append(await gateway.request("tools/call", {"name": "get_scene_tree", "arguments": {}}))
            if len(in_flight) == 16 or call == 299:
                for request_id in in_flight:
                    answer = await gateway.response(request_id, timeout=120)
                    assert not answer["result"]["isError"], answer["result"]["content"][0]["text"][:200]
                in_flight.clear()
        assert editor.close_code is None
        assert not any("rate limit" in line for line in gateway.stderr_lines)
        await editor.close()
    finally:
        await gateway.kill()


async def test_unsolicited_traffic_still_pays_the_byte_budget():
    gateway = await RawGateway("--byte-rate-limit", "100000").start()
    try:
        await gateway.initialize()
        editor = await FakeEditor(gateway.port).start()
        for _ in range(3):  # 300 KB of heartbeats padded with a field, against a 200 KB burst
            await editor.send({"type": "heartbeat", "timestamp": 1, "padding": "p" * 100_000})
        error = await asyncio.wait_for(editor.errors.get(), 5)
        assert error["code"] == "rate_limited"
        await editor.close()
    finally:
        await gateway.kill()


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


async def test_a_host_that_stops_reading_is_pushed_back_and_loses_nothing():
    """The host writes 20,000 calls (2 KB results each, 40 MB in all) and reads nothing: once 16 MiB of
    answers wait, the gateway stops forwarding and reading, so the host's writes block; heartbeats go on;
    when the host reads again every call is answered exactly once."""
    port = free_port()
    process = subprocess.Popen(
        [GATEWAY_BIN, "--port", str(port), "--max-commands-in-flight", "100000", "--rate-limit", "1000000",
         "--heartbeat-interval", "0.5", "--heartbeat-timeout", "30", "--log-level", "warning"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=dict(os.environ))
    assert process.stdin and process.stdout
    try:
        answer = {"success": True, "result": {"payload": "r" * 2000}, "error": None}
        forwarded = threading.Condition()
        counts = {"commands": 0}

        def on_event(event: dict) -> None:
            if event["event"] == "command":
                with forwarded:
                    counts["commands"] += 1
                    forwarded.notify_all()

        editor = None
        async with asyncio.timeout(10):
            while editor is None:
                try:
                    editor = await FakeEditor(port, handler=lambda c, p: answer, on_event=on_event).start()
                except OSError:
                    await asyncio.sleep(0.01)
        total = 20_000
        lines = [(json.dumps({"jsonrpc": "2.0", "id": i, "method": "tools/call",
                              "params": {"name": "get_scene_tree", "arguments": {}}}) + "\n").encode()
                 for i in range(total)]
        os.set_blocking(process.stdin.fileno(), False)
        baseline = rss_kib(process.pid)

        def write_until_pushed_back() -> int:
            """Writes lines in batches, keeping at most 400 ahead of what the editor was sent, until the
            gateway forwards nothing and takes nothing for 2 s; returns how many lines it took whole."""
            index, offset = 0, 0
            while index < total:
                with forwarded:
                    if not forwarded.wait_for(lambda: counts["commands"] >= index - 400, timeout=2):
                        return index
                batch_end = min(total, index + 200)
                while index < batch_end:
                    try:
                        offset += os.write(process.stdin.fileno(), lines[index][offset:])
                    except BlockingIOError:
                        if not select.select([], [process.stdin], [], 2)[1]:
                            return index
                        continue
                    if offset == len(lines[index]):
                        index, offset = index + 1, 0
            return index

        written = await asyncio.to_thread(write_until_pushed_back)
        assert written < total, "the gateway kept taking requests although nothing read its answers"
        growth_mib = (rss_kib(process.pid) - baseline) / 1024
        # Heartbeats keep flowing to the editor while the host is stuck.
        beats = editor.heartbeats
        async with asyncio.timeout(5):
            while editor.heartbeats <= beats + 1:
                await asyncio.sleep(0.05)

        answers: dict[int, int] = {}

        def read_all() -> None:
            for raw in process.stdout:
                message = json.loads(raw)
                answers[message["id"]] = answers.get(message["id"], 0) + 1

        reader = threading.Thread(target=read_all)
        reader.start()
        os.set_blocking(process.stdin.fileno(), True)
        process.stdin.write(b"".join(lines[written:]))
        process.stdin.close()
        await asyncio.to_thread(reader.join, 60)
        assert len(answers) == total, f"{total - len(answers)} answers missing"
        assert set(answers.values()) == {1}
        assert all(message_id in answers for message_id in range(total))
        # The gateway stopped taking requests once about 16 MiB of answers (some 8,000 of them) waited:
        # what it took beyond that is what the pipes and one read buffer hold.
        assert written < 12_000, f"the gateway took {written} requests before pushing back"
        print(f"pushed back after {written} requests; RSS grew {growth_mib:.1f} MiB")
        if not any(name in os.environ for name in ("ASAN_OPTIONS", "TSAN_OPTIONS")):
            # Sanitizers' shadow memory and quarantine make RSS meaningless as a bound.
            assert growth_mib < 48, f"RSS grew {growth_mib:.1f} MiB while the host was not reading"
        await editor.close()
    finally:
        process.kill()
        process.wait()
