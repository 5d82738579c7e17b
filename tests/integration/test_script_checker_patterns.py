"""The addon finds compile errors' lines by reading what a headless Godot 4 prints for `--check-only`
(godot/addons/godot_mcp/util/script_checker.gd). No Godot 4 engine installs here, so this test takes the
regular expressions out of that file and applies them, the way parse_output() does, to the output shapes
Godot 4's loggers write: the plain logger, the Unix terminal logger's colours, Windows line ends, an
error in a script the checked one depends on, engine errors that are not script errors, prefixes other than
"SCRIPT ERROR:", and the line the child-process check (util/check_in_child.gd) prints when it ran."""
import re
from pathlib import Path

CHECKER = Path(__file__).resolve().parents[2] / "godot/addons/godot_mcp/util/script_checker.gd"


def gdscript_constant(name: str) -> str:
    source = CHECKER.read_text(encoding="utf-8")
    found = re.search(rf'^const {name} := "((?:[^"\\]|\\.)*)"$', source, re.MULTILINE)
    assert found, f"{name} is not a string constant in {CHECKER.name}"
    return found.group(1).encode().decode("unicode_escape")


def python_pattern(name: str) -> re.Pattern:
    # PCRE2 (Godot's RegEx) spells a named group (?<name>...), Python (?P<name>...).
    return re.compile(gdscript_constant(name).replace("(?<", "(?P<"))


def parse_output(output: str) -> list[dict]:
    colour, error_line, location_line = (python_pattern(name) for name in
                                         ("COLOUR_PATTERN", "ERROR_LINE_PATTERN", "LOCATION_LINE_PATTERN"))
    lines = colour.sub("", output).replace("\r", "").split("\n")
    errors = []
    for index, line in enumerate(lines):
        found = error_line.search(line)
        if not found:
            continue
        error = {"path": None, "line": None, "message": found.group("message").strip()}
        location = location_line.search(lines[index + 1]) if index + 1 < len(lines) else None
        if location:
            error["path"] = location.group("file") if location.group("file") != "built-in" else None
            error["line"] = int(location.group("line"))
        errors.append(error)
    return errors


def test_plain_logger_output():
    output = ("Godot Engine v4.2.2.stable.official.15073afe3 - https://godotengine.org\n"
              "SCRIPT ERROR: Parse Error: Expected closing \")\" after call arguments.\n"
              "   at: GDScript::reload (res://player.gd:7)\n"
              "ERROR: Failed to load script \"res://player.gd\" with error \"Parse error\".\n"
              "   at: load (modules/gdscript/gdscript.cpp:2936)\n")
    assert parse_output(output) == [{"path": "res://player.gd", "line": 7,
                                     "message": "Parse Error: Expected closing \")\" after call arguments."}]


def test_unix_terminal_colours_and_windows_line_ends():
    output = ("\x1b[1;35mSCRIPT ERROR:\x1b[0;35m Parse Error: Identifier \"speed\" not declared in the current scope.\r\n"
              "\x1b[0;90m   at: GDScript::reload (res://folder with space/enemy.gd:12)\x1b[0m\r\n"
              "\x1b[1;35mSCRIPT ERROR:\x1b[0;35m Compile Error: Function \"jump\" not found in base self.\r\n"
              "\x1b[0;90m   at: GDScript::reload (res://folder with space/enemy.gd:30)\x1b[0m\r\n")
    assert parse_output(output) == [
        {"path": "res://folder with space/enemy.gd", "line": 12,
         "message": "Parse Error: Identifier \"speed\" not declared in the current scope."},
        {"path": "res://folder with space/enemy.gd", "line": 30,
         "message": "Compile Error: Function \"jump\" not found in base self."},
    ]


def test_errors_in_a_dependency_keep_their_own_file():
    output = ("SCRIPT ERROR: Parse Error: Unexpected \"Indent\" in class body.\n"
              "   at: GDScript::reload (res://util/math.gd:3)\n"
              "SCRIPT ERROR: Parse Error: Could not preload resource script \"res://util/math.gd\".\n"
              "   at: GDScript::reload (res://.godot_mcp_unsaved.gd:2)\n")
    assert [(error["path"], error["line"]) for error in parse_output(output)] == [
        ("res://util/math.gd", 3), ("res://.godot_mcp_unsaved.gd", 2)]


def test_engine_errors_and_a_missing_location_line():
    output = ("ERROR: Can't load script: res://missing.gd\n"
              "   at: start (main/main.cpp:3420)\n"
              "WARNING: ObjectDB instances leaked at exit\n"
              "SCRIPT ERROR: Parse Error: Unexpected end of file.")
    assert parse_output(output) == [{"path": None, "line": None, "message": "Parse Error: Unexpected end of file."}]


def test_other_prefixes_and_a_built_in_script():
    output = ("USER SCRIPT ERROR: Parse Error: Unexpected \"Indent\" in class body.\n"
              "   at: GDScript::reload (res://hero.gd:4)\n"
              "E 0:00:00:123   GDScript::reload: Compile Error: Identifier not found: speed\n"
              "   at: GDScript::reload (built-in:9)\n")
    assert parse_output(output) == [
        {"path": "res://hero.gd", "line": 4, "message": "Parse Error: Unexpected \"Indent\" in class body."},
        {"path": None, "line": 9, "message": "Compile Error: Identifier not found: speed"}]


def test_the_child_says_it_ran_and_with_what_result():
    done = python_pattern("DONE_PATTERN")
    assert done.search("GODOT_MCP_CHECKED 0").group("error") == "0"
    assert done.search("GODOT_MCP_CHECKED 43").group("error") == "43"
    assert done.search("SCRIPT ERROR: GODOT_MCP_CHECKED 0") is None
    child = (CHECKER.parent / "check_in_child.gd").read_text(encoding="utf-8")
    marker = re.search(r'^const DONE_MARKER := "(\w+)"$', child, re.MULTILINE).group(1)
    assert done.search(f"{marker} 0"), "the child prints the marker the checker looks for"
