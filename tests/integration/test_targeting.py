"""Aiming a call at one editor: by client id, or by a unique prefix of its project name or path."""
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
    async with mcp_gateway() as gateway:
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
