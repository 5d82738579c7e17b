"""No cascade: many clients coming and going while commands flow to a steady editor."""
import asyncio
import random

from fake_editor import FakeEditor
from gateway import mcp_gateway


async def test_100_clients_churning_while_commands_flow():
    # Limits high enough that this test is about isolation, not about the per-address cap.
    async with mcp_gateway("--max-clients", "200", "--max-clients-per-ip", "200") as gateway:
        editor = await FakeEditor(gateway.port).start()
        await editor.identified()
        baseline = [c["clientId"] for c in await gateway.clients()]
        rng = random.Random(7)

        async def churner(index: int) -> None:
            kind = index % 4
            client = FakeEditor(gateway.port, identify=kind != 0, user_agent=None if kind == 1 else "Godot/4.3")
            if kind == 2:  # identifies as an editor too, then leaves abruptly
                client.handler = lambda c, p: {"success": True, "result": {"command": c, "params": p}, "error": None}
            await client.start()
            await asyncio.sleep(rng.uniform(0, 0.05))
            if kind == 3:
                client.ws.transport.abort()  # no close frame: a dropped socket
                await asyncio.wait_for(client.closed.wait(), 5)
            else:
                await client.close()

        async def commands() -> list[tuple[bool, str]]:
            results = []
            for index in range(60):
                results.append(await gateway.call("list_nodes", {"node_path": f"/root/{index}"}))
            return results

        churn = [churner(i) for i in range(100)]
        outcome, *_ = await asyncio.gather(commands(), *churn)
        failures = [text for is_error, text in outcome if is_error]
        assert failures == []
        await gateway.wait_for_clients(lambda c: [x["clientId"] for x in c] == baseline)
        stats = await gateway.call_json("get_connection_stats")
        assert stats["connectionsAccepted"] == 101
        assert stats["totalClients"] == 1
        await editor.close()
