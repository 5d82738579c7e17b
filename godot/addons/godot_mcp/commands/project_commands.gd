@tool
extends "command_area.gd"
## Project settings and the input map. Input actions are saved to project.godot, which is where the
## editor keeps the project's actions.

const COMMANDS := {
	"add_input_action": {
		"description": "Add an input action to the project's input map with its keys.",
		"read_only": false,
		"input_schema": {
			"type": "object",
			"properties": {
				"action_name": {"type": "string", "description": "Name of the action, e.g. jump"},
				"keys": {"type": "array", "items": {"type": "string"}, "description": "Key names, e.g. [\"Space\", \"W\"]"},
			},
			"required": ["action_name", "keys"],
			"additionalProperties": false,
		},
	},
	"remove_input_action": {
		"description": "Remove an input action from the project's input map.",
		"read_only": false,
		"input_schema": {
			"type": "object",
			"properties": {
				"action_name": {"type": "string", "description": "Name of the action"},
				"persistent": {"type": "boolean", "description": "Also remove it from project.godot (default true)"},
			},
			"required": ["action_name"],
			"additionalProperties": false,
		},
	},
	"list_input_actions": {
		"description": "List the project's input actions and their events.",
		"read_only": true,
		"input_schema": {
			"type": "object",
			"properties": {
				"include_persistent": {"type": "boolean", "description": "Include actions saved in project.godot"},
			},
			"required": [],
			"additionalProperties": false,
		},
	},
	"get_project_info": {
		"description": "Name, version, main scene, paths and Godot version of the open project.",
		"read_only": true,
		"input_schema": {
			"type": "object",
			"properties": {},
			"required": [],
			"additionalProperties": false,
		},
	},
	"get_project_setting": {
		"description": "Read a project setting, e.g. 'application/run/main_scene'.",
		"read_only": true,
		"input_schema": {
			"type": "object",
			"properties": {"name": {"type": "string", "description": "The setting's path"}},
			"required": ["name"],
			"additionalProperties": false,
		},
	},
	"set_project_setting": {
		"description": "Change a project setting and save project.godot (undoable from the editor's history).",
		"input_schema": {
			"type": "object",
			"properties": {
				"name": {"type": "string", "description": "The setting's path"},
				"value": {"description": "The new value (JSON; converted to the setting's type where it has one)"},
			},
			"required": ["name", "value"],
			"additionalProperties": false,
		},
	},
}

const INPUT_PREFIX := "input/"
const DEFAULT_DEADZONE := 0.5


func get_commands() -> Dictionary:
	return COMMANDS


func cmd_add_input_action(params: Dictionary) -> Dictionary:
	var action: String = params["action_name"]
	if action.is_empty() or action.contains("/"):
		return fail("'%s' is not a valid action name" % action)
	var events: Array[InputEvent] = []
	for key_name: String in params["keys"]:
		var keycode := OS.find_keycode_from_string(key_name)
		if keycode == KEY_NONE:
			return fail("unknown key '%s' (use names like Space, W, Left, Escape)" % key_name)
		var event := InputEventKey.new()
		event.physical_keycode = keycode
		events.append(event)
	var setting := INPUT_PREFIX + action
	var existing: Dictionary = ProjectSettings.get_setting(setting, {"deadzone": DEFAULT_DEADZONE, "events": []})
	var all_events: Array = existing.get("events", [])
	all_events.append_array(events)
	ProjectSettings.set_setting(setting, {"deadzone": existing.get("deadzone", DEFAULT_DEADZONE), "events": all_events})
	var error := ProjectSettings.save()
	if error != OK:
		return fail("could not save project.godot: " + error_string(error))
	if not InputMap.has_action(action):
		InputMap.add_action(action, DEFAULT_DEADZONE)
	for event in events:
		InputMap.action_add_event(action, event)
	return ok({"action": action, "events": _describe_events(all_events)})


func cmd_remove_input_action(params: Dictionary) -> Dictionary:
	var action: String = params["action_name"]
	var setting := INPUT_PREFIX + action
	var known := InputMap.has_action(action) or ProjectSettings.has_setting(setting)
	if not known:
		return fail("no input action named '%s'" % action)
	if InputMap.has_action(action):
		InputMap.erase_action(action)
	if params.get("persistent", true) and ProjectSettings.has_setting(setting):
		ProjectSettings.clear(setting)
		var error := ProjectSettings.save()
		if error != OK:
			return fail("could not save project.godot: " + error_string(error))
	return ok({"removed": action})


func cmd_list_input_actions(params: Dictionary) -> Dictionary:
	var actions := {}
	for action: StringName in InputMap.get_actions():
		if not str(action).begins_with("ui_"):
			actions[str(action)] = _describe_events(InputMap.action_get_events(action))
	if params.get("include_persistent", false):
		for info: Dictionary in ProjectSettings.get_property_list():
			var name: String = info["name"]
			if name.begins_with(INPUT_PREFIX):
				var saved: Dictionary = ProjectSettings.get_setting(name, {})
				actions[name.substr(INPUT_PREFIX.length())] = _describe_events(saved.get("events", []))
	return ok({"actions": actions})


func cmd_get_project_info(_params: Dictionary) -> Dictionary:
	return ok({
		"name": ProjectSettings.get_setting("application/config/name", ""),
		"version": ProjectSettings.get_setting("application/config/version", ""),
		"main_scene": ProjectSettings.get_setting("application/run/main_scene", ""),
		"project_path": ProjectSettings.globalize_path("res://"),
		"godot_version": Engine.get_version_info().get("string", ""),
		"autoloads": _autoloads(),
	})


func _describe_events(events: Array) -> Array:
	var described: Array = []
	for event: Variant in events:
		if event is InputEvent:
			described.append((event as InputEvent).as_text())
	return described


func _autoloads() -> Dictionary:
	var found := {}
	for info: Dictionary in ProjectSettings.get_property_list():
		var name: String = info["name"]
		if name.begins_with("autoload/"):
			found[name.substr(9)] = str(ProjectSettings.get_setting(name)).trim_prefix("*")
	return found


func cmd_get_project_setting(params: Dictionary) -> Dictionary:
	var name: String = params["name"]
	if not ProjectSettings.has_setting(name):
		return fail("no project setting " + name)
	return ok({"name": name, "value": ValueConverter.to_json(ProjectSettings.get_setting(name))})


func cmd_set_project_setting(params: Dictionary) -> Dictionary:
	var name: String = params["name"]
	var old_value: Variant = ProjectSettings.get_setting(name) if ProjectSettings.has_setting(name) else null
	var value: Variant = params["value"]
	if old_value != null:
		var converted := ValueConverter.to_type(value, typeof(old_value))
		if converted.has("error"):
			return fail("%s: %s" % [name, converted["error"]])
		value = converted["value"]
	undo_redo.create_action("MCP: set project setting %s" % name)
	undo_redo.add_do_method(ProjectSettings, "set_setting", name, value)
	undo_redo.add_do_method(ProjectSettings, "save")
	undo_redo.add_undo_method(ProjectSettings, "set_setting", name, old_value)
	undo_redo.add_undo_method(ProjectSettings, "save")
	undo_redo.commit_action()
	return ok({"name": name, "value": ValueConverter.to_json(ProjectSettings.get_setting(name))})
