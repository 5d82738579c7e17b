@tool
extends RefCounted
## What renaming a node must change besides its name, as the editor's Scene dock does it
## (editor/scene_tree_dock.cpp SceneTreeDock::perform_node_renames, reached from
## SceneTreeEditor::rename_node through its "node_prerename" signal): NodePath properties of the scene's
## nodes, and animation track paths, that point at the node or at a node below it. That path is not
## reachable from a plugin, so the same fixups are made here, in the same undo/redo action as the rename.
## Not covered: paths given as "%UniqueName" or absolute paths, and paths inside scripts' code.


## Adds to the open undo/redo action the rename of `node` to `new_name` and every fixup it needs. Returns
## how many NodePaths and tracks were updated.
static func add_rename(undo_redo: EditorUndoRedoManager, root: Node, node: Node, new_name: String) -> int:
	var old_name := node.name
	var properties := _pointing_properties(root, node)
	var tracks := _pointing_tracks(root, node)
	# The new paths are simplest to get from the renamed tree itself: rename, measure, rename back.
	node.name = new_name
	for change: Dictionary in properties:
		change["new"] = _retarget(change["old"], change["holder"], change["targets"])
	for change: Dictionary in tracks:
		change["new"] = _retarget(change["old"], change["from"], [change["target"]])
	node.name = old_name
	undo_redo.add_do_property(node, "name", new_name)
	undo_redo.add_undo_property(node, "name", old_name)
	for change: Dictionary in properties:
		undo_redo.add_do_property(change["holder"], change["property"], change["new"])
		undo_redo.add_undo_property(change["holder"], change["property"], change["old"])
	for change: Dictionary in tracks:
		undo_redo.add_do_method(change["animation"], "track_set_path", change["track"], change["new"])
		undo_redo.add_undo_method(change["animation"], "track_set_path", change["track"], change["old"])
	return properties.size() + tracks.size()


## Whether `target` is `node` or below it.
static func _affected(node: Node, target: Node) -> bool:
	return target != null and (target == node or node.is_ancestor_of(target))


## The same NodePath (or array of them) pointing, from `from`, at the same nodes after the rename.
static func _retarget(old: Variant, from: Node, targets: Array) -> Variant:
	if old is Array:
		var items: Array = (old as Array).duplicate()
		for index in items.size():
			if targets[index] != null:
				items[index] = _path_to(from, targets[index], items[index])
		return items
	return _path_to(from, targets[0], old)


static func _path_to(from: Node, target: Node, old: NodePath) -> NodePath:
	var subnames := old.get_concatenated_subnames()
	var path := str(from.get_path_to(target))
	return NodePath(path + (":" + subnames if not subnames.is_empty() else ""))


## Relative NodePaths followed from `from` (absolute and %unique ones are left alone).
static func _follow(from: Node, path: Variant) -> Node:
	if not path is NodePath or (path as NodePath).is_empty() or (path as NodePath).is_absolute() \
			or str(path).begins_with("%"):
		return null
	return from.get_node_or_null(path)


## [{"holder", "property", "old", "targets"}] for the NodePath properties (and arrays of them) of the
## scene's nodes that point at `node` or below it.
static func _pointing_properties(root: Node, node: Node) -> Array[Dictionary]:
	var found: Array[Dictionary] = []
	var holders: Array[Node] = [root]
	holders.append_array(root.find_children("*", "", true, false))
	for holder in holders:
		if holder != root and holder.owner != root:
			continue
		for info: Dictionary in holder.get_property_list():
			if not int(info["usage"]) & PROPERTY_USAGE_STORAGE:
				continue
			var value: Variant = holder.get(info["name"])
			var targets: Array = []
			var hit := false
			for path: Variant in (value as Array if value is Array else [value]):
				var target := _follow(holder, path)
				targets.append(target if _affected(node, target) else null)
				hit = hit or _affected(node, target)
			if hit:
				found.append({"holder": holder, "property": info["name"], "old": value, "targets": targets})
	return found


## [{"animation", "track", "old", "from", "target"}] for the animation tracks of the scene's animation
## players whose paths (relative to the player's root node) point at `node` or below it.
static func _pointing_tracks(root: Node, node: Node) -> Array[Dictionary]:
	var found: Array[Dictionary] = []
	for mixer: Node in root.find_children("*", "AnimationMixer", true, false):
		var player := mixer as AnimationMixer
		var from := player.get_node_or_null(player.root_node)
		if from == null:
			continue
		for library_name: StringName in player.get_animation_library_list():
			var library := player.get_animation_library(library_name)
			for animation_name: StringName in library.get_animation_list():
				var animation := library.get_animation(animation_name)
				for track in animation.get_track_count():
					var target := _follow(from, animation.track_get_path(track))
					if _affected(node, target):
						found.append({"animation": animation, "track": track, "old": animation.track_get_path(track),
							"from": from, "target": target})
	return found
