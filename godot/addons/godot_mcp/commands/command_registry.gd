@tool
extends RefCounted
## Name -> handler table for every command the editor implements. Each area script declares its
## commands (name, description, JSON Schema of the params) in a COMMANDS constant and implements
## `cmd_<name>(params)`; this table validates params against the schema before calling, and turns
## anything a handler gets wrong into an error result instead of a broken answer.

const Schema := preload("../util/schema.gd")
const CommandArea := preload("command_area.gd")
const AREAS: Array[Script] = [
	preload("scene_commands.gd"),
	preload("node_commands.gd"),
	preload("resource_commands.gd"),
	preload("script_commands.gd"),
	preload("project_commands.gd"),
	preload("editor_commands.gd"),
]

## name -> {"area": CommandArea, "description": String, "input_schema": Dictionary}
var _commands: Dictionary = {}


func _init(undo_redo: EditorUndoRedoManager) -> void:
	for area_script in AREAS:
		var area: CommandArea = area_script.new(undo_redo)
		var declared: Dictionary = area.get_commands()
		for command_name: String in declared:
			var declaration: Dictionary = declared[command_name]
			assert(area.has_method("cmd_" + command_name), "missing handler for " + command_name)
			_commands[command_name] = {
				"area": area,
				"description": declaration["description"],
				"input_schema": declaration["input_schema"],
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
		})
	return listed


## Runs one command. Always returns {"success": true, "result": ...} or {"success": false, "error": ...}.
func execute(command_name: String, params: Variant) -> Dictionary:
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
	var outcome: Variant = area.call("cmd_" + command_name, params)
	if not outcome is Dictionary or not (outcome as Dictionary).has("success"):
		# A script error inside a handler aborts it and yields null; report it rather than hang.
		return {"success": false, "error": "%s failed inside the editor (see the Output panel)" % command_name}
	return outcome
