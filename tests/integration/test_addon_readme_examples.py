"""The addon's README gives every command an example; each must be a call the addon would accept."""
import json
import re
import sys
from pathlib import Path

import jsonschema

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools"))
from addon_commands import addon_commands  # noqa: E402

README = REPO / "godot" / "addons" / "godot_mcp" / "README.md"


def readme_examples() -> dict[str, object]:
    text = README.read_text(encoding="utf-8")
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
