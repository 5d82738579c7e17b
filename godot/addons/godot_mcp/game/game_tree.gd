@tool
extends RefCounted
## Reading and changing nodes of the running game (used by game_bridge.gd inside the game): the tree,
## bounded by depth and count, and a node's properties converted like the editor side converts them
## (util/value_converter.gd). Nothing here touches the scene being edited: it runs in the game process.

const ValueConverter := preload("../util/value_converter.gd")
const MAX_DEPTH := 32
const MAX_NODES := 5000
## The property usages worth showing: what the Inspector shows and every script variable (live state).
const SHOWN_USAGE := PROPERTY_USAGE_EDITOR | PROPERTY_USAGE_SCRIPT_VARIABLE


## A node of `tree` by path: "/root/Main/Player" (absolute), "" or "." (the current scene), or a path
## relative to the current scene ("Player/Sprite").
static func find(tree: SceneTree, path: String) -> Node:
	var trimmed := path.strip_edges()
	if trimmed.begins_with("/"):
		return tree.root.get_node_or_null(NodePath(trimmed))
	var scene := tree.current_scene
	if scene == null:
		return tree.root.get_node_or_null(NodePath(trimmed)) if not trimmed.is_empty() else tree.root
	if trimmed.is_empty() or trimmed == ".":
		return scene
	return scene.get_node_or_null(NodePath(trimmed))


## The nodes under `top` (itself included), breadth first so a bound cuts the deepest nodes first:
## {"nodes": [{"path", "name", "class", "depth", "children", "visible"?, "script"?}], "truncated": bool}.
static func walk(top: Node, max_depth: int, max_nodes: int) -> Dictionary:
	var nodes: Array = []
	var queue: Array = [[top, 0]]
	var truncated := false
	while not queue.is_empty():
		var entry: Array = queue.pop_front()
		var node: Node = entry[0]
		var depth: int = entry[1]
		if nodes.size() >= max_nodes:
			truncated = true
			break
		nodes.append(describe(node, depth))
		if depth >= max_depth:
			truncated = truncated or node.get_child_count() > 0
			continue
		for child in node.get_children():
			queue.append([child, depth + 1])
	return {"nodes": nodes, "truncated": truncated}


static func describe(node: Node, depth: int) -> Dictionary:
	var info := {"path": str(node.get_path()), "name": str(node.name), "class": node.get_class(), "depth": depth,
		"children": node.get_child_count()}
	if node is CanvasItem:
		info["visible"] = (node as CanvasItem).is_visible_in_tree()
	elif node is Node3D:
		info["visible"] = (node as Node3D).is_visible_in_tree()
	var script: Variant = node.get_script()
	if script is Script and not (script as Script).resource_path.is_empty():
		info["script"] = (script as Script).resource_path
	return info


## The node's properties as JSON values; `names` limits them (every shown property when empty).
static func properties(node: Node, names: Array) -> Dictionary:
	var found := {}
	for info: Dictionary in node.get_property_list():
		var name := str(info["name"])
		if names.is_empty():
			if int(info["usage"]) & SHOWN_USAGE:
				found[name] = ValueConverter.to_json(node.get(name))
		elif name in names:
			found[name] = ValueConverter.to_json(node.get(name))
	var missing: Array = []
	for name: Variant in names:
		if not found.has(str(name)):
			missing.append(name)
	return {"properties": found, "missing": missing}


## Sets one property of a node of the running game. Returns {"value": the value read back} or {"error"}.
static func set_property(node: Node, property: String, value: Variant) -> Dictionary:
	if property == "script":
		return {"error": "the script of a running node is not changed from here (edit the script instead)"}
	var converted := ValueConverter.to_property(node, property, value)
	if converted.has("error"):
		return converted
	node.set(property, converted["value"])
	return {"value": ValueConverter.to_json(node.get(property))}
