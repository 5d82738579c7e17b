"""Static check of GDScript against Godot 4's API: every call, property, constant, enum value and signal
whose receiver's type can be known (typed variables, `:=` from constructors and typed calls, casts,
singletons, `extends`, declared return types, preloaded scripts), plus the method and property names
passed as strings to undo/redo and to call/set/get. A name that exists in none of the API versions, a
wrong argument count, or an instance method called on a class fails the check.

    python tests/godot_api/check_addon.py [FILES...]     (default: every .gd of the addon)
"""
from __future__ import annotations

import gzip
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from gdtoolkit.parser import parser
from lark import Token, Tree

sys.path.insert(0, str(Path(__file__).resolve().parent))
from godot_api import GodotAPI, Method  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
ADDON = REPO / "godot" / "addons" / "godot_mcp"
SUBSET = HERE / "api-subset.json.gz"
LITERAL_TYPES = {"string": "String", "string_name": "StringName", "node_path": "NodePath", "array": "Array", "dict": "Dictionary"}
UNDO_METHODS = {"add_do_method", "add_undo_method"}
UNDO_PROPERTIES = {"add_do_property", "add_undo_property"}
SCRIPT_BUILTINS = {"preload", "load", "print", "push_warning", "push_error", "assert", "range", "len", "str", "int", "float", "bool",
                   "typeof", "is_instance_of", "type_exists", "char", "ord", "convert", "inst_to_dict", "dict_to_inst", "get_stack",
                   "print_debug", "print_stack", "Color8"}


@dataclass
class Script:
    path: Path
    extends: str | None = None  # engine class, or "script:<path>"
    functions: dict[str, tuple[int, int, str | None]] = field(default_factory=dict)
    members: dict[str, str | None] = field(default_factory=dict)  # vars and consts with their types
    signals: set[str] = field(default_factory=set)
    tree: Tree | None = None


def has_default(parameter) -> bool:
    """Whether a function parameter has a default value (`a = 1`, `a: int = 1`, `a := 1`)."""
    return isinstance(parameter, Tree) and any(isinstance(c, Tree) and c.data == "expr" for c in parameter.children)


def api() -> GodotAPI:
    data = json.load(gzip.open(SUBSET))
    merged = GodotAPI([])
    for version in data.values():
        merged._load(version)
    merged.versions = list(data)
    return merged


