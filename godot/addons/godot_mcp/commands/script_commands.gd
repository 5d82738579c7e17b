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
		"description":
		"Check GDScript as the file at 'path' would be, in a separate Godot process: errors with lines and messages.",
		"read_only": false,
		"input_schema": {
			"type": "object",
			"properties": {
				"content": {"type": "string", "description": "The GDScript source"},
				"path": {"type": "string", "description": "res:// path it will have (default: unsaved, in the project root)"},
			},
			"required": ["content"],
			"additionalProperties": false,
		},
	},
}

const SCRIPT_EXTENSIONS := ["gd"]

const ScriptChecker := preload("../util/script_checker.gd")
const OpenScriptTabs := preload("../util/open_script_tabs.gd")

var _checker := ScriptChecker.new()


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
	if problem.is_empty() and ProjectClasses.native_base(base_type).is_empty():
		problem = "'%s' is neither a Godot class nor one of the project's" % base_type
	if not problem.is_empty():
		return fail(problem)
	var content: String = params.get("content", "extends %s\n" % base_type)
	var target: Node = null
	if params.has("node_path"):
		var found := require_node(params["node_path"])
		if not found["success"]:
			return found
		target = found["result"]
	var written: Dictionary = await _write_and_compile(path, content)
	if not written["success"]:
		return written
	var script: Script = written["result"]["script"]
	var base := script.get_instance_base_type()
	if target != null and not ClassDB.is_parent_class(target.get_class(), base):
		return fail("%s extends %s, which a %s is not; it was written but not attached" % [path, base, target.get_class()])
	if target != null:
		undo_redo.create_action("MCP: attach %s" % path.get_file())
		undo_redo.add_do_property(target, "script", script)
		undo_redo.add_undo_property(target, "script", target.get_script())
		undo_redo.commit_action()
	return ok({
		"path": path, "attached_to": path_of(target) if target != null else null,
		"script_editor": written["result"]["script_editor"],
	})


func cmd_edit_script(params: Dictionary) -> Dictionary:
	var path: String = params["path"]
	var problem := PathGuard.check(path, PackedStringArray(SCRIPT_EXTENSIONS))
	if problem.is_empty() and not FileAccess.file_exists(path):
		problem = "no file at " + path
	if not problem.is_empty():
		return fail(problem)
	var content := _edited_content(path, params)
	if not content["success"]:
		return content
	var written: Dictionary = await _write_and_compile(path, content["result"])
	if not written["success"]:
		return written
	return ok({
		"path": path, "length": str(content["result"]).length(), "script_editor": written["result"]["script_editor"],
	})


## The new source an edit_script call asks for: its 'content', or the file with 'find' replaced once.
func _edited_content(path: String, params: Dictionary) -> Dictionary:
	if params.has("content"):
		return ok(params["content"])
	if not (params.has("find") and params.has("replace")):
		return fail("give 'content', or both 'find' and 'replace'")
	var current := FileAccess.get_file_as_string(path)
	var occurrences := current.count(params["find"])
	if occurrences != 1:
		return fail("'find' must occur exactly once in %s; it occurs %d times" % [path, occurrences])
	return ok(current.replace(params["find"], params["replace"]))


## Writes the file, brings an open Script Editor tab of it up to date, and compiles the script the editor
## holds for it, in place, so nodes and @tool code run the new source (loading with CACHE_MODE_REPLACE can
## hand back the cached script unchanged) - as ScriptEditor::reload_scripts does for a file changed on disk.
## A coroutine: ok({"script", "script_editor": what happened to an open tab, or null}); a source that does
## not compile fails with each error's line and message.
func _write_and_compile(path: String, content: String) -> Dictionary:
	var before := FileAccess.get_file_as_string(path) if FileAccess.file_exists(path) else ""
	var written := _write(path, content)
	if not written["success"]:
		return written
	var tab: Variant = OpenScriptTabs.refresh(path, before, content)
	var script := ResourceLoader.load(path) as Script
	if script == null:
		return fail("%s was written but does not load as a script" % path)
	script.source_code = content
	var error := script.reload(true)
	if error != OK:
		return fail("%s was written, but Godot cannot compile it (%s)%s%s" % [
			path, error_string(error), await _compile_errors(path), "; " + str(tab) if tab != null else ""])
	return ok({"script": script, "script_editor": tab})


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


## Never compiled in the editor: a `@tool` script's static initialisers would run there. Godot's parser runs
## in a child process (util/script_checker.gd), as the file the script will be.
func cmd_validate_script(params: Dictionary) -> Dictionary:
	var as_path: String = params.get("path", "")
	if not as_path.is_empty():
		var problem := PathGuard.check(as_path, PackedStringArray(SCRIPT_EXTENSIONS))
		if not problem.is_empty():
			return fail(problem)
	var checked: Dictionary = await _checker.check_source(params["content"], as_path)
	if not checked["checked"]:
		return fail("the script was not checked: " + str(checked["reason"]))
	var errors: Array = checked["errors"]
	return ok({"valid": errors.is_empty(), "errors": errors})


## ": line 3: Expected ...; line 9: ..." for a saved script that does not compile, or why it says nothing.
func _compile_errors(path: String) -> String:
	var checked: Dictionary = await _checker.check_file(path)
	if not checked["checked"]:
		return " (no line numbers: %s)" % checked["reason"]
	var described := PackedStringArray()
	for error in checked["errors"]:
		var where := "line %s" % error["line"] if error["path"] == path else "%s:%s" % [error["path"], error["line"]]
		described.append("%s: %s" % [where, error["message"]])
	return ": " + "; ".join(described) if not described.is_empty() else ""
