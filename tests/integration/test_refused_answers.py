"""An editor's answer over the size cap the socket layer enforces fails its call at once and keeps the
editor. Deep trees, the nesting bound, broken JSON and forged ids are tested in process, through the engine
(Tests/GatewayEngineTests/RefusedAnswersThroughTheEngineTests.swift)."""
import time

from fake_editor import FakeEditor
from gateway import mcp_gateway


def answering(result_text: str):
    return lambda command, params: '{"id":"{ID}","success":true,"result":' + result_text + ',"error":null}'


async def assert_refused_fast(gateway, editor, reason: str) -> None:
    await editor.identified()
    started = time.monotonic()
    is_error, text = await gateway.call("get_scene_tree")
    elapsed = time.monotonic() - started
    assert is_error
    assert "the editor's answer was refused" in text and reason in text, text
    assert elapsed < 1, f"refusal took {elapsed:.2f} s (the command timeout is 30 s)"
    stats = await gateway.call_json("get_connection_stats")
    assert stats["answersRefused"] >= 1


async def test_an_answer_over_the_size_cap_fails_its_call_and_keeps_the_editor():
    big = '"' + "x" * 300_000 + '"'
    async with mcp_gateway("--command-timeout", "30", "--max-message-size", "65536") as gateway:
        editor = await FakeEditor(gateway.port, handler=answering(big)).start()
        await assert_refused_fast(gateway, editor, "larger than the gateway's limit of 65536 bytes")
        editor.handler = answering('{"ok":true}')
        assert await gateway.call_json("get_scene_tree") == {"ok": True}
        assert editor.close_code is None
        await editor.close()