class Checker:
    def __init__(self, godot: GodotAPI):
        self.api = godot
        self.scripts: dict[Path, Script] = {}
        self.problems: list[str] = []
        self.resolved = 0

    # --- scripts ---

    def load(self, path: Path) -> Script:
        path = path.resolve()
        if path in self.scripts:
            return self.scripts[path]
        script = Script(path)
        self.scripts[path] = script
        script.tree = parser.parse(path.read_text(), gather_metadata=True)
        for node in script.tree.children:
            if not isinstance(node, Tree):
                continue
            if node.data == "static_func_def":
                node = node.children[0]
            if node.data == "extends_stmt":
                target = node.children[0]
                if isinstance(target, Tree):  # extends "path.gd"
                    script.extends = self.script_type(path, str(target.children[0]))
                else:
                    script.extends = self.script_type(path, str(target)) if str(target).startswith('"') else str(target)
            elif node.data == "func_def":
                header = node.children[0]
                name = str(header.children[0])
                args = next((c for c in header.children if isinstance(c, Tree) and c.data == "func_args"), None)
                if name in self.api.utility or name in SCRIPT_BUILTINS:
                    self.problems.append(f"{path.relative_to(REPO)}:{node.meta.line}: function {name}() has the name of a "
                                         "built-in function, which GDScript refuses")
                if name == "_init" and path.read_text().lstrip().startswith("@tool") and any(
                        not has_default(p) for p in (args.children if args else [])):
                    self.problems.append(f"{path.relative_to(REPO)}:{node.meta.line}: _init of a @tool script needs defaults on "
                                         "every argument (Godot re-creates its objects without arguments on reload)")
                params = args.children if args else []
                required = sum(1 for p in params if not has_default(p))
                returns = next((str(c) for c in header.children[1:] if isinstance(c, Token)), None)
                script.functions[name] = (required, len(params), returns if returns != "void" else None)
            elif node.data in ("class_var_stmt", "const_stmt"):
                inner = node.children[0]
                name = str(inner.children[0])
                script.members[name] = self.declared_type(path, inner)
            elif node.data == "signal_stmt":
                script.signals.add(str(node.children[0]))
        return script

    def script_type(self, base: Path, literal: str) -> str:
        target = literal.strip("\"'")
        if target.startswith("res://"):
            resolved = REPO / "godot" / target[len("res://"):]
        else:
            resolved = (base.parent / target)
        return f"script:{resolved.resolve()}"

    def declared_type(self, path: Path, node: Tree) -> str | None:
        """The type of a var/const declaration: its annotation, or what `:=`/`=` gives it."""
        children = [c for c in node.children if not (isinstance(c, Token) and c.type in ("COLON", "EQUAL"))]
        if len(children) >= 2 and isinstance(children[1], Token):
            return str(children[1])
        for child in children[1:]:
            if isinstance(child, Tree) and child.data == "expr":
                call = child.children[0]
                if isinstance(call, Tree) and call.data == "standalone_call" and str(call.children[0]) in ("preload", "load"):
                    return "scriptclass:" + self.script_type(path, str(call.children[1].children[0] if isinstance(call.children[1], Tree) else call.children[1]))[len("script:"):]
                return None  # inferred later, in function scope, when it matters
        return None

    def script_of(self, kind: str) -> Script | None:
        path = Path(kind.split(":", 1)[1])
        return self.load(path) if path.exists() else None

    # --- checking ---

    def check(self, path: Path) -> None:
        script = self.load(path)
        self.current = script
        for node in script.tree.children:
            if isinstance(node, Tree) and node.data == "static_func_def":
                node = node.children[0]
            if isinstance(node, Tree) and node.data == "func_def":
                scope: dict[str, str | None] = {}
                header = node.children[0]
                args = next((c for c in header.children if isinstance(c, Tree) and c.data == "func_args"), None)
                for param in (args.children if args else []):
                    scope[str(param.children[0])] = str(param.children[1]) if param.data.startswith("func_arg_typed") and len(param.children) > 1 and isinstance(param.children[1], Token) else None
                self.block(node.children[1:], scope)
            elif isinstance(node, Tree):
                self.walk(node, {})

    def block(self, statements, scope) -> None:
        for statement in statements:
            if not isinstance(statement, Tree):
                continue
            if statement.data == "func_var_stmt":
                inner = statement.children[0]
                name = str(inner.children[0])
                annotated = inner.children[1] if len(inner.children) > 1 and isinstance(inner.children[1], Token) else None
                value = next((c for c in inner.children[1:] if isinstance(c, Tree)), None)
                inferred = self.evaluate(value, scope) if value is not None else None
                scope[name] = str(annotated) if annotated is not None else (inferred if inner.data == "func_var_inf" else None)
            elif statement.data in ("for_stmt_typed", "for_stmt"):
                name = str(statement.children[0])
                typed = statement.data == "for_stmt_typed"
                self.evaluate(statement.children[2 if typed else 1], scope)
                scope[name] = str(statement.children[1]) if typed else None
                self.block(statement.children[3 if typed else 2:], scope)
            elif statement.data in ("if_stmt", "while_stmt", "match_stmt", "if_branch", "elif_branch", "else_branch",
                                    "match_branch"):
                self.block(statement.children, scope)
            else:
                self.walk(statement, scope)

    def walk(self, node, scope) -> None:
        if not isinstance(node, Tree):
            return
        if node.data in ("getattr_call", "getattr", "standalone_call", "actual_type_cast"):
            self.evaluate(node, scope)
            return
        if node.data in ("lambda",):
            return
        for child in node.children:
            self.walk(child, scope)

    def problem(self, node, message: str) -> None:
        line = getattr(getattr(node, "meta", None), "line", "?")
        self.problems.append(f"{self.current.path.relative_to(REPO)}:{line}: {message}")

    def evaluate(self, node, scope) -> str | None:
        """The type of an expression (None when it cannot be known), checking every member on the way."""
        if isinstance(node, Token):
            if node.type == "NAME":
                return self.name_type(str(node), scope)
            if node.type in ("NUMBER", "HEX", "BIN"):
                return "float" if "." in str(node) else "int"
            return None
        if node.data == "expr" or node.data.endswith("_expr") and len(node.children) == 1:
            return self.evaluate(node.children[0], scope)
        if node.data in LITERAL_TYPES:
            for child in node.children:
                self.walk(child, scope)
            return LITERAL_TYPES[node.data]
        if node.data == "actual_type_cast":
            self.evaluate(node.children[0], scope)
            return str(node.children[-1])
        if node.data == "standalone_call":
            return self.standalone_call(node, scope)
        if node.data in ("getattr", "getattr_call"):
            chain = node.children[0] if node.data == "getattr_call" else node
            arguments = node.children[1:] if node.data == "getattr_call" else None
            parts = [c for c in chain.children if not (isinstance(c, Token) and c.type == "DOT")] if chain.data == "getattr" else [chain]
            current = self.evaluate(parts[0], scope)
            for index, part in enumerate(parts[1:], start=1):
                last = index == len(parts) - 1
                current = self.member(node, current, str(part), arguments if last else None, scope)
            return current
        for child in node.children:
            self.walk(child, scope)
        return None

    def name_type(self, name: str, scope) -> str | None:
        if name in scope:
            return scope[name]
        script = self.current
        while script is not None:
            if name in script.members:
                return script.members[name]
            script = self.script_of(script.extends) if script.extends and script.extends.startswith("script:") else None
        if name == "self":
            return f"script:{self.current.path}"
        if name in self.api.singletons:
            return self.api.singletons[name]
        if self.api.is_class(name):
            return f"class:{name}"
        return None

    def engine_base(self, kind: str | None) -> str | None:
        while kind and kind.startswith("script:"):
            script = self.script_of(kind)
            kind = script.extends if script else None
        return kind

    def standalone_call(self, node, scope) -> str | None:
        name = str(node.children[0]) if isinstance(node.children[0], Token) else None
        for argument in node.children[1:]:
            self.evaluate(argument, scope)
        if name is None:
            return None
        if name in ("preload", "load"):
            return None
        if self.api.is_class(name):  # a builtin constructor: Vector2(...), String(...)
            return name
        script = self.current
        while script is not None:
            if name in script.functions:
                self.resolved += 1
                return script.functions[name][2]
            script = self.script_of(script.extends) if script.extends and script.extends.startswith("script:") else None
        base = self.engine_base(f"script:{self.current.path}")
        if base and self.api.method(base, name):
            return self.call_engine(node, base, name, node.children[1:], scope)
        if name in self.api.utility or name in SCRIPT_BUILTINS:
            self.resolved += 1
            return {"str": "String", "len": "int", "int": "int", "float": "float", "bool": "bool"}.get(name) or \
                (self.api.utility[name][0].returns if name in self.api.utility else None)
        self.problem(node, f"unknown function {name}()")
        return None

    def call_engine(self, node, class_name: str, name: str, arguments, scope, on_class: bool = False) -> str | None:
        methods = self.api.method(class_name, name)
        if methods is None:
            return None
        count = len(arguments)
        # The builtin types' data lacks default values (a known gap): for them only the upper bound counts.
        loose = self.api.is_builtin(class_name)
        if not any((0 if loose else m.required) <= count <= m.total or (m.vararg and count >= m.required) for m in methods):
            allowed = " or ".join(sorted({f"{m.required}-{m.total}" if m.required != m.total else str(m.total) for m in methods}))
            self.problem(node, f"{class_name}.{name}() takes {allowed} arguments, not {count}")
        if on_class and not any(m.static for m in methods) and class_name not in self.api.singletons:
            self.problem(node, f"{class_name}.{name}() is not static: call it on an instance")
        self.resolved += 1
        self.check_strings(node, class_name, name, arguments, scope)
        return methods[0].returns

    def check_strings(self, node, class_name: str, name: str, arguments, scope) -> None:
        """Method and property names passed as strings must exist on the target's type."""
        def literal(argument):
            inner = argument.children[0] if isinstance(argument, Tree) and argument.data == "expr" else argument
            if isinstance(inner, Tree) and inner.data in ("string", "string_name"):
                return str(inner.children[0]).strip("\"'&")
            return None
        target_index = None
        if name in UNDO_METHODS | UNDO_PROPERTIES and len(arguments) >= 2:
            target_index, member = 0, literal(arguments[1])
        elif name in ("call", "callv", "set", "get") and arguments and not self.api.is_builtin(class_name):
            member = literal(arguments[0])
        else:
            return
        if member is None:
            return
        target = self.evaluate(arguments[target_index], scope) if target_index is not None else class_name
        script = self.script_of(target) if target and target.startswith("script:") else None
        while script is not None:  # the target is one of the addon's scripts: its own functions count
            if member in script.functions or member in script.members:
                self.resolved += 1
                return
            script = self.script_of(script.extends) if script.extends and script.extends.startswith("script:") else None
        target = self.engine_base(target)
        if not target or target.startswith("class:") or not self.api.is_class(target):
            return
        wants_property = name in UNDO_PROPERTIES or name in ("set", "get")
        # A string names a member of the object at run time: it may belong to a subclass of the type known here.
        family = [target] + self.api.descendants(target)
        if wants_property:
            if all(self.api.property(kind, member) is None for kind in family):
                self.problem(node, f"{name}(\"{member}\"): neither {target} nor a subclass has a property {member}")
        elif all(self.api.method(kind, member) is None for kind in family):
            self.problem(node, f"{name}(\"{member}\"): neither {target} nor a subclass has a method {member}")
        elif name in UNDO_METHODS:
            methods = next((m for kind in family if (m := self.api.method(kind, member))), [])
            count = len(arguments) - 2
            if methods and not any(m.required <= count <= m.total or m.vararg for m in methods):
                self.problem(node, f"{name}(\"{member}\"): {target}.{member}() does not take {count} arguments")
        self.resolved += 1

    def member(self, node, kind: str | None, name: str, arguments, scope) -> str | None:
        if arguments is not None:
            for argument in arguments:
                self.evaluate(argument, scope)
        if kind is None:
            return None
        if kind.startswith("scriptclass:"):
            script = self.script_of("script:" + kind.split(":", 1)[1])
            if name == "new":
                self.resolved += 1
                return "script:" + kind.split(":", 1)[1]
            if script and (name in script.members or name in script.functions):
                self.resolved += 1
                member = script.members.get(name)
                return member if arguments is None else (script.functions.get(name, (0, 0, None))[2])
            return None
        if kind.startswith("script:"):
            script = self.script_of(kind)
            while script is not None:
                if name in script.functions and arguments is not None:
                    required, total, returns = script.functions[name]
                    if not (required <= len(arguments) <= total):
                        self.problem(node, f"{script.path.name}: {name}() takes {required}-{total} arguments, not {len(arguments)}")
                    self.resolved += 1
                    return returns
                if name in script.members or name in script.signals or name in script.functions:
                    self.resolved += 1
                    return "Signal" if name in script.signals else script.members.get(name)
                if not (script.extends and script.extends.startswith("script:")):
                    break
                script = self.script_of(script.extends)
            kind = self.engine_base(kind)
            if kind is None:
                return None
        on_class = kind.startswith("class:")
        class_name = kind.split(":", 1)[1] if on_class else kind
        if not self.api.is_class(class_name):
            return None
        if arguments is not None:
            if on_class and name == "new":
                self.resolved += 1
                return class_name
            if self.api.method(class_name, name) is None:
                self.problem(node, f"{class_name} has no method {name}() in Godot {'/'.join(self.api.versions)}")
                return None
            return self.call_engine(node, class_name, name, arguments, scope, on_class)
        if on_class:
            if self.api.has_constant(class_name, name):
                self.resolved += 1
                return "int" if not self.api.is_builtin(class_name) else class_name
            if self.api.is_builtin(class_name) and not self.api.classes[class_name].constants:
                return None  # the data has no constants for this builtin (a known gap of the API files)
            if self.api.method(class_name, name) is not None:
                return "Callable"
            self.problem(node, f"{class_name} has no constant or enum value {name}")
            return None
        prop = self.api.property(class_name, name)
        if prop is not None:
            self.resolved += 1
            return prop
        if self.api.has_signal(class_name, name):
            self.resolved += 1
            return "Signal"
        if self.api.method(class_name, name) is not None:
            self.resolved += 1
            return "Callable"
        if self.api.has_constant(class_name, name):
            self.resolved += 1
            return "int"
        if class_name in ("Dictionary", "Object", "Variant"):
            return None  # dictionary keys and dynamic members
        self.problem(node, f"{class_name} has no property, signal or constant {name}")
        return None


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] or sorted(ADDON.rglob("*.gd"))
    checker = Checker(api())
    for path in files:
        checker.check(path)
    for problem in checker.problems:
        print(problem)
    print(f"{len(files)} scripts, {checker.resolved} call sites and member accesses resolved against Godot "
          f"{' + '.join(checker.api.versions)}, {len(checker.problems)} problems", file=sys.stderr)
    return 1 if checker.problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
