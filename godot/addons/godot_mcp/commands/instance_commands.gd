@tool
extends "command_area.gd"
## Instancing a saved scene into the scene being edited, the way the Scene dock does it
## (editor/scene_tree_dock.cpp, SceneTreeDock::_perform_instantiate_scenes): instantiated with
## GEN_EDIT_STATE_INSTANCE, its scene_file_path set, only its root owned by the edited scene (so it
## stays an instance, editable children off), added through undo/redo; refused when the edited scene
## is inside it (SceneTreeDock::_cyclical_dependency_exists).

const SCENE_EXTENSIONS := ["tscn", "scn"]

const COMMANDS := {
	"instance_scene": {
		"description":
		"Instance a saved scene (.tscn/.scn) as a child of a node in the edited scene (undoable). It stays an "
			+ "instance of that file, with editable children off.",
		"input_schema": {
			"type": "object",
			"properties": {
				"path": {"type": "string", "description": "res:// path of the scene to instance"},
				"parent_path": {"type": "string", "description": "The parent node (default the scene root)"},
				"node_name": {"type": "string", "description": "Name of the instance (default the scene's root name)"},
			},
			"required": ["path"],
			"additionalProperties": false,
		},
	},
}


func get_commands() -> Dictionary:
	return COMMANDS


func cmd_instance_scene(params: Dictionary) -> Dictionary:
	var path: String = params["path"]
	var problem := PathGuard.check(path, PackedStringArray(SCENE_EXTENSIONS))
	if problem.is_empty() and not ResourceLoader.exists(path):
		problem = "no scene at " + path
	var wanted: String = params.get("node_name", "")
	if problem.is_empty() and params.has("node_name") and (wanted.is_empty() or wanted.validate_node_name() != wanted):
		problem = "'%s' is not a valid node name (no . : @ / \" %%)" % wanted
	if not problem.is_empty():
		return fail(problem)
	var found := require_node(params.get("parent_path", ""))
	if not found["success"]:
		return found
	var made := _instantiate(path)
	if made.has("error"):
		return fail(made["error"])
	var instance: Node = made["node"]
	var parent: Node = found["result"]
	var root := scene_root()
	if not wanted.is_empty():
		instance.name = wanted
	undo_redo.create_action("MCP: instance %s" % path.get_file())
	undo_redo.add_do_method(parent, "add_child", instance, true)
	undo_redo.add_do_method(instance, "set_owner", root)
	undo_redo.add_do_reference(instance)
	undo_redo.add_undo_method(parent, "remove_child", instance)
	undo_redo.commit_action()
	return ok({"path": path_of(instance), "name": str(instance.name), "scene": path,
		"editable_children": root.is_editable_instance(instance)})


## {"node": the instance, not yet in the tree} or {"error": why not}.
static func _instantiate(path: String) -> Dictionary:
	var packed := load(path) as PackedScene
	if packed == null:
		return {"error": path + " is not a scene"}
	var instance := packed.instantiate(PackedScene.GEN_EDIT_STATE_INSTANCE)
	if instance == null:
		return {"error": "%s could not be instantiated (see the Output panel)" % path}
	var edited := scene_root().scene_file_path
	if not edited.is_empty() and _contains_scene(instance, edited):
		instance.free()
		return {"error": "%s contains the scene being edited (%s); instancing it would nest the scene in itself" % [
			path, edited]}
	instance.scene_file_path = path
	return {"node": instance}


## Whether `node` or a node under it is an instance of `scene_path`.
static func _contains_scene(node: Node, scene_path: String) -> bool:
	if node.scene_file_path == scene_path:
		return true
	for child in node.get_children():
		if _contains_scene(child, scene_path):
			return true
	return false
