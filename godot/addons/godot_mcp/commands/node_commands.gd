@tool
extends "command_area.gd"
## Nodes of the open scene: list, create, delete, rename, duplicate, move, select, read and set
## properties. Every change goes through the editor's undo/redo.

const NodeRenames := preload("../util/node_renames.gd")

const COMMANDS := {
	"list_nodes": {
		"description": "List the children of a node (the scene root when no path is given).",
		"read_only": true,
		"input_schema": {
			"type": "object",
			"properties": {
				"node_path": {"type": "string", "description": "Path of the node whose children to list, e.g. /root/Main/Player"},
			},
			"required": [],
			"additionalProperties": false,
		},
	},
	"create_node": {
		"description": "Create a node of a given type in the open scene.",
		"read_only": false,
		"input_schema": {
			"type": "object",
			"properties": {
				"node_type": {"type": "string", "description": "Godot class of the new node, e.g. Sprite2D"},
				"node_name": {"type": "string", "description": "Name of the new node"},
				"parent_path": {"type": "string", "description": "Path of the parent node (default: the scene root)"},
				"properties": {"type": "object", "description": "Initial property values by property name"},
			},
			"required": ["node_type", "node_name"],
			"additionalProperties": false,
		},
	},
	"delete_node": {
		"description": "Delete a node and its children from the open scene.",
		"read_only": false,
		"input_schema": {
			"type": "object",
			"properties": {
				"node_path": {"type": "string", "description": "Path of the node to delete"},
			},
			"required": ["node_path"],
			"additionalProperties": false,
		},
	},
	"rename_node": {
		"description": "Rename a node; NodePaths and animation tracks that pointed at it follow (undoable).",
		"read_only": false,
		"input_schema": {
			"type": "object",
			"properties": {
				"node_path": {"type": "string", "description": "Path of the node"},
				"new_name": {"type": "string", "description": "Its new name"},
			},
			"required": ["node_path", "new_name"],
			"additionalProperties": false,
		},
	},
	"duplicate_node": {
		"description": "Duplicate a node (with its children) under the same parent.",
		"read_only": false,
		"input_schema": {
			"type": "object",
			"properties": {
				"node_path": {"type": "string", "description": "Path of the node to duplicate"},
				"new_name": {"type": "string", "description": "Name of the copy (default: chosen by Godot)"},
			},
			"required": ["node_path"],
			"additionalProperties": false,
		},
	},
	"move_node": {
		"description": "Move a 2D or 3D node to a position.",
		"read_only": false,
		"input_schema": {
			"type": "object",
			"properties": {
				"node_path": {"type": "string", "description": "Path of the node"},
				"x": {"type": "number", "description": "X coordinate"},
				"y": {"type": "number", "description": "Y coordinate"},
			},
			"required": ["node_path", "x", "y"],
			"additionalProperties": false,
		},
	},
	"set_node_property": {
		"description": "Set one property of a node.",
		"read_only": false,
		"input_schema": {
			"type": "object",
			"properties": {
				"node_path": {"type": "string", "description": "Path of the node"},
				"property_name": {"type": "string", "description": "Name of the property, e.g. position"},
				"value": {"description": "New value (JSON; converted to the property's Godot type)"},
			},
			"required": ["node_path", "property_name", "value"],
			"additionalProperties": false,
		},
	},
	"get_node_properties": {
		"description": "Get the properties of a node.",
		"read_only": true,
		"input_schema": {
			"type": "object",
			"properties": {
				"node_path": {"type": "string", "description": "Path of the node"},
			},
			"required": ["node_path"],
			"additionalProperties": false,
		},
	},
	"select_node": {
		"description": "Select a node in the editor and show it in the inspector.",
		"read_only": false,
		"input_schema": {
			"type": "object",
			"properties": {
				"node_path": {"type": "string", "description": "Path of the node"},
			},
			"required": ["node_path"],
			"additionalProperties": false,
		},
	},
}


func get_commands() -> Dictionary:
	return COMMANDS


func cmd_list_nodes(params: Dictionary) -> Dictionary:
	var found := require_node(params.get("node_path", ""))
	if not found["success"]:
		return found
	var parent: Node = found["result"]
	var children: Array = []
	for child in parent.get_children():
		children.append({
			"name": str(child.name),
			"type": child.get_class(),
			"path": path_of(child),
			"child_count": child.get_child_count(),
		})
	return ok({"path": path_of(parent), "children": children})


func cmd_create_node(params: Dictionary) -> Dictionary:
	var node_type: String = params["node_type"]
	var problem := check_node_class(node_type)
	if not problem.is_empty():
		return fail(problem)
	var found := require_node(params.get("parent_path", ""))
	if not found["success"]:
		return found
	var parent: Node = found["result"]
	var made := ProjectClasses.instantiate(node_type)
	if made.has("error"):
		return fail(made["error"])
	var node: Node = made["value"]
	node.name = params["node_name"]
	var properties: Dictionary = params.get("properties", {})
	for property: String in properties:
		var converted := ValueConverter.to_property(node, property, properties[property])
		if converted.has("error"):
			node.free()
			return fail(converted["error"])
		node.set(property, converted["value"])
	var root := scene_root()
	undo_redo.create_action("MCP: create %s" % node.name)
	undo_redo.add_do_method(parent, "add_child", node, true)
	undo_redo.add_do_property(node, "owner", root)
	undo_redo.add_do_reference(node)
	undo_redo.add_undo_method(parent, "remove_child", node)
	undo_redo.commit_action()
	return ok({"path": path_of(node), "name": str(node.name), "type": node_type})


