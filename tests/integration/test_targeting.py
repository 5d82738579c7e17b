"""Aiming a call at one editor (by client id, or a unique prefix of its project name or path), pinning a
session to one, and the routing policies for calls that name none."""
import asyncio
import json

from fake_editor import FakeEditor
from gateway import mcp_gateway


def editor_named(port: int, name: str, path: str) -> FakeEditor:
    """An editor that identifies with its project, as the addon does, and says which project answered."""
    return FakeEditor(port, identity={"projectName": name, "projectPath": path}, handler=lambda command, params: {
        "success": True, "result": {"project": name, "params": params}, "error": None})


async def test_a_call_goes_to_the_editor_it_names_and_the_argument_is_not_forwarded():
    async with mcp_gateway() as gateway:
        platformer = await editor_named(gateway.port, "Platformer", "/home/me/games/platformer/").start()
        puzzle = await editor_named(gateway.port, "Puzzle Tower", "/home/me/games/puzzle/").start()
        await gateway.wait_ready(platformer.client_id, puzzle.client_id)
        by_name = await gateway.call_json("get_scene_tree", {"client": "puzzle"})
        assert by_name == {"project": "Puzzle Tower", "params": {}}
        by_path = await gateway.call_json("get_scene_tree", {"client": "/home/me/games/plat"})
        assert by_path["project"] == "Platformer"
        by_id = await gateway.call_json("get_node_properties", {"node_path": "/root", "client": puzzle.client_id})
        assert by_id == {"project": "Puzzle Tower", "params": {"node_path": "/root"}}
        default = await gateway.call_json("get_scene_tree")
        assert default["project"] == "Platformer"  # the first ready editor, as before
        names = {c["clientId"]: c.get("name") for c in await gateway.clients()}
        assert names[puzzle.client_id] == "Puzzle Tower"
        await platformer.close()
        await puzzle.close()


async def test_unknown_and_ambiguous_targets_are_tool_errors_that_list_the_editors():
    async with mcp_gateway("--startup-grace", "0") as gateway:
        one = await editor_named(gateway.port, "Game", "/work/game/").start()
        two = await editor_named(gateway.port, "Game Tools", "/work/game-tools/").start()
        await gateway.wait_ready(one.client_id, two.client_id)
        is_error, text = await gateway.call("get_scene_tree", {"client": "shooter"})
        assert is_error and "No connected Godot editor matches client 'shooter'" in text
        assert one.client_id in text and two.client_id in text and "Game Tools" in text
        is_error, text = await gateway.call("get_scene_tree", {"client": "/work/game"})
        assert is_error and "Several Godot editors match" in text
        # An exact project name wins over a prefix of another one.
        assert (await gateway.call_json("get_scene_tree", {"client": "game"}))["project"] == "Game"
        assert one.commands.qsize() == 1 and two.commands.qsize() == 0
        await one.close()
        await two.close()


async def test_round_robin_spreads_calls_and_results_say_which_editor_answered():
    async with mcp_gateway("--routing", "round-robin") as gateway:
        editors = [await editor_named(gateway.port, f"Project {n}", f"/p/{n}/").start() for n in range(3)]
        await gateway.wait_ready(*(e.client_id for e in editors))
        projects = []
        for _ in range(6):
            result = await gateway.session.call_tool("get_scene_tree", {})
            projects.append(json.loads(result.content[0].text)["project"])
            # Several editors could have answered: the result names the one that did.
            assert len(result.content) == 2 and "Answered by Godot editor" in result.content[1].text
            assert result.meta["godot-mcp/clientId"] in {e.client_id for e in editors}
        assert projects == ["Project 0", "Project 1", "Project 2"] * 2
        for editor in editors:
            await editor.close()


async def test_least_busy_skips_the_editor_that_is_still_working():
    async with mcp_gateway("--routing", "least-busy", "--command-timeout", "30") as gateway:
        slow = FakeEditor(gateway.port, identity={"projectName": "Slow", "projectPath": "/slow/"}, handler=lambda c, p: None)
        await slow.start()
        fast = await editor_named(gateway.port, "Fast", "/fast/").start()
        await gateway.wait_ready(slow.client_id, fast.client_id)
        pending = asyncio.create_task(gateway.call("get_scene_tree", {"client": "slow"}))
        await asyncio.wait_for(slow.commands.get(), 5)
        for _ in range(3):
            assert (await gateway.call_json("get_scene_tree"))["project"] == "Fast"
        pending.cancel()
        await slow.close()
        await fast.close()


async def test_select_client_pins_the_session_and_unpins():
    async with mcp_gateway() as gateway:
        first = await editor_named(gateway.port, "First", "/first/").start()
        second = await editor_named(gateway.port, "Second", "/second/").start()
        await gateway.wait_ready(first.client_id, second.client_id)
        assert (await gateway.call_json("get_scene_tree"))["project"] == "First"
        is_error, text = await gateway.call("select_client", {"client": "sec"})
        assert not is_error and second.client_id in text
        assert (await gateway.call_json("get_scene_tree"))["project"] == "Second"
        assert (await gateway.call_json("get_scene_tree", {"client": "first"}))["project"] == "First"
        is_error, text = await gateway.call("select_client", {"client": "nowhere"})
        assert is_error and "No connected Godot editor matches" in text
        assert (await gateway.call_json("get_scene_tree"))["project"] == "Second"  # the pin stands
        await gateway.call("select_client", {})
        assert (await gateway.call_json("get_scene_tree"))["project"] == "First"
        await first.close()
        await second.close()


async def test_editor_concurrency_keeps_the_rest_waiting_in_order():
    async with mcp_gateway("--editor-concurrency", "1", "--command-timeout", "30") as gateway:
        editor = FakeEditor(gateway.port, handler=lambda c, p: None)  # answers by hand below
        await editor.start()
        await gateway.wait_ready(editor.client_id)
        calls = [asyncio.create_task(gateway.call("get_node_properties", {"node_path": f"/n{i}"})) for i in range(3)]
        seen = []
        for _ in range(3):
            command = await asyncio.wait_for(editor.commands.get(), 5)
            seen.append(command["params"]["node_path"])
            assert editor.commands.empty(), "a second command reached the editor before the first was answered"
            if len(seen) == 1:
                stats = await gateway.call_json("get_connection_stats")
                assert stats["queuedCommands"] == 2 and stats["pendingCommands"] == 1
            await editor.send({"id": command["id"], "success": True, "result": {"path": seen[-1]}, "error": None})
        results = await asyncio.gather(*calls)
        assert seen == ["/n0", "/n1", "/n2"]
        assert all(not is_error for is_error, _ in results)
        await editor.close()
