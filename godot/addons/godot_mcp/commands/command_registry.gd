@tool
extends RefCounted
## Name -> handler table for every command the editor implements. Each area script declares its
## commands (name, description, JSON Schema of the params) in a COMMANDS constant and implements
## `cmd_<name>(params)`; this table validates params against the schema before calling, and turns
## anything a handler gets wrong into an error result instead of a broken answer.

const Schema := preload("../util/schema.gd")
const CommandArea := preload("command_area.gd")
const GameLink := preload("../game/game_link.gd")
const AREAS: Array[Script] = [
	preload("scene_commands.gd"),
	preload("node_commands.gd"),
	preload("resource_commands.gd"),
	preload("script_commands.gd"),
	preload("project_commands.gd"),
	preload("editor_commands.gd"),
	preload("play_commands.gd"),
	preload("file_commands.gd"),
	preload("signal_commands.gd"),
	preload("runtime_commands.gd"),
	preload("debugger_commands.gd"),
	preload("instance_commands.gd"),
	preload("test_commands.gd"),
]

## Where a project keeps commands of its own (see the addon's README), unless the project setting
## `godot_mcp/project_commands_folder` names another folder.
const PROJECT_COMMANDS_SETTING := "godot_mcp/project_commands_folder"
const DEFAULT_PROJECT_COMMANDS_FOLDER := "res://mcp_commands"

## name -> {"area": CommandArea, "description": String, "input_schema": Dictionary}
var _commands: Dictionary = {}


func _init(undo_redo: EditorUndoRedoManager = null, game_link: GameLink = null) -> void:
	for area_script in AREAS:
		var area: CommandArea = area_script.new(undo_redo)
		area.game_link = game_link
		_add_area(area, "")
	_load_project_commands(undo_redo)


## Loads the project's own command scripts: each extends the addon's command_area.gd, declares its
## commands in get_commands() and implements cmd_<name>(params), exactly like the built-in areas.
func _load_project_commands(undo_redo: EditorUndoRedoManager) -> void:
	var folder := str(ProjectSettings.get_setting(PROJECT_COMMANDS_SETTING, DEFAULT_PROJECT_COMMANDS_FOLDER))
	var dir := DirAccess.open(folder)
	if dir == null:
		return
	for file_name in dir.get_files():
		if not file_name.ends_with(".gd"):
			continue
		var script: Variant = load(folder.path_join(file_name))
		if not script is GDScript or not (script as GDScript).can_instantiate():
			push_warning("[godot_mcp] %s is not a script that can be instantiated; skipped" % file_name)
			continue
		var instance: Variant = (script as GDScript).new(undo_redo)
		if not instance is CommandArea:
			push_warning("[godot_mcp] %s does not extend the addon's command_area.gd; skipped" % file_name)
			continue
		_add_area(instance, file_name)


## Registers an area's commands. `source` is "" for the addon's own areas (whose mistakes are bugs)
## and the file name for a project's, whose mistakes are reported and skipped.
func _add_area(area: CommandArea, source: String) -> void:
	var declared: Dictionary = area.get_commands()
	for command_name: String in declared:
		var declaration: Dictionary = declared[command_name]
		if source.is_empty():
			assert(area.has_method("cmd_" + command_name), "missing handler for " + command_name)
		elif _commands.has(command_name) or not area.has_method("cmd_" + command_name):
			push_warning("[godot_mcp] %s: command %s clashes with another or has no cmd_%s; skipped" % [
				source, command_name, command_name])
			continue
		_commands[command_name] = {
			"area": area,
			"description": str(declaration.get("description", "")),
			"input_schema": declaration.get("input_schema", {"type": "object"}),
			"read_only": bool(declaration.get("read_only", false)),
			"destructive": bool(declaration.get("destructive", false)),
			"returns_image": bool(declaration.get("returns_image", false)),
		}


## The commands with their schemas, sent to the gateway under `capabilities` in `identify`.
func describe() -> Array:
	var listed: Array = []
	for command_name: String in _commands:
		var entry: Dictionary = _commands[command_name]
		listed.append({
			"name": command_name,
			"description": entry["description"],
			"inputSchema": entry["input_schema"],
			"readOnly": entry["read_only"],
			"destructive": entry["destructive"],
			"returnsImage": entry["returns_image"],
		})
	return listed


## Runs one command. Always returns {"success": true, "result": ...} or {"success": false, "error": ...}.
## A coroutine for commands that report progress (they await frames between steps); the others finish
## within the call. `progress` is called as progress.call(done, total, message).
func execute(command_name: String, params: Variant, progress: Callable = Callable()) -> Dictionary:
	if not _commands.has(command_name):
		return {"success": false, "error": "Unknown command: " + command_name}
	if params == null:
		params = {}
	if not params is Dictionary:
		return {"success": false, "error": "params must be a JSON object"}
	var entry: Dictionary = _commands[command_name]
	var problem := Schema.validate(params, entry["input_schema"])
	if not problem.is_empty():
		return {"success": false, "error": "invalid params for %s: %s" % [command_name, problem]}
	var area: CommandArea = entry["area"]
	# Read by the handler before its first await, so commands running at once do not mix reporters.
	area.progress = progress
	var outcome: Variant = await area.call("cmd_" + command_name, params)
	if not outcome is Dictionary or not (outcome as Dictionary).has("success"):
		# A script error inside a handler aborts it and yields null; report it rather than hang.
		return {"success": false, "error": "%s failed inside the editor (see the Output panel)" % command_name}
	return outcome
