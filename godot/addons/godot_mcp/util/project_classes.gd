@tool
extends RefCounted
## Godot's classes and the project's own (`class_name`) ones, by name. ClassDB knows only the engine's; the
## project's are in ProjectSettings.get_global_class_list() ({"class", "base", "path", ...}), which the
## editor keeps up to date. A project class is created as the editor's Create dialog does it
## (editor/editor_data.cpp EditorData::script_class_instance): its native base class, with the script set.

## A class chain longer than this is a loop in a broken class cache.
const MAX_CHAIN := 64


## The project's class `name` ({"class", "base", "path", ...}), or {} when it has none of that name.
static func find(name: String) -> Dictionary:
	for info: Dictionary in ProjectSettings.get_global_class_list():
		if str(info.get("class", "")) == name:
			return info
	return {}


## Whether `name` (an engine or project class) is `ancestor` or inherits it.
static func is_a(name: String, ancestor: String) -> bool:
	var current := name
	for _step in MAX_CHAIN:
		if current == ancestor:
			return true
		if ClassDB.class_exists(current):
			return ClassDB.is_parent_class(current, ancestor)
		var info := find(current)
		if info.is_empty():
			return false
		current = str(info.get("base", ""))
	return false


## The engine class that `name` is built on ("" when `name` is no class).
static func native_base(name: String) -> String:
	var current := name
	for _step in MAX_CHAIN:
		if ClassDB.class_exists(current):
			return current
		var info := find(current)
		if info.is_empty():
			return ""
		current = str(info.get("base", ""))
	return ""


## Whether `object`'s script is the project class `name` or extends it.
static func script_is_a(object: Object, name: String) -> bool:
	var info := find(name)
	var script: Script = object.get_script() if object != null else null
	while script != null and not info.is_empty():
		if script.resource_path == str(info.get("path", "")):
			return true
		script = script.get_base_script()
	return false


## Why `name` cannot be created as a `ancestor`, or "" when it can.
static func check_creatable(name: String, ancestor: String) -> String:
	if not is_a(name, ancestor):
		return "'%s' is not a %s class (neither Godot's nor the project's)" % [name, ancestor]
	var base := native_base(name)
	if base.is_empty() or not ClassDB.can_instantiate(base):
		return "'%s' cannot be instantiated" % name
	return ""


## A new `name` (engine or project class; check it with check_creatable first): {"value": Object} or
## {"error": String}.
static func instantiate(name: String) -> Dictionary:
	var object: Object = ClassDB.instantiate(native_base(name))
	if object == null:
		return {"error": "'%s' cannot be instantiated" % name}
	var info := find(name)
	if not info.is_empty():
		var script := load(str(info.get("path", ""))) as Script
		if script == null:
			if object is Node:
				object.free()
			return {"error": "the script of class '%s' (%s) does not load" % [name, info.get("path", "")]}
		object.set_script(script)
	return {"value": object}
