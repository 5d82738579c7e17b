"""Reads the commands the Godot addon declares (the COMMANDS constant of each commands/*_commands.gd)
with gdtoolkit's GDScript parser, so the gateway's tool catalog and the tests use the addon's own
declarations instead of a copy that could drift.

    python tools/addon_commands.py            # prints the declarations as JSON
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from gdtoolkit.parser import parser
from lark import Token, Tree

REPO = Path(__file__).resolve().parents[1]
ADDON = REPO / "godot" / "addons" / "godot_mcp"
# The registry's order (command_registry.gd AREAS), which is also the order of the MCP tools.
AREAS = ["scene", "node", "resource", "script", "project", "editor", "play", "file", "signal",
         "runtime", "debugger", "instance", "test"]


def _literal(node):
    """A GDScript literal (dict, array, string, number, bool, null) as a Python value."""
    if isinstance(node, Token):
        text = str(node)
        if node.type in ("REGULAR_STRING", "LONG_STRING", "STRING") or text[:1] in "\"'":
            return json.loads(text) if text.startswith('"') else text[1:-1]
        if text in ("true", "false"):
            return text == "true"
        if text == "null":
            return None
        return float(text) if any(c in text for c in ".eE") else int(text)
    if node.data in ("expr", "string", "par_expr"):
        return _literal(node.children[0])
    if node.data == "dict":
        result = {}
        for element in node.children:
            if isinstance(element, Tree) and element.data in ("c_dict_element", "eq_dict_element"):
                key, value = element.children
                result[_literal(key)] = _literal(value)
        return result
    if node.data == "array":
        return [_literal(child) for child in node.children
                if not (isinstance(child, Tree) and child.data == "trailing_comma")]
    if node.data == "arith_expr" and all(isinstance(c, Token) and str(c) == "+" for c in node.children[1::2]):
        # A long description written as "…" + "…" on several lines.
        parts = [_literal(c) for c in node.children[0::2]]
        if all(isinstance(p, str) for p in parts):
            return "".join(parts)
    if node.data in ("true", "false"):
        return node.data == "true"
    if node.data == "null":
        return None
    raise ValueError(f"not a literal: {node.data}")


def _commands_constant(path: Path) -> dict:
    tree = parser.parse(path.read_text())
    for statement in tree.children:
        if isinstance(statement, Tree) and statement.data == "const_stmt":
            declaration = statement.children[0]
            if str(declaration.children[0]) == "COMMANDS":
                return _literal(declaration.children[1])
    raise ValueError(f"{path} declares no COMMANDS")


def addon_commands() -> dict[str, dict]:
    """name -> {"description", "read_only", "input_schema"}, in registry order."""
    commands: dict[str, dict] = {}
    for area in AREAS:
        for name, declaration in _commands_constant(ADDON / "commands" / f"{area}_commands.gd").items():
            if name in commands:
                raise ValueError(f"command {name} declared twice")
            commands[name] = declaration
    return commands


if __name__ == "__main__":
    json.dump(addon_commands(), sys.stdout, indent=2)
    print()
