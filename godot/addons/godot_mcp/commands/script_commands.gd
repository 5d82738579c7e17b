@tool
extends "command_area.gd"
## GDScript files: read, create (and attach to a node), edit. File writes cannot be undone from the
## editor's history; attaching a script to a node can.

const COMMANDS := {
	"get_script": {
		"description": "Read a script's source, by res:// path or from the node it is attached to.",
		"read_only": true,
		"input_schema": {
			"type": "object",
			"properties": {
				"path": {"type": "string", "description": "res:// path of the script"},
				"node_path": {"type": "string", "description": "Or: path of a node whose script to read"},
			},
			"required": [],
			"additionalProperties": false,
		},
	},
	"create_script": {
		"description": "Create a GDScript file, optionally attaching it to a node.",
		"read_only": false,
		"input_schema": {
			"type": "object",
			"properties": {
				"path": {"type": "string", "description": "res:// path ending in .gd"},
				"content": {"type": "string", "description": "Source code (default: an empty script extending base_type)"},
				"base_type": {"type": "string", "description": "Class the default script extends (default Node)"},
				"node_path": {"type": "string", "description": "Attach the script to this node"},
				"overwrite": {"type": "boolean", "description": "Replace an existing file (default false)"},
			},
			"required": ["path"],
			"additionalProperties": false,
		},
	},
	"edit_script": {
		"description": "Change a script: replace its whole content, or replace one exact piece of text.",
		"read_only": false,
		"input_schema": {
			"type": "object",
			"properties": {
				"path": {"type": "string", "description": "res:// path of the script"},
				"content": {"type": "string", "description": "The new full source"},
				"find": {"type": "string", "description": "Or: exact text to replace (must occur once)"},
				"replace": {"type": "string", "description": "Text that replaces 'find'"},
			},
			"required": ["path"],
			"additionalProperties": false,
		},
	},
	"validate_script": {
		"description": "Check GDScript source without saving it: whether Godot can compile it.",
		"read_only": true,
		"input_schema": {
			"type": "object",
			"properties": {"content": {"type": "string", "description": "The GDScript source"}},
			"required": ["content"],
			"additionalProperties": false,
		},
	},
}

const SCRIPT_EXTENSIONS := ["gd"]


func get_commands() -> Dictionary:
	return COMMANDS


func cmd_get_script(params: Dictionary) -> Dictionary:
	var path: String = params.get("path", "")
	if path.is_empty():
		if not params.has("node_path"):
			return fail("give a path or a node_path")
		var found := require_node(params["node_path"])
		if not found["success"]:
			return found
		var script: Script = (found["result"] as Node).get_script()
		if script == null:
			return fail("%s has no script" % params["node_path"])
		path = script.resource_path
	var problem := PathGuard.check(path)
	if not problem.is_empty():
		return fail(problem)
	if not FileAccess.file_exists(path):
		return fail("no file at " + path)
	return ok({"path": path, "content": FileAccess.get_file_as_string(path)})


func cmd_create_script(params: Dictionary) -> Dictionary:
	var path: String = params["path"]
	var base_type: String = params.get("base_type", "Node")
	var problem := check_new_file(path, PackedStringArray(SCRIPT_EXTENSIONS), params.get("overwrite", false))
	if problem.is_empty() and not ClassDB.class_exists(base_type):
		problem = "'%s' is not a Godot class" % base_type
	if not problem.is_empty():
		return fail(problem)
	var content: String = params.get("content", "extends %s\n" % base_type)
	var target: Node = null
	if params.has("node_path"):
		var found := require_node(params["node_path"])
		if not found["success"]:
			return found
		target = found["result"]
	var written := _write(path, content)
	if not written["success"]:
		return written
	var script: Script = ResourceLoader.load(path, "", ResourceLoader.CACHE_MODE_REPLACE)
	if script == null:
		return fail("%s was written but does not load as a script" % path)
	var base := script.get_instance_base_type()
	if target != null and not ClassDB.is_parent_class(target.get_class(), base):
		return fail("%s extends %s, which a %s is not; it was written but not attached" % [path, base, target.get_class()])
	if target != null:
		undo_redo.create_action("MCP: attach %s" % path.get_file())
		undo_redo.add_do_property(target, "script", script)
		undo_redo.add_undo_property(target, "script", target.get_script())
		undo_redo.commit_action()
	return ok({"path": path, "attached_to": path_of(target) if target != null else null})


func cmd_edit_script(params: Dictionary) -> Dictionary:
	var path: String = params["path"]
	var problem := PathGuard.check(path, PackedStringArray(SCRIPT_EXTENSIONS))
	if not problem.is_empty():
		return fail(problem)
	if not FileAccess.file_exists(path):
		return fail("no file at " + path)
	var content: String
	if params.has("content"):
		content = params["content"]
	elif params.has("find") and params.has("replace"):
		var current := FileAccess.get_file_as_string(path)
		var occurrences := current.count(params["find"])
		if occurrences != 1:
			return fail("'find' must occur exactly once in %s; it occurs %d times" % [path, occurrences])
		content = current.replace(params["find"], params["replace"])
	else:
		return fail("give 'content', or both 'find' and 'replace'")
	var outcome := _write(path, content)
	if outcome["success"]:
		var compile_problem := _reload_in_place(path, content)
		outcome = ok({"path": path, "length": content.length()}) if compile_problem.is_empty() else fail(compile_problem)
	return outcome


## Updates the script the editor already has loaded, in place, so nodes and @tool code run the new
## source: loading with CACHE_MODE_REPLACE can hand back the cached script unchanged.
func _reload_in_place(path: String, content: String) -> String:
	if not ResourceLoader.has_cached(path):
		ResourceLoader.load(path, "", ResourceLoader.CACHE_MODE_REPLACE)
		return ""
	var script := ResourceLoader.load(path) as Script
	if script == null:
		return "%s was written but does not load as a script" % path
	script.source_code = content
	var error := script.reload(true)
	if error != OK:
		return "%s was written, but Godot cannot compile it (%s); the Output panel shows the line" % [
			path, error_string(error)]
	return ""


func _write(path: String, content: String) -> Dictionary:
	var directory_error := DirAccess.make_dir_recursive_absolute(path.get_base_dir())
	if directory_error != OK and directory_error != ERR_ALREADY_EXISTS:
		return fail("could not create %s: %s" % [path.get_base_dir(), error_string(directory_error)])
	var file := FileAccess.open(path, FileAccess.WRITE)
	if file == null:
		return fail("could not write %s: %s" % [path, error_string(FileAccess.get_open_error())])
	file.store_string(content)
	file.close()
	EditorInterface.get_resource_filesystem().update_file(path)
	return ok()


## Godot's API gives the compile result but not the messages: those go to the Output panel.
func cmd_validate_script(params: Dictionary) -> Dictionary:
	var script := GDScript.new()
	script.source_code = params["content"]
	var error := script.reload()
	return ok({"valid": error == OK, "error": null if error == OK else error_string(error)})
