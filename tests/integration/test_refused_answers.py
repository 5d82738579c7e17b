"""An editor's answer is either passed on intact or fails its call at once with the reason: deep scene
trees come through, and answers the gateway cannot accept never leave the host waiting for a timeout."""
import json
import time

from fake_editor import FakeEditor
from gateway import mcp_gateway


def scene_tree_text(depth: int) -> str:
    """The addon's get_scene_tree shape, one child per level, built as text (deeper than Python's json
    module recurses)."""
    opening = "".join(f'{{"name":"Node{level}","type":"Control","children":[' for level in range(depth))
    return opening + "]}" * depth


def answering(result_text: str):
    return lambda command, params: '{"id":"{ID}","success":true,"result":' + result_text + ',"error":null}'


async def test_deep_scene_trees_are_delivered_intact():
    async with mcp_gateway("--command-timeout", "30") as gateway:
        for depth in (10, 40, 100, 300):
            tree = scene_tree_text(depth)
            editor = await FakeEditor(gateway.port, handler=answering(tree)).start()
            await gateway.wait_ready(editor.client_id)
            is_error, text = await gateway.call("get_scene_tree")
            assert not is_error, f"depth {depth}: {text[:200]}"
            assert json.loads(text) == json.loads(tree), f"depth {depth}"
            await editor.close()


async def assert_refused_fast(gateway, editor, reason: str) -> None:
    await gateway.wait_ready(editor.client_id)
    started = time.monotonic()
    is_error, text = await gateway.call("get_scene_tree")
    elapsed = time.monotonic() - started
    assert is_error
    assert "the editor's answer was refused" in text and reason in text, text
    assert elapsed < 1, f"refusal took {elapsed:.2f} s (the command timeout is 30 s)"
    stats = await gateway.call_json("get_connection_stats")
    assert stats["answersRefused"] >= 1


async def test_an_answer_beyond_the_nesting_bound_fails_its_call_at_once():
    async with mcp_gateway("--command-timeout", "30") as gateway:
        editor = await FakeEditor(gateway.port, handler=answering(scene_tree_text(600))).start()
        await assert_refused_fast(gateway, editor, "nests deeper than")
        # The connection stays open and the editor keeps working.
        editor.handler = answering('{"ok":true}')
        assert await gateway.call_json("get_scene_tree") == {"ok": True}
        await editor.close()


async def test_broken_json_that_carries_the_id_fails_its_call_at_once():
    async with mcp_gateway("--command-timeout", "30") as gateway:
        editor = await FakeEditor(gateway.port, handler=lambda c, p: '{"id":"{ID}","success":true,"result":{"a":[1,2}').start()
        await assert_refused_fast(gateway, editor, "not valid JSON")
        await editor.close()


async def test_an_answer_over_the_size_cap_fails_its_call_and_keeps_the_editor():
    big = '"' + "x" * 300_000 + '"'
    async with mcp_gateway("--command-timeout", "30", "--max-message-size", "65536") as gateway:
        editor = await FakeEditor(gateway.port, handler=answering(big)).start()
        await assert_refused_fast(gateway, editor, "larger than the gateway's limit of 65536 bytes")
        editor.handler = answering('{"ok":true}')
        assert await gateway.call_json("get_scene_tree") == {"ok": True}
        assert editor.close_code is None
        await editor.close()


async def test_a_forged_answer_id_is_not_treated_as_an_answer():
    """A message whose id is no pending command of this editor is unsolicited: the call still gets the
    real answer, and the forgery is counted as unmatched."""
    async with mcp_gateway() as gateway:
        forged = FakeEditor(gateway.port, handler=lambda c, p: None)
        editor = await FakeEditor(gateway.port).start()
        await gateway.wait_ready(editor.client_id)
        await forged.start()
        await forged.send({"id": "not-a-pending-command", "success": True, "result": {"forged": True}})
        result = await gateway.call_json("get_scene_tree")
        assert result["command"] == "get_scene_tree"
        stats = await gateway.call_json("get_connection_stats")
        assert stats["answersRefused"] == 0
        await forged.close()
        await editor.close()
