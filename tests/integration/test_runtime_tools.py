"""The tools that close the loop in the running game (issue 28): send_input, get_game_tree,
get_game_node_properties, set_game_node_property, wait_for_game, get_debugger_state, continue_game,
get_performance, instance_scene, run_tests. They are the addon's declarations, generated into the
gateway's catalog; here the real gateway binary lists them with no editor connected, validates their
arguments, carries calls and progress to a stand-in editor, and refuses the changing ones to a
read-only caller."""
import asyncio
import json
import os
import signal
import sys
from pathlib import Path

import jsonschema
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
from addon_commands import addon_commands  # noqa: E402
from fake_editor import FakeEditor  # noqa: E402
from gateway import mcp_gateway  # noqa: E402
from test_service import mcp_over_socket, start_service  # noqa: E402
from gateway import free_port  # noqa: E402

TEN = ["send_input", "get_game_tree", "get_game_node_properties", "set_game_node_property", "wait_for_game",
       "get_debugger_state", "continue_game", "get_performance", "instance_scene", "run_tests"]
# What the tools may do: read the running game (or the debugger), or change something.
READ_ONLY = {"get_game_tree", "get_game_node_properties", "wait_for_game", "get_debugger_state", "get_performance"}


async def test_the_ten_tools_are_listed_with_no_editor_and_hinted_honestly():
    async with mcp_gateway() as gateway:
        listed = {tool.name for tool in (await gateway.session.list_tools()).tools}
        # The default toolsets (scene, play, …) show instance_scene; the game's tools are in the "runtime"
        # set and run_tests in "tests", one call each away (README, Toolsets).
        assert set(TEN) - listed == set(TEN) - {"instance_scene"}, set(TEN) - listed
        for toolset in ("runtime", "tests"):
            assert not (await gateway.session.call_tool("enable_toolset", {"toolset": toolset})).is_error
        tools = {tool.name: tool for tool in (await gateway.session.list_tools()).tools}
    for name in TEN:
        assert name in tools, name
        annotations = tools[name].annotations
        assert annotations.read_only_hint is (name in READ_ONLY), name
        # None of them destroys anything: runtime changes end with the game, instance_scene is undoable.
        assert annotations.destructive_hint is False, name
        assert "client" in tools[name].input_schema["properties"], name


def send_input_schema() -> dict:
    return addon_commands()["send_input"]["input_schema"]


@pytest.mark.parametrize("events", [
    [{"type": "action", "action": "jump", "strength": 0.5, "hold_frames": 3}],
    [{"type": "key", "key": "A", "shift": True, "pressed": True}, {"type": "key", "keycode": 65, "pressed": False}],
    [{"type": "mouse_button", "button": "right", "position": [10, 20], "double_click": True}],
    [{"type": "mouse_motion", "position": [100.5, 20], "relative": [4, 0], "wait_ms": 16}],
    [{"type": "joypad_button", "button": 0, "device": 1}, {"type": "joypad_axis", "axis": 1, "value": -0.75}],
    [{"type": "text", "text": "héllo"}, {"type": "wait", "wait_frames": 30}],
])
def test_input_sequences_the_schema_accepts(events):
    jsonschema.validate({"events": events}, send_input_schema())


@pytest.mark.parametrize("arguments", [
    {},
    {"events": {"type": "key"}},
    {"events": [{"action": "jump"}]},
    {"events": [{"type": "teleport"}]},
    {"events": [{"type": "key", "key": "A", "code": "eval(...)"}]},
    {"events": [{"type": "mouse_motion", "position": "10,20"}]},
    {"events": [{"type": "action", "action": "jump", "pressed": "yes"}]},
    {"events": [{"type": "wait", "wait_frames": 1.5}]},
    {"events": [], "extra": 1},
])
def test_input_sequences_the_schema_refuses(arguments):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(arguments, send_input_schema())