func cmd_delete_node(params: Dictionary) -> Dictionary:
	var found := require_node(params["node_path"])
	if not found["success"]:
		return found
	var node: Node = found["result"]
	var root := scene_root()
	if node == root:
		return fail("The scene root cannot be deleted; open or create another scene instead")
	if node.owner != root:
		# It belongs to an instanced scene: deleting it here would not last (the editor refuses too).
		return fail("%s is part of the instanced scene %s; open that scene to delete it" % [
			path_of(node), node.owner.scene_file_path if node.owner != null else "?"])
	var parent := node.get_parent()
	var path := path_of(node)
	undo_redo.create_action("MCP: delete %s" % node.name)
	undo_redo.add_do_method(parent, "remove_child", node)
	undo_redo.add_undo_method(parent, "add_child", node, true)
	undo_redo.add_undo_method(parent, "move_child", node, node.get_index())
	for owned in owned_subtree(node, root):
		undo_redo.add_undo_property(owned, "owner", root)
	undo_redo.add_undo_reference(node)
	undo_redo.commit_action()
	return ok({"deleted": path})


func cmd_rename_node(params: Dictionary) -> Dictionary:
	var found := require_node(params["node_path"])
	if not found["success"]:
		return found
	var node: Node = found["result"]
	var new_name: String = params["new_name"]
	if new_name.validate_node_name() != new_name or new_name.is_empty():
		return fail("'%s' is not a valid node name (no . : @ / \" %%)" % new_name)
	if node.get_parent() != null and node.get_parent().has_node(NodePath(new_name)) and str(node.name) != new_name:
		return fail("%s already has a child named %s" % [path_of(node.get_parent()), new_name])
	undo_redo.create_action("MCP: rename %s" % node.name)
	var updated := NodeRenames.add_rename(undo_redo, scene_root(), node, new_name)
	undo_redo.commit_action()
	return ok({"path": path_of(node), "name": str(node.name), "node_paths_updated": updated})


func cmd_duplicate_node(params: Dictionary) -> Dictionary:
	var found := require_node(params["node_path"])
	if not found["success"]:
		return found
	var node: Node = found["result"]
	var root := scene_root()
	if node == root:
		return fail("The scene root cannot be duplicated")
	var copy := node.duplicate()
	if params.has("new_name"):
		copy.name = params["new_name"]
	var parent := node.get_parent()
	undo_redo.create_action("MCP: duplicate %s" % node.name)
	undo_redo.add_do_method(parent, "add_child", copy, true)
	undo_redo.add_do_method(self, "adopt", copy, root)
	undo_redo.add_do_reference(copy)
	undo_redo.add_undo_method(parent, "remove_child", copy)
	undo_redo.commit_action()
	return ok({"path": path_of(copy), "name": str(copy.name)})


func cmd_move_node(params: Dictionary) -> Dictionary:
	var found := require_node(params["node_path"])
	if not found["success"]:
		return found
	var node: Node = found["result"]
	var x := float(params["x"])
	var y := float(params["y"])
	var target: Variant
	if node is Node2D or node is Control:
		target = Vector2(x, y)
	elif node is Node3D:
		target = Vector3(x, y, (node as Node3D).position.z)
	else:
		return fail("%s is a %s, which has no position" % [path_of(node), node.get_class()])
	undo_redo.create_action("MCP: move %s" % node.name)
	undo_redo.add_do_property(node, "position", target)
	undo_redo.add_undo_property(node, "position", node.get("position"))
	undo_redo.commit_action()
	return ok({"path": path_of(node), "position": ValueConverter.to_json(target)})


func cmd_set_node_property(params: Dictionary) -> Dictionary:
	var found := require_node(params["node_path"])
	if not found["success"]:
		return found
	var node: Node = found["result"]
	var property: String = params["property_name"]
	var converted := ValueConverter.to_property(node, property, params["value"])
	if converted.has("error"):
		return fail(converted["error"])
	undo_redo.create_action("MCP: set %s.%s" % [node.name, property])
	undo_redo.add_do_property(node, property, converted["value"])
	undo_redo.add_undo_property(node, property, node.get(property))
	undo_redo.commit_action()
	return ok({"path": path_of(node), "property": property, "value": ValueConverter.to_json(node.get(property))})


func cmd_get_node_properties(params: Dictionary) -> Dictionary:
	var found := require_node(params["node_path"])
	if not found["success"]:
		return found
	var node: Node = found["result"]
	var properties := {}
	for info: Dictionary in node.get_property_list():
		if int(info["usage"]) & PROPERTY_USAGE_EDITOR:
			properties[info["name"]] = ValueConverter.to_json(node.get(info["name"]))
	return ok({"path": path_of(node), "type": node.get_class(), "properties": properties})


func cmd_select_node(params: Dictionary) -> Dictionary:
	var found := require_node(params["node_path"])
	if not found["success"]:
		return found
	var node: Node = found["result"]
	var selection := EditorInterface.get_selection()
	selection.clear()
	selection.add_node(node)
	EditorInterface.edit_node(node)
	return ok({"selected": path_of(node)})
