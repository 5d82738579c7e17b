"""The send_input schema of the tools that close the loop in the running game (issue 28), checked with
jsonschema against the addon's declaration: the sequences it accepts and those it refuses. Listing and
hints, argument checks, calls and progress to the editor, and the refusal of the changing ones to a
read-only caller are tested in process, through the engine
(Tests/GatewayEngineTests/RuntimeToolsThroughTheEngineTests.swift)."""
import sys
from pathlib import Path

import jsonschema
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
from addon_commands import addon_commands  # noqa: E402


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
