"""Soak: a gateway with heartbeats 15 times faster than normal (2 s interval, 4 s timeout: two minutes
are 30 minutes of real heartbeats) while editors are killed, frozen and thawed, replaced and flooding,
and an MCP host keeps calling tools. Pass: every call ends exactly once, in a result or one of the
gateway's clear errors; the registry returns to empty; RSS stays flat.

    .venv-test/bin/python tests/soak/soak.py [--seconds 120]
"""
import argparse
import asyncio
import json
import os
import random
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))
os.environ.setdefault("GODOT_MCP_TOKEN", "integration-test-token-0123456789")

from fake_editor import FakeEditor  # noqa: E402
from gateway import EDITOR_FAILURES, RawGateway  # noqa: E402

EDITOR = Path(__file__).resolve().parents[1] / "integration" / "fake_editor.py"
CLEAR_ERRORS = EDITOR_FAILURES + ("Too many commands are waiting",)


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024


async def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    rng = random.Random(options.seed)
    gateway = await RawGateway("--heartbeat-interval", "2", "--heartbeat-timeout", "4", "--command-timeout", "3",
                               "--rate-limit", "100", "--max-clients-per-ip", "64",
                               quiet=True).start()
    editors: list[asyncio.subprocess.Process] = []
    frozen: dict[int, float] = {}
    outcomes = {"results": 0, "errors": 0}
    unclear: list[str] = []
    rss: list[tuple[float, float]] = []
    started = time.monotonic()
    stop = started + options.seconds

    async def spawn_editor() -> None:
        editors.append(await asyncio.create_subprocess_exec(
            sys.executable, str(EDITOR), str(gateway.port), stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL))

    async def chaos() -> None:
        while time.monotonic() < stop:
            await asyncio.sleep(rng.uniform(0.1, 0.5))
            alive = [e for e in editors if e.returncode is None]
            for process in alive:  # thaw editors frozen long enough
                if process.pid in frozen and time.monotonic() >= frozen[process.pid]:
                    os.kill(process.pid, signal.SIGCONT)
                    del frozen[process.pid]
            action = rng.random()
            if action < 0.35 or len(alive) < 2:
                await spawn_editor()
            elif action < 0.6:
                victim = rng.choice(alive)
                frozen.pop(victim.pid, None)
                victim.kill()
            elif action < 0.85:
                victim = rng.choice(alive)
                if victim.pid not in frozen:
                    os.kill(victim.pid, signal.SIGSTOP)
                    frozen[victim.pid] = time.monotonic() + rng.uniform(0.5, 6)  # some outlive the timeout
            else:
                asyncio.create_task(flood())

    async def flood() -> None:
        try:
            flooder = await FakeEditor(gateway.port, identify=False, user_agent="soak-flood").start()
            for index in range(3000):
                await flooder.send({"type": "heartbeat_response", "n": index})
            await asyncio.wait_for(flooder.closed.wait(), 10)
        except Exception:
            pass

    async def host(worker: int) -> None:
        while time.monotonic() < stop:
            request = await gateway.request("tools/call", {"name": "list_nodes", "arguments": {"node_path": f"/root/{worker}"}})
            result = (await gateway.response(request, timeout=15))["result"]
            text = result["content"][0]["text"]
            if result["isError"]:
                outcomes["errors"] += 1
                if not any(clear in text for clear in CLEAR_ERRORS):
                    unclear.append(text)
            else:
                outcomes["results"] += 1
                assert json.loads(text)["params"] == {"node_path": f"/root/{worker}"}, text

    async def sample_rss() -> None:
        while time.monotonic() < stop:
            rss.append((time.monotonic() - started, rss_mib(gateway.process.pid)))
            await asyncio.sleep(2)

    try:
        await gateway.initialize()
        for _ in range(3):
            await spawn_editor()
        await asyncio.gather(chaos(), sample_rss(), *(host(worker) for worker in range(4)))
        for process in editors:
            if process.returncode is None:
                if process.pid in frozen:
                    os.kill(process.pid, signal.SIGCONT)
                process.kill()
                await process.wait()
        async with asyncio.timeout(15):
            while True:
                request = await gateway.request("tools/call", {"name": "list_clients", "arguments": {}})
                count = json.loads((await gateway.response(request))["result"]["content"][0]["text"])["count"]
                if count == 0:
                    break
                await asyncio.sleep(0.2)
        duplicates = [key for key, seen in gateway.response_counts.items() if seen > 1]
        settled = [value for moment, value in rss if moment >= min(20, options.seconds / 3)]
        growth = (max(settled) - settled[0]) if settled else 0.0
        print(f"soak: {options.seconds:.0f} s, {len(editors)} editor processes, {outcomes['results']} results, "
              f"{outcomes['errors']} clear errors, RSS {rss[0][1]:.1f} -> {rss[-1][1]:.1f} MiB "
              f"(growth after warm-up {growth:.1f} MiB)")
        problems = []
        if unclear:
            problems.append(f"{len(unclear)} unclear errors, e.g. {unclear[0]!r}")
        if duplicates:
            problems.append(f"{len(duplicates)} responses answered twice")
        if outcomes["results"] == 0:
            problems.append("no call ever succeeded")
        if growth > 30:
            problems.append(f"RSS grew {growth:.1f} MiB after warm-up")
        for problem in problems:
            print("soak FAILED: " + problem)
        print(f"{0 if problems else 1} passed, {1 if problems else 0} failed")
        gateway.close_stdin()
        code = await gateway.wait_exit(10)
        if code != 0:
            print(f"soak FAILED: gateway exited with {code}")
            return 1
        return 1 if problems else 0
    finally:
        for process in editors:
            if process.returncode is None:
                try:
                    os.kill(process.pid, signal.SIGCONT)
                    process.kill()
                except ProcessLookupError:
                    pass
        await gateway.kill()


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
