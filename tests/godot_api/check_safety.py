"""Static safety rules for the Godot addon, beside the API check (check_addon.py):

- **agent input compiled in the editor**: `GDScript.new()`, `Expression.new()`, or `source_code = ...params...`
  in a script that runs in the editor. Compiling a `@tool` script in the editor runs its static
  initialisers there; an Expression runs whatever it is given. Only a script marked
  "RUNS ONLY IN THE CHILD PROCESS" (util/check_in_child.gd, started headless by the script checker) may.
- **a file tool that skips the path guard**: a `cmd_<name>` handler of commands/*.gd that touches files
  (FileAccess, DirAccess, ResourceLoader, ResourceSaver, load(), scene paths) or reads a path-like param,
  itself or through the helpers it calls, without calling util/path_guard.gd (PathGuard.check, or a helper
  that does, such as check_new_file).

    python tests/godot_api/check_safety.py [FILES...]     (default: every .gd of the addon)

Prints one line per problem, "<file>:<line>: <rule>: <what>", and exits 1 when there is any.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
ADDON = REPO / "godot" / "addons" / "godot_mcp"
CHILD_ONLY_MARKER = "RUNS ONLY IN THE CHILD PROCESS"
BASE_AREA = ADDON / "commands" / "command_area.gd"

COMPILES = [
    (re.compile(r"\bGDScript\.new\s*\("), "GDScript.new() builds a script from text"),
    (re.compile(r"\bExpression\.new\s*\("), "Expression.new() runs whatever text it is given"),
    (re.compile(r"\.source_code\s*=(?!=).*\bparams\b"), "source_code is set from the request's params"),
]
TOUCHES_FILES = re.compile(r"\b(FileAccess|DirAccess|ResourceLoader|ResourceSaver)\.|(?<![\w.])load\s*\(|"
                           r"\b(open_scene_from_path|save_scene_as|play_custom_scene)\s*\(")
PATH_PARAM = re.compile(r"""params(\.get\(\s*|\[\s*)"(path|folder|file|scene|file_path|dir)"\s*""")
GUARD = re.compile(r"\bPathGuard\.")
FUNCTION = re.compile(r"^(?:static\s+)?func\s+(\w+)\s*\(", re.MULTILINE)
CALL = re.compile(r"(?<![\w.])(\w+)\s*\(")


def relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO))
    except ValueError:
        return str(path)


def code_lines(text: str) -> list[str]:
    """The lines without comments (a '#' outside a string starts one); docs and comments may name anything."""
    lines = []
    for line in text.splitlines():
        quote = None
        for index, char in enumerate(line):
            if quote:
                if char == "\\":
                    continue
                if char == quote:
                    quote = None
            elif char in "\"'":
                quote = char
            elif char == "#":
                line = line[:index]
                break
        lines.append(line)
    return lines


def functions(text: str) -> dict[str, tuple[int, str]]:
    """name -> (line number, body text) for every top-level function of a script."""
    lines = code_lines(text)
    found: dict[str, tuple[int, str]] = {}
    starts = [(i, m.group(1)) for i, line in enumerate(lines) if (m := FUNCTION.match(line))]
    for position, (start, name) in enumerate(starts):
        end = len(lines)
        for index in range(start + 1, len(lines)):
            if lines[index] and not lines[index][0].isspace():
                end = index
                break
        found[name] = (start + 1, "\n".join(lines[start:end]))
    return found


def closure(names: dict[str, tuple[int, str]], start: str, test) -> bool:
    """Whether `start` or any function it calls (among `names`, transitively) satisfies `test`."""
    seen, stack = set(), [start]
    while stack:
        name = stack.pop()
        if name in seen or name not in names:
            continue
        seen.add(name)
        body = names[name][1]
        if test(body):
            return True
        stack.extend(CALL.findall(body))
    return False


def check_compiles(path: Path, text: str) -> list[str]:
    if CHILD_ONLY_MARKER in text:
        return []
    problems = []
    for number, line in enumerate(code_lines(text), start=1):
        for pattern, why in COMPILES:
            if pattern.search(line):
                problems.append(f"{relative(path)}:{number}: agent input compiled in the editor: {why}")
    return problems


def check_path_guard(path: Path, text: str) -> list[str]:
    if path.resolve().parent != (ADDON / "commands").resolve() and "extends \"" not in text:
        return []
    names = functions(BASE_AREA.read_text()) if BASE_AREA.exists() else {}
    names.update(functions(text))
    problems = []
    for name, (line, body) in names.items():
        if not name.startswith("cmd_") or name not in functions(text):
            continue
        touches = closure(names, name, lambda b: bool(TOUCHES_FILES.search(b) or PATH_PARAM.search(b)))
        if touches and not closure(names, name, lambda b: bool(GUARD.search(b))):
            problems.append(f"{relative(path)}:{line}: file tool skips the path guard: {name} touches files "
                            "but never calls PathGuard.check (util/path_guard.gd)")
    return problems


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] or sorted(ADDON.rglob("*.gd"))
    problems = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        problems += check_compiles(path, text) + check_path_guard(path, text)
    for problem in problems:
        print(problem)
    print(f"{len(files)} scripts checked for agent input compiled in the editor and file tools without the path "
          f"guard, {len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
