"""Godot 4 API data (the shape of Godot's extension_api.json) for checking the addon without an engine:
classes with ancestors, methods (arguments, defaults, static, vararg, return), properties, signals,
constants and enums, builtin types, singletons and utility functions. Several versions merge into one
view in which a name exists if it exists in any of them, with the argument counts each allows."""
from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Method:
    name: str
    required: int
    total: int
    vararg: bool
    static: bool
    returns: str | None


@dataclass
class ClassInfo:
    name: str
    inherits: str | None
    methods: dict[str, list[Method]] = field(default_factory=dict)
    properties: dict[str, str] = field(default_factory=dict)
    signals: set[str] = field(default_factory=set)
    constants: set[str] = field(default_factory=set)
    enums: set[str] = field(default_factory=set)


def _type_name(raw: str | None) -> str | None:
    if not raw or raw == "void":
        return None
    if raw.startswith("enum::") or raw.startswith("bitfield::"):
        return "int"
    if raw.startswith("typedarray::"):
        return "Array"
    return raw


class GodotAPI:
    def __init__(self, paths: list[Path]):
        self.classes: dict[str, ClassInfo] = {}
        self.builtins: set[str] = set()
        self.singletons: dict[str, str] = {}
        self.utility: dict[str, list[Method]] = {}
        self.global_constants: set[str] = set()
        self.versions = [path.name for path in paths]
        for path in paths:
            self._load(json.load(gzip.open(path) if path.suffix == ".gz" else path.open()))

    def _load(self, data: dict) -> None:
        for kind in ("builtin_classes", "classes"):
            for raw in data.get(kind, []):
                if kind == "builtin_classes":
                    self.builtins.add(raw["name"])
                info = self.classes.setdefault(raw["name"], ClassInfo(raw["name"], raw.get("inherits")))
                for method in raw.get("methods", []) or []:
                    arguments = method.get("arguments", []) or []
                    required = sum(1 for argument in arguments if "default_value" not in argument)
                    info.methods.setdefault(method["name"], []).append(Method(
                        method["name"], required, len(arguments), bool(method.get("is_vararg")),
                        bool(method.get("is_static")),
                        _type_name((method.get("return_value") or {}).get("type") or method.get("return_type"))))
                for prop in (raw.get("properties", []) or []) + (raw.get("members", []) or []):
                    info.properties[prop["name"]] = _type_name(prop.get("type")) or "Variant"
                info.signals.update(signal["name"] for signal in raw.get("signals", []) or [])
                info.constants.update(constant["name"] for constant in raw.get("constants", []) or [])
                for enum in raw.get("enums", []) or []:
                    info.enums.add(enum["name"])
                    info.constants.update(value["name"] for value in enum.get("values", []))
        for singleton in data.get("singletons", []):
            self.singletons[singleton["name"]] = singleton["type"]
        for function in data.get("utility_functions", []):
            arguments = function.get("arguments", []) or []
            self.utility.setdefault(function["name"], []).append(Method(
                function["name"], len(arguments), len(arguments), bool(function.get("is_vararg")), True,
                _type_name(function.get("return_type"))))
        for enum in data.get("global_enums", []):
            self.global_constants.update(value["name"] for value in enum.get("values", []))

    def ancestors(self, name: str) -> list[ClassInfo]:
        chain, seen = [], set()
        while name and name in self.classes and name not in seen:
            seen.add(name)
            chain.append(self.classes[name])
            name = self.classes[name].inherits
        if name != "Object" and "Object" in self.classes and "Object" not in seen:
            chain.append(self.classes["Object"])
        return chain

    # Object methods the API files leave out (bound by the engine's core, not ClassDB).
    CORE_OBJECT_METHODS = {"free": [Method("free", 0, 0, False, False, None)]}

    def method(self, class_name: str, name: str) -> list[Method] | None:
        for info in self.ancestors(class_name):
            if name in info.methods:
                return info.methods[name]
        if not self.is_builtin(class_name) and name in self.CORE_OBJECT_METHODS:
            return self.CORE_OBJECT_METHODS[name]
        return None

    def is_builtin(self, name: str) -> bool:
        return name in self.builtins

    def descendants(self, name: str) -> list[str]:
        return [other for other in self.classes if other != name and any(a.name == name for a in self.ancestors(other))]

    def property(self, class_name: str, name: str) -> str | None:
        for info in self.ancestors(class_name):
            if name in info.properties:
                return info.properties[name]
        # Properties the files leave out still have their accessors (Object.script: set_script/get_script).
        getter = self.method(class_name, "get_" + name) or self.method(class_name, "is_" + name)
        if getter and self.method(class_name, "set_" + name):
            return getter[0].returns or "Variant"
        return None

    def has_signal(self, class_name: str, name: str) -> bool:
        return any(name in info.signals for info in self.ancestors(class_name))

    def has_constant(self, class_name: str, name: str) -> bool:
        return any(name in info.constants or name in info.enums for info in self.ancestors(class_name))

    def is_class(self, name: str) -> bool:
        return name in self.classes


def subset(paths: list[Path], keep: set[str]) -> dict:
    """The part of one API file the addon needs: the named classes, their ancestors, every builtin type,
    the singletons, utility functions and global enums."""
    merged = GodotAPI(paths)
    wanted = set()
    for name in keep:
        wanted.update(info.name for info in merged.ancestors(name))
    out = {}
    for path in paths:
        data = json.load(gzip.open(path))
        out[path.name] = {
            "builtin_classes": data["builtin_classes"],
            "classes": [c for c in data["classes"] if c["name"] in wanted],
            "singletons": data["singletons"], "utility_functions": data["utility_functions"],
            "global_enums": data["global_enums"],
        }
    return out
