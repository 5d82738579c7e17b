"""The addon's README gives every command an example; each must be a call the addon would accept."""
import json
import re
import sys
from pathlib import Path

import jsonschema
import pytest
from gdtoolkit.parser import parser

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools"))
from addon_commands import _literal, addon_commands  # noqa: E402

README = REPO / "godot" / "addons" / "godot_mcp" / "README.md"
RESOURCE_COMMANDS = REPO / "godot" / "addons" / "godot_mcp" / "commands" / "resource_commands.gd"


def readme_examples(text: str | None = None) -> dict[str, object]:
    text = README.read_text(encoding="utf-8") if text is None else text
    section = text.split("## Every command, with an example", 1)[1].split("\n## ", 1)[0]
    examples = {}
    for name, arguments in re.findall(r"^\| `(\w+)` \| `(.*)` \|$", section, re.MULTILINE):
        assert name not in examples, f"{name} has two examples"
        examples[name] = json.loads(arguments)
    return examples


def test_every_command_has_one_example():
    assert sorted(readme_examples()) == sorted(addon_commands())


def test_every_example_satisfies_its_commands_schema():
    commands = addon_commands()
    for name, arguments in readme_examples().items():
        jsonschema.validate(arguments, commands[name]["input_schema"])


def gdscript_constant(source: str, name: str):
    for statement in parser.parse(source).children:
        if getattr(statement, "data", None) == "const_stmt" and str(statement.children[0].children[0]) == name:
            return _literal(statement.children[0].children[1])
    raise KeyError(name)


def shape_mismatch(source: str, declared: list[str]) -> set[str]:
    """Shape names the schema lets a call give but cmd_create_collision_shape refuses, and the other way round:
    the schema's enum must be exactly SHAPES' names and classes, or a README example the schema accepts could
    still be refused by the code (the "CircleShape2D" example was)."""
    shapes = gdscript_constant(source, "SHAPES")
    accepted = set(shapes) | {cls for classes in shapes.values() for cls in classes if cls}
    return accepted ^ set(declared)


def test_the_shape_names_the_schema_allows_are_exactly_the_ones_the_code_accepts():
    schema = addon_commands()["create_collision_shape"]["input_schema"]["properties"]["shape_type"]
    assert shape_mismatch(RESOURCE_COMMANDS.read_text(), schema["enum"]) == set()
    assert readme_examples()["create_collision_shape"]["shape_type"] in schema["enum"]


def test_a_planted_readme_example_the_code_would_refuse_is_caught():
    schema = addon_commands()["create_collision_shape"]["input_schema"]
    planted = ("## Every command, with an example\n\n| command | example arguments |\n|---|---|\n"
               '| `create_collision_shape` | `{"node_path": "/root/Main/Body", "shape_type": "Circle2D"}` |\n')
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(readme_examples(planted)["create_collision_shape"], schema)
    # A code change that stops accepting a name the schema still offers is caught too.
    narrowed = RESOURCE_COMMANDS.read_text().replace('"circle": ["CircleShape2D", "SphereShape3D"],', "")
    assert shape_mismatch(narrowed, schema["properties"]["shape_type"]["enum"]) == {"circle"}
