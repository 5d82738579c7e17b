@tool
extends RefCounted
## Base of the per-area command scripts: result helpers, node lookup in the edited scene, and the
## editor's undo/redo so every scene edit an agent makes can be undone by the user.

const ValueConverter := preload("../util/value_converter.gd")
const PathGuard := preload("../util/path_guard.gd")
const GameLink := preload("../game/game_link.gd")
const ProjectClasses := preload("../util/project_classes.gd")

var undo_redo: EditorUndoRedoManager
## The link to the game the editor runs (game/game_link.gd), for commands that ask the game itself.
var game_link: GameLink
## How the running command reports progress (`report(done, total, message)`); set for each command.
var progress := Callable()


func _init(editor_undo_redo: EditorUndoRedoManager = null) -> void:
	undo_redo = editor_undo_redo


## The area's commands: name -> {"description": String, "input_schema": Dictionary}.
func get_commands() -> Dictionary:
	return {}


## Tells the gateway how far the command is, when it asked (the host passed a progress token).
static func report(reporter: Callable, done: int, total: int, message: String) -> void:
	if reporter.is_valid():
		reporter.call(done, total, message)


static func ok(result: Variant = null) -> Dictionary:
	return {"success": true, "result": result}


static func fail(message: String) -> Dictionary:
	return {"success": false, "error": message}


static func scene_root() -> Node:
	return EditorInterface.get_edited_scene_root()


## Finds a node of the edited scene. Accepts "", ".", "/root", "/root/<Root>/A/B", "<Root>/A/B" and
## paths relative to the scene root ("A/B").
static func find_node(path: String) -> Node:
	var root := scene_root()
	if root == null:
		return null
	var trimmed := path.strip_edges()
	if trimmed.begins_with("/root"):
		trimmed = trimmed.substr(5)
	trimmed = trimmed.trim_prefix("/")
	if trimmed.is_empty() or trimmed == ".":
		return root
	if trimmed == str(root.name):
		return root
	if trimmed.begins_with(str(root.name) + "/"):
		trimmed = trimmed.substr(str(root.name).length() + 1)
	return root.get_node_or_null(NodePath(trimmed))


## The path of a node as the tools report it: "/root/<Root>/A/B".
static func path_of(node: Node) -> String:
	var root := scene_root()
	if root == null or node == null:
		return ""
	if node == root:
		return "/root/" + str(root.name)
	return "/root/%s/%s" % [str(root.name), str(root.get_path_to(node))]


## Looks a node up, or explains why it cannot: no scene open, or no such node.
static func require_node(path: String) -> Dictionary:
	if scene_root() == null:
		return fail("No scene is open in the editor")
	var node := find_node(path)
	if node == null:
		return fail("Node not found: " + path)
	return ok(node)


## Returns "" when `type` is a Node class that can be instantiated (Godot's, or the project's own
## `class_name` ones), else why not.
static func check_node_class(type: String) -> String:
	return ProjectClasses.check_creatable(type, "Node")


## Returns "" when a new file may be written at `path`, else why not.
static func check_new_file(path: String, extensions: PackedStringArray, overwrite: bool) -> String:
	var problem := PathGuard.check(path, extensions)
	if problem.is_empty() and FileAccess.file_exists(path) and not overwrite:
		problem = "%s already exists; pass overwrite: true to replace it" % path
	return problem


## Every node under `node` (itself included) that belongs to the scene, for restoring owners on undo.
static func owned_subtree(node: Node, owner: Node) -> Array[Node]:
	var found: Array[Node] = []
	if node.owner == owner or node == owner:
		found.append(node)
	for child in node.get_children():
		found.append_array(owned_subtree(child, owner))
	return found


## Gives `node` and its descendants without an owner the scene root as owner, so they are saved.
static func adopt(node: Node, owner: Node) -> void:
	if node != owner and node.owner == null:
		node.owner = owner
	for child in node.get_children():
		adopt(child, owner)