async def test_send_input_reaches_the_editor_as_given_and_a_bad_event_does_not():
    events = [{"type": "action", "action": "jump", "hold_frames": 10}, {"type": "text", "text": "Bat"}]
    delivered = {"delivered": [{"frame": 0, "event": "InputEventAction: action=jump, pressed=true", "pressed": True}],
                 "frames": 18, "msec": 300}

    def editor_side(command: str, params: dict) -> dict:
        return {"success": True, "result": delivered if command == "send_input" else {}, "error": None}

    async with mcp_gateway() as gateway:
        editor = await FakeEditor(gateway.port, handler=editor_side).start()
        await gateway.wait_ready(editor.client_id)
        assert await gateway.call_json("send_input", {"events": events}) == delivered
        command = await asyncio.wait_for(editor.commands.get(), 5)
        assert command["command"] == "send_input" and command["params"] == {"events": events}

        is_error, text = await gateway.call("send_input", {"events": [{"type": "key", "key": "A", "script": "x"}]})
        assert is_error and "unknown field 'script'" in text, text
        assert editor.commands.empty()
        await editor.close()


async def test_run_tests_progress_reaches_the_host_and_then_the_results():
    results = {"framework": "gut", "exit_code": 1, "timed_out": False, "duration_ms": 3200,
               "report": "user://godot_mcp_tests/run_1/results.xml", "passed": 6, "failed": 1, "errored": 0,
               "skipped": 0, "total": 7, "failures": [{"suite": "test/unit/test_hero.gd", "test": "test_takes_damage",
                                                       "outcome": "failed", "file": "res://test/unit/test_hero.gd",
                                                       "line": 18, "message": "[4] expected to equal [5]"}]}
    steps: list = []
    for second in range(1, 4):
        steps += [0.3, '{"type":"progress","id":"{ID}","progress":%d,"total":120000,"message":"running gut tests (%d s)"}'
                  % (second * 1000, second)]
    steps.append(json.dumps({"id": "{ID}", "success": True, "result": results, "error": None}))
    seen = []

    async def on_progress(progress, total, message):
        seen.append((progress, total, message))

    async with mcp_gateway() as gateway:
        editor = await FakeEditor(gateway.port, handler=lambda c, p: list(steps)).start()
        await gateway.wait_ready(editor.client_id)
        result = await gateway.session.call_tool("run_tests", {"path": "res://test/unit", "timeout_seconds": 120},
                                                 progress_callback=on_progress)
        assert not result.is_error, result.content[0].text
        assert json.loads(result.content[0].text) == results
        assert [s[0] for s in seen] == [1000, 2000, 3000] and seen[-1][2] == "running gut tests (3 s)"
        is_error, text = await gateway.call("run_tests", {"path": "/etc/passwd"})
        assert is_error and "res://" in text
        await editor.close()


async def test_a_read_only_caller_may_watch_the_game_but_not_change_it(tmp_path):
    tokens = tmp_path / "tokens"
    tokens.write_text("alice alice-token-0123456789\nbob bob-token-0123456789 read-only\n")
    tokens.chmod(0o600)
    port = free_port()
    service = await start_service("--port", str(port), "--tokens", str(tokens), env=dict(os.environ))
    try:
        editor = await FakeEditor(port, token="alice-token-0123456789").start()
        calls = {"get_performance": {"samples": 2}, "get_game_tree": {}, "send_input": {"events": [{"type": "wait"}]},
                 "set_game_node_property": {"node_path": "/root/Main", "property": "visible", "value": False},
                 "continue_game": {"action": "stop"}, "instance_scene": {"path": "res://bat.tscn"}, "run_tests": {}}
        for number, (tool, arguments) in enumerate(calls.items(), start=1):
            answer = (await mcp_over_socket(port, "bob-token-0123456789", {
                "jsonrpc": "2.0", "id": number, "method": "tools/call", "params": {"name": tool, "arguments": arguments}}))
            text = answer["result"]["content"][0]["text"]
            refused = answer["result"]["isError"] and text.startswith("bob may only use tools that read") and tool in text
            assert refused is (tool not in READ_ONLY), (tool, answer)
        forwarded = []
        while not editor.commands.empty():
            forwarded.append((await editor.commands.get())["command"])
        assert forwarded == ["get_performance", "get_game_tree"]
        await editor.close()
    finally:
        service.send_signal(signal.SIGTERM)
        service.wait(10)
