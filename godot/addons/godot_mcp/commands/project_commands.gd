@tool
extends "command_area.gd"
## Project settings and the project's input map. Input actions are the project settings "input/<name>"
## in project.godot, changed with undo/redo exactly as the editor's own Input Map tab does
## (editor/action_map_editor.cpp and ProjectSettingsEditor: set the setting, save project.godot). The
## editor's InputMap singleton is never touched: in the editor process it holds the editor's own actions
## (ui_* drive the editor's keyboard navigation), not the game's.

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
		"description": "Remove an input action from the project's input map (undoable; built-in ui_* actions are kept).",
		"read_only": false,
		"input_schema": {
			"type": "object",
			"properties": {
				"action_name": {"type": "string", "description": "Name of the action"},
				"persistent": {"type": "boolean", "description": "Kept for compatibility: removal is always saved"},
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
				"include_persistent": {"type": "boolean", "description": "Also list the built-in ui_* actions"},
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
		"description":
		"Change a project setting and save project.godot (undoable). Refuses settings that run code or change the addon.",
		"destructive": true,
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
## Settings an agent may not change, with why. Each of these runs code or changes what runs: autoloads and
## enabled editor plugins are loaded and run at the next start (ProjectSettings::get_autoload_list,
## EditorNode::set_addon_plugin_enabled), a main loop type is instantiated by Main::start(), run arguments
## are passed to every game run, an override file or TLS bundle replaces settings or trust, file logging
## writes wherever it is told, disable_stdout/stderr blind get_output, and godot_mcp/* changes this addon
## (the project commands folder is loaded and run whenever the addon starts).
const REFUSED_SETTINGS := {
	"autoload/": "autoloads run their code when the game or the editor starts",
	"editor_plugins/": "enabled editor plugins run their code in the editor",
	"godot_mcp/": "these settings change this addon (its project commands are loaded and run)",
	"application/run/main_loop_type": "the main loop type is code that runs at start",
	"application/run/disable_stdout": "it would hide the game's output from get_output",
	"application/run/disable_stderr": "it would hide the game's errors",
	"application/config/project_settings_override": "an override file can change any setting, autoloads included",
	"editor/run/main_run_args": "run arguments are passed to every run of the game (--script runs any code)",
	"editor/movie_writer/": "the movie writer writes files wherever it is told",
	"debug/file_logging/": "file logging writes wherever it is told",
	"network/tls/certificate_bundle_override": "it replaces the certificates the game trusts",
}


func get_commands() -> Dictionary:
	return COMMANDS


func cmd_add_input_action(params: Dictionary) -> Dictionary:
	var action: String = params["action_name"]
	if action.is_empty() or action.contains("/") or action.contains(":") or action.contains("="):
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
	var old_value: Variant = ProjectSettings.get_setting(setting) if ProjectSettings.has_setting(setting) else null
	var existing: Dictionary = old_value if old_value is Dictionary else {"deadzone": DEFAULT_DEADZONE, "events": []}
	var all_events: Array = (existing.get("events", []) as Array).duplicate()
	all_events.append_array(events)
	var new_value := {"deadzone": existing.get("deadzone", DEFAULT_DEADZONE), "events": all_events}
	var error := _change_setting("MCP: add input action %s" % action, setting, new_value, old_value)
	if error != OK:
		return fail("could not save project.godot: " + error_string(error))
	return ok({"action": action, "events": _describe_events(all_events)})


func cmd_remove_input_action(params: Dictionary) -> Dictionary:
	var action: String = params["action_name"]
	var setting := INPUT_PREFIX + action
	if not ProjectSettings.has_setting(setting):
		return fail("the project has no input action named '%s'" % action)
	if action.begins_with("ui_"):
		return fail("'%s' is one of Godot's built-in actions; the editor's Input Map keeps those too" % action)
	var old_value: Variant = ProjectSettings.get_setting(setting)
	var error := _change_setting("MCP: remove input action %s" % action, setting, null, old_value)
	if error != OK:
		return fail("could not save project.godot: " + error_string(error))
	return ok({"removed": action})


## Sets (or, with null, erases) a project setting and saves project.godot, as one undoable action.
## Returns the save's error: ProjectSettings.save() reports whether project.godot was written.
func _change_setting(action_name: String, setting: String, value: Variant, old_value: Variant) -> Error:
	undo_redo.create_action(action_name)
	undo_redo.add_do_method(ProjectSettings, "set_setting", setting, value)
	undo_redo.add_do_method(ProjectSettings, "save")
	undo_redo.add_undo_method(ProjectSettings, "set_setting", setting, old_value)
	undo_redo.add_undo_method(ProjectSettings, "save")
	undo_redo.commit_action()
	# commit_action() ran the save already; saving again (nothing changed in between) tells its result.
	return ProjectSettings.save()


## The project's actions, read from its settings (input/<name>); built-in ui_* ones only when asked.
func cmd_list_input_actions(params: Dictionary) -> Dictionary:
	var actions := {}
	for info: Dictionary in ProjectSettings.get_property_list():
		var name: String = info["name"]
		if not name.begins_with(INPUT_PREFIX):
			continue
		var action := name.substr(INPUT_PREFIX.length())
		if action.begins_with("ui_") and not params.get("include_persistent", false):
			continue
		var saved: Variant = ProjectSettings.get_setting(name, {})
		actions[action] = _describe_events((saved as Dictionary).get("events", []) if saved is Dictionary else [])
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
	var refused := refusal_for(name)
	if not refused.is_empty():
		return fail("%s may not be changed by an agent: %s" % [name, refused])
	var old_value: Variant = ProjectSettings.get_setting(name) if ProjectSettings.has_setting(name) else null
	var value: Variant = params["value"]
	if old_value != null:
		var converted := ValueConverter.to_type(value, typeof(old_value))
		if converted.has("error"):
			return fail("%s: %s" % [name, converted["error"]])
		value = converted["value"]
	var error := _change_setting("MCP: set project setting %s" % name, name, value, old_value)
	if error != OK:
		return fail("%s was set but project.godot could not be saved: %s" % [name, error_string(error)])
	return ok({"name": name, "value": ValueConverter.to_json(ProjectSettings.get_setting(name))})


## Why an agent may not change the setting `name`, or "" when it may.
static func refusal_for(name: String) -> String:
	# "name.feature" overrides the setting for a feature tag (ProjectSettings::_get_property_list): same rule.
	var key := name.strip_edges().to_lower().get_slice(".", 0)
	for prefix: String in REFUSED_SETTINGS:
		if key == prefix or (prefix.ends_with("/") and key.begins_with(prefix)):
			return REFUSED_SETTINGS[prefix]
	return ""
