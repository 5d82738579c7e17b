"""The running-game tools are checked in two places: the command's JSON Schema (in the editor and the
gateway) and the game-side code (godot/addons/godot_mcp/game/). No Godot 4 runs here, so this reads the
game side's constants out of its .gd files and checks that both places agree, and that every answer is
sent in parts well under the debugger's 8 MiB message limit (core/debugger/remote_debugger_peer.cpp)."""
import re
import sys
from pathlib import Path

from gdtoolkit.parser import parser
from lark import Tree

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools"))
from addon_commands import _literal, addon_commands  # noqa: E402

ADDON = REPO / "godot" / "addons" / "godot_mcp"
DEBUGGER_MESSAGE_LIMIT = 8 << 20


def constant(relative: str, name: str):
    for statement in parser.parse((ADDON / relative).read_text(encoding="utf-8")).children:
        if isinstance(statement, Tree) and statement.data == "const_stmt":
            declaration = statement.children[0]
            if str(declaration.children[0]) == name:
                return _literal(declaration.children[1])
    raise AssertionError(f"{relative} declares no literal constant {name}")


def dictionary_keys(relative: str, name: str) -> list[str]:
    """The string keys of a constant Dictionary whose values are not literals (engine constants)."""
    source = (ADDON / relative).read_text(encoding="utf-8")
    block = re.search(rf"^const {name} := \{{(.*?)^\}}", source, re.MULTILINE | re.DOTALL)
    assert block, name
    return re.findall(r'"(\w+)":', block.group(1))


def schema(command: str) -> dict:
    return addon_commands()[command]["input_schema"]


def test_send_input_event_types_match_the_game_side():
    declared = schema("send_input")["properties"]["events"]["items"]["properties"]["type"]["enum"]
    assert declared == constant("game/input_sequence.gd", "TYPES")


def test_send_input_limits_are_the_ones_described():
    assert f"at most {constant('game/input_sequence.gd', 'MAX_EVENTS')}" in \
        schema("send_input")["properties"]["events"]["description"]


def test_mouse_button_names_are_the_ones_described():
    names = dictionary_keys("game/input_sequence.gd", "MOUSE_BUTTONS")
    description = schema("send_input")["properties"]["events"]["items"]["properties"]["button"]["description"]
    for name in ("left", "right", "middle", "wheel_up", "wheel_down"):
        assert name in names and name in description, name


def test_wait_conditions_match_the_game_side():
    assert schema("wait_for_game")["properties"]["condition"]["enum"] == constant("game/game_wait.gd", "CONDITIONS")


def test_continue_actions_are_the_debuggers_messages_or_stop():
    actions = constant("commands/debugger_commands.gd", "ACTIONS")
    assert schema("continue_game")["properties"]["action"]["enum"] == [*actions, "stop"]
    # The messages RemoteDebugger::debug understands (core/debugger/remote_debugger.cpp).
    assert set(actions.values()) <= {"continue", "next", "step", "out"}


def test_every_request_the_editor_sends_is_one_the_game_answers():
    kinds = constant("game/game_bridge.gd", "KINDS")
    sent = set(re.findall(r'_ask\("(\w+)"', (ADDON / "commands/runtime_commands.gd").read_text(encoding="utf-8")))
    sent |= set(re.findall(r'request\("(\w+)"', (ADDON / "game/game_link.gd").read_text(encoding="utf-8")))
    assert sent and sent <= set(kinds), sent - set(kinds)


def test_performance_monitor_names_in_the_readme_example_exist():
    monitors = dictionary_keys("game/game_bridge.gd", "MONITORS")
    readme = (ADDON / "README.md").read_text(encoding="utf-8")
    example = re.search(r'^\| `get_performance` \| `(.*)` \|$', readme, re.MULTILINE)
    assert example
    import json
    assert set(json.loads(example.group(1))["monitors"]) <= set(monitors)


def test_answers_go_in_parts_well_under_the_debuggers_message_limit():
    source = (ADDON / "game/game_messages.gd").read_text(encoding="utf-8")
    expression = re.search(r"^const PART_BYTES := ([0-9 <]+)$", source, re.MULTILINE)
    assert expression, "PART_BYTES is a plain number or shift"
    left, _, right = expression.group(1).partition("<<")
    part = int(left) << int(right) if right else int(left)
    # An answer part is [request_id, index, count, PackedByteArray] inside ["godot_mcp:answer", thread, data]:
    # a few dozen bytes around the part.
    assert 0 < part + 1024 <= DEBUGGER_MESSAGE_LIMIT // 4


def test_the_game_side_uses_no_editor_class():
    """game_bridge.gd runs in the game, where no Editor* class exists: a script it preloads that names one
    would not compile there, and every runtime tool would stop answering."""
    seen, todo = set(), [ADDON / "game" / "game_bridge.gd"]
    while todo:
        path = todo.pop().resolve()
        if path in seen:
            continue
        seen.add(path)
        code = "\n".join(line.split("#", 1)[0] for line in path.read_text(encoding="utf-8").splitlines())
        assert not re.findall(r"\bEditor[A-Z]\w*", code), (path.name, re.findall(r"\bEditor[A-Z]\w*", code))
        todo += [path.parent / found for found in re.findall(r'preload\("([^"]+)"\)', code)]
    assert {p.name for p in seen} >= {"game_bridge.gd", "game_tree.gd", "value_converter.gd", "input_sequence.gd"}
