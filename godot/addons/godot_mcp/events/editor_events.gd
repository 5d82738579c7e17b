@tool
extends Node
## Tells the gateway what happens in this editor — the open scene, the selection, saved scripts, nodes
## added or removed, the game started or stopped — so agents and people sharing the gateway see what the
## others do. At most EVENTS_PER_SECOND, except play_started/play_stopped (rare, and what a waiting agent
## needs most); node additions and removals are batched, and a batch the limit held back is sent later.

signal event_ready(event: String, data: Dictionary)

const EVENTS_PER_SECOND := 10
const NODE_BATCH_MSEC := 250
const NODES_PER_BATCH := 100
## Engine metadata counting the runs started from this editor in this session (get_output reports it, so
## an agent can tell that the Output panel was cleared for a new run).
const RUNS_META := "godot_mcp_runs_started"

var _plugin: EditorPlugin
var _second_started_msec := 0
var _sent_this_second := 0
var _was_playing := false
var _pending_nodes := {"added": [], "removed": []}
var _flush_nodes_at_msec := 0


func _init(plugin: EditorPlugin = null) -> void:
	_plugin = plugin


func _ready() -> void:
	if _plugin == null:
		return
	_plugin.scene_changed.connect(_on_scene_changed)
	_plugin.resource_saved.connect(_on_resource_saved)
	EditorInterface.get_selection().selection_changed.connect(_on_selection_changed)
	get_tree().node_added.connect(_on_node_added)
	get_tree().node_removed.connect(_on_node_removed)


func _process(_delta: float) -> void:
	var playing := EditorInterface.is_playing_scene()
	if playing != _was_playing:
		_was_playing = playing
		if playing:
			Engine.set_meta(RUNS_META, int(Engine.get_meta(RUNS_META, 0)) + 1)
			_emit("play_started", {"scene": EditorInterface.get_playing_scene()}, true)
		else:
			_emit("play_stopped", {}, true)
	if _flush_nodes_at_msec > 0 and Time.get_ticks_msec() >= _flush_nodes_at_msec:
		_flush_nodes_at_msec = 0
		for kind: String in ["added", "removed"]:
			var paths: Array = _pending_nodes[kind]
			if paths.is_empty():
				continue
			if _emit("node_" + kind, {"nodes": paths.duplicate()}):
				paths.clear()
			else:
				# Held back by the limit: kept (still capped at NODES_PER_BATCH) and tried again soon.
				_flush_nodes_at_msec = Time.get_ticks_msec() + NODE_BATCH_MSEC


func _on_scene_changed(scene_root: Node) -> void:
	if scene_root == null:
		_emit("scene_changed", {"scene": "", "root": ""})
	else:
		_emit("scene_changed", {"scene": scene_root.scene_file_path, "root": str(scene_root.name)})


func _on_resource_saved(resource: Resource) -> void:
	if resource is Script:
		_emit("script_saved", {"path": resource.resource_path})


func _on_selection_changed() -> void:
	var root := EditorInterface.get_edited_scene_root()
	var paths: Array = []
	for node: Node in EditorInterface.get_selection().get_selected_nodes():
		paths.append(_path_in_scene(root, node))
	_emit("node_selected", {"nodes": paths})


func _on_node_added(node: Node) -> void:
	_queue_node("added", node)


func _on_node_removed(node: Node) -> void:
	_queue_node("removed", node)


## Only nodes of the edited scene count (the editor's own UI adds and removes nodes all the time).
func _queue_node(kind: String, node: Node) -> void:
	var root := EditorInterface.get_edited_scene_root()
	if root == null or not root.is_ancestor_of(node):
		return
	var paths: Array = _pending_nodes[kind]
	if paths.size() < NODES_PER_BATCH:
		paths.append(_path_in_scene(root, node))
	if _flush_nodes_at_msec == 0:
		_flush_nodes_at_msec = Time.get_ticks_msec() + NODE_BATCH_MSEC


static func _path_in_scene(root: Node, node: Node) -> String:
	if root == null or not (root == node or root.is_ancestor_of(node)):
		return str(node.name)
	return str(root.get_path_to(node))


## Sends the event unless the rate limit holds it back (`always` events are never held back). Returns
## whether it was sent.
func _emit(event: String, data: Dictionary, always: bool = false) -> bool:
	var now := Time.get_ticks_msec()
	if now - _second_started_msec >= 1000:
		_second_started_msec = now
		_sent_this_second = 0
	if _sent_this_second >= EVENTS_PER_SECOND and not always:
		return false
	_sent_this_second += 1
	event_ready.emit(event, data)
	return true
