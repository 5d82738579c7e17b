@tool
extends "command_area.gd"
## Scenes: inspect the open scene's tree, create, open and save scenes.

const COMMANDS := {
	"get_scene_tree": {
		"description": "Get the node tree of the scene open in the Godot editor.",
		"read_only": true,
		"input_schema": {
			"type": "object",
			"properties": {},
			"required": [],
			"additionalProperties": false,
		},
	},
	"get_current_scene": {
		"description": "Describe the scene being edited: its file, root node and size.",
		"read_only": true,
		"input_schema": {
			"type": "object",
			"properties": {},
			"required": [],
			"additionalProperties": false,
		},
	},
	"create_scene": {
		"description": "Create a new scene file with a root node of the given type and open it.",
		"read_only": false,
		"input_schema": {
			"type": "object",
			"properties": {
				"path": {"type": "string", "description": "res:// path ending in .tscn, e.g. res://levels/level_2.tscn"},
				"root_type": {"type": "string", "description": "Class of the root node (default Node2D)"},
				"root_name": {"type": "string", "description": "Name of the root node (default: from the file name)"},
				"overwrite": {"type": "boolean", "description": "Replace an existing file (default false)"},
			},
			"required": ["path"],
			"additionalProperties": false,
		},
	},
	"open_scene": {
		"description": "Open a scene file in the editor.",
		"read_only": false,
		"input_schema": {
			"type": "object",
			"properties": {
				"path": {"type": "string", "description": "res:// path of the scene, e.g. res://main.tscn"},
			},
			"required": ["path"],
			"additionalProperties": false,
		},
	},
	"save_scene": {
		"description": "Save the open scene, optionally under a new res:// path.",
		"read_only": false,
		"input_schema": {
			"type": "object",
			"properties": {
				"path": {"type": "string", "description": "Where to save, e.g. res://scenes/main.tscn"},
			},
			"required": [],
			"additionalProperties": false,
		},
	},
}

const SCENE_EXTENSIONS := ["tscn", "scn"]
const MAX_TREE_NODES := 5000


func get_commands() -> Dictionary:
	return COMMANDS


func cmd_get_scene_tree(_params: Dictionary) -> Dictionary:
	var root := scene_root()
	if root == null:
		return fail("No scene is open in the editor")
	var budget := [MAX_TREE_NODES]
	return ok({"scene_path": root.scene_file_path, "root": _describe_tree(root, budget)})


func cmd_get_current_scene(_params: Dictionary) -> Dictionary:
	var root := scene_root()
	if root == null:
		return ok({"open": false})
	return ok({
		"open": true,
		"path": root.scene_file_path,
		"root_name": str(root.name),
		"root_type": root.get_class(),
		"node_count": owned_subtree(root, root).size(),
	})


func cmd_create_scene(params: Dictionary) -> Dictionary:
	var path: String = params["path"]
	var root_type: String = params.get("root_type", "Node2D")
	var problem := check_new_file(path, PackedStringArray(SCENE_EXTENSIONS), params.get("overwrite", false))
	if problem.is_empty():
		problem = check_node_class(root_type)
	if not problem.is_empty():
		return fail(problem)
	var made := ProjectClasses.instantiate(root_type)
	if made.has("error"):
		return fail(made["error"])
	var root: Node = made["value"]
	root.name = params.get("root_name", path.get_file().get_basename().to_pascal_case())
	var scene := PackedScene.new()
	var pack_error := scene.pack(root)
	root.free()
	if pack_error != OK:
		return fail("could not pack the scene: " + error_string(pack_error))
	var directory_error := DirAccess.make_dir_recursive_absolute(path.get_base_dir())
	if directory_error != OK and directory_error != ERR_ALREADY_EXISTS:
		return fail("could not create %s: %s" % [path.get_base_dir(), error_string(directory_error)])
	var save_error := ResourceSaver.save(scene, path)
	if save_error != OK:
		return fail("could not save %s: %s" % [path, error_string(save_error)])
	EditorInterface.get_resource_filesystem().update_file(path)
	EditorInterface.open_scene_from_path(path)
	return ok({"path": path, "root_type": root_type})


func cmd_open_scene(params: Dictionary) -> Dictionary:
	var path: String = params["path"]
	var problem := PathGuard.check(path, PackedStringArray(SCENE_EXTENSIONS))
	if not problem.is_empty():
		return fail(problem)
	if not ResourceLoader.exists(path):
		return fail("no scene at " + path)
	EditorInterface.open_scene_from_path(path)
	return ok({"path": path})


## EditorInterface.save_scene() returns OK whenever a scene with a path is open, whether or not the file
## was written (editor/editor_interface.cpp: it calls save_scene_as() and returns OK; EditorNode::_save_scene
## reports a failure only in a dialog). So every save is checked on the file itself: its modification time
## must move past what it was. That time has one-second resolution, so a file written within the current
## second is first waited past (at most ~1 s) - a failed overwrite can then no longer look like a save.
func cmd_save_scene(params: Dictionary) -> Dictionary:
	var root := scene_root()
	if root == null:
		return fail("No scene is open in the editor")
	if not params.has("path") and root.scene_file_path.is_empty():
		return fail("The scene has never been saved; give a path")
	var path: String = params.get("path", root.scene_file_path)
	var problem := PathGuard.check(path, PackedStringArray(SCENE_EXTENSIONS))
	if not problem.is_empty():
		return fail(problem)
	var directory_error := DirAccess.make_dir_recursive_absolute(path.get_base_dir())
	if directory_error != OK and directory_error != ERR_ALREADY_EXISTS:
		return fail("could not create %s: %s" % [path.get_base_dir(), error_string(directory_error)])
	var before: int = await written_second_passed(path)
	EditorInterface.save_scene_as(path)
	if not FileAccess.file_exists(path) or FileAccess.get_modified_time(path) <= before:
		return fail("the editor did not write %s (see the Output panel or the editor's error dialog)" % path)
	return ok({"path": path})


## The modification time of `path` (0 when there is no file), once the clock has moved past it, so that a
## write now gives a later time. A coroutine; waits at most 2 s (a file dated in the future is not waited for).
static func written_second_passed(path: String) -> int:
	if not FileAccess.file_exists(path):
		return 0
	var before := FileAccess.get_modified_time(path)
	var started := Time.get_ticks_msec()
	while int(Time.get_unix_time_from_system()) <= before and Time.get_ticks_msec() - started < 2000:
		await (Engine.get_main_loop() as SceneTree).process_frame
	return before


func _describe_tree(node: Node, budget: Array) -> Dictionary:
	budget[0] -= 1
	var entry := {"name": str(node.name), "type": node.get_class(), "path": path_of(node)}
	var script: Script = node.get_script()
	if script != null:
		entry["script"] = script.resource_path
	var children: Array = []
	for child in node.get_children():
		if budget[0] <= 0:
			entry["truncated"] = true
			break
		children.append(_describe_tree(child, budget))
	entry["children"] = children
	return entry

