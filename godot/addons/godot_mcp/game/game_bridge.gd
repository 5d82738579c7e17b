extends Node
## Runs inside the game the editor starts (the addon adds it as the autoload GodotMCPGame) and answers
## the editor's requests over Godot's own debugger connection: a screenshot, the live scene tree, node
## properties (read and set, in the game only), input events, waits for a condition, performance
## monitors. In a game not started from the editor (an exported build, a run without the debugger) it
## does nothing. Nothing here runs code the editor sends: requests name one of KINDS, with data.
##
## Engine behaviour relied on: a registered capture receives every "godot_mcp:*" message, also while the
## game is stopped in the debugger (core/debugger/remote_debugger.cpp, RemoteDebugger::poll_events and
## the capture branch of RemoteDebugger::debug), so reads answer even then; anything that waits for
## frames finishes after the game continues.

const Messages := preload("game_messages.gd")
const InputSequence := preload("input_sequence.gd")
const GameTree := preload("game_tree.gd")
const GameWait := preload("game_wait.gd")
const KINDS := ["screenshot", "input", "tree", "properties", "set_property", "wait", "performance"]
## Performance monitors by the names the answer uses (main/performance.cpp, Performance::get_monitor).
const MONITORS := {
	"fps": Performance.TIME_FPS,
	"process_time": Performance.TIME_PROCESS,
	"physics_process_time": Performance.TIME_PHYSICS_PROCESS,
	"memory_static": Performance.MEMORY_STATIC,
	"memory_static_max": Performance.MEMORY_STATIC_MAX,
	"objects": Performance.OBJECT_COUNT,
	"resources": Performance.OBJECT_RESOURCE_COUNT,
	"nodes": Performance.OBJECT_NODE_COUNT,
	"orphan_nodes": Performance.OBJECT_ORPHAN_NODE_COUNT,
	"draw_calls": Performance.RENDER_TOTAL_DRAW_CALLS_IN_FRAME,
	"objects_drawn": Performance.RENDER_TOTAL_OBJECTS_IN_FRAME,
	"primitives_drawn": Performance.RENDER_TOTAL_PRIMITIVES_IN_FRAME,
	"video_memory": Performance.RENDER_VIDEO_MEM_USED,
	"physics_2d_active_objects": Performance.PHYSICS_2D_ACTIVE_OBJECTS,
	"physics_3d_active_objects": Performance.PHYSICS_3D_ACTIVE_OBJECTS,
}
const PROGRESS_EVERY_MSEC := 500


func _ready() -> void:
	# Answers while the game's tree is paused, too.
	process_mode = Node.PROCESS_MODE_ALWAYS
	if EngineDebugger.is_active() and not EngineDebugger.has_capture(Messages.PREFIX):
		EngineDebugger.register_message_capture(Messages.PREFIX, _on_editor_message)
		EngineDebugger.send_message(Messages.PREFIX + ":" + Messages.READY, [])


func _exit_tree() -> void:
	if EngineDebugger.is_active() and EngineDebugger.has_capture(Messages.PREFIX):
		EngineDebugger.unregister_message_capture(Messages.PREFIX)


## The debugger hands over the message without its "godot_mcp:" prefix.
func _on_editor_message(message: String, data: Array) -> bool:
	if message == Messages.HELLO:
		EngineDebugger.send_message(Messages.PREFIX + ":" + Messages.READY, [])
		return true
	if message != Messages.REQUEST or data.size() != 3 or not data[2] is Dictionary:
		return false
	_answer(int(data[0]), str(data[1]), data[2])
	return true


func _answer(request_id: int, kind: String, params: Dictionary) -> void:
	var answer: Dictionary
	match kind:
		"screenshot":
			answer = await _screenshot(int(params.get("max_size", 1280)))
		"input":
			answer = await _send_input(params)
		"tree":
			answer = _tree(params)
		"properties":
			answer = _properties(params)
		"set_property":
			answer = _set_property(params)
		"wait":
			answer = await _wait(request_id, params)
		"performance":
			answer = await _performance(params)
		_:
			answer = {"error": "the game does not know the request '%s'" % kind}
	var parts := Messages.split_answer(request_id, answer)
	for index in parts.size():
		if index > 0 and index % Messages.PARTS_PER_FRAME == 0:
			await get_tree().process_frame
		EngineDebugger.send_message(Messages.PREFIX + ":" + Messages.ANSWER, parts[index])


func _screenshot(longest: int) -> Dictionary:
	# The picture of a frame that has been drawn completely, not one half way through.
	await RenderingServer.frame_post_draw
	var image := get_viewport().get_texture().get_image()
	if image == null or image.is_empty():
		return {"error": "the running game has no picture yet"}
	if maxi(image.get_width(), image.get_height()) > longest:
		var ratio := float(longest) / maxi(image.get_width(), image.get_height())
		image.resize(maxi(1, int(image.get_width() * ratio)), maxi(1, int(image.get_height() * ratio)))
	return {"png": image.save_png_to_buffer(), "width": image.get_width(), "height": image.get_height()}


func _send_input(params: Dictionary) -> Dictionary:
	var checked := InputSequence.normalise(params.get("events", []))
	if checked.has("error"):
		return checked
	# Positions are given in the game's viewport; Input takes them in window coordinates
	# (Viewport::push_input makes them local again with the inverse of the final transform).
	var to_window := get_tree().root.get_final_transform()
	var delivered: Array = []
	var frames := 0
	var started := Time.get_ticks_msec()
	for step: Dictionary in checked["steps"]:
		var event := InputSequence.make_event(step["event"], to_window)
		if event != null:
			Input.parse_input_event(event)
			delivered.append({"frame": frames, "event": event.as_text(), "pressed": event.is_pressed()})
		var then: Dictionary = step["then"]
		if then.has("msec"):
			var until := Time.get_ticks_msec() + int(then["msec"])
			while Time.get_ticks_msec() < until:
				await get_tree().process_frame
				frames += 1
		else:
			for _frame in int(then["frames"]):
				await get_tree().process_frame
				frames += 1
	return {"delivered": delivered, "frames": frames, "msec": Time.get_ticks_msec() - started}


func _tree(params: Dictionary) -> Dictionary:
	var top := GameTree.find(get_tree(), str(params.get("node_path", "/root")))
	if top == null:
		return {"error": "no node at %s in the running game" % params.get("node_path", "/root")}
	var walked := GameTree.walk(top, clampi(int(params.get("max_depth", 6)), 0, GameTree.MAX_DEPTH),
			clampi(int(params.get("max_nodes", 300)), 1, GameTree.MAX_NODES))
	var scene := get_tree().current_scene
	walked["current_scene"] = str(scene.get_path()) if scene != null else null
	walked["paused"] = get_tree().paused
	return walked


func _properties(params: Dictionary) -> Dictionary:
	var node := GameTree.find(get_tree(), str(params["node_path"]))
	if node == null:
		return {"error": "no node at %s in the running game" % params["node_path"]}
	var read := GameTree.properties(node, params.get("properties", []))
	read["path"] = str(node.get_path())
	read["class"] = node.get_class()
	return read


func _set_property(params: Dictionary) -> Dictionary:
	var node := GameTree.find(get_tree(), str(params["node_path"]))
	if node == null:
		return {"error": "no node at %s in the running game" % params["node_path"]}
	var outcome := GameTree.set_property(node, str(params["property"]), params.get("value"))
	outcome["path"] = str(node.get_path())
	return outcome


func _wait(request_id: int, params: Dictionary) -> Dictionary:
	var wait := GameWait.new(params)
	var timeout := int(params.get("timeout_ms", 5000))
	var started := Time.get_ticks_msec()
	var next_progress := started + PROGRESS_EVERY_MSEC
	var frames := 0
	var held := wait.holds(get_tree())
	while not held and Time.get_ticks_msec() - started < timeout:
		await get_tree().process_frame
		frames += 1
		held = wait.holds(get_tree())
		if Time.get_ticks_msec() >= next_progress:
			next_progress += PROGRESS_EVERY_MSEC
			EngineDebugger.send_message(Messages.PREFIX + ":" + Messages.PROGRESS,
					[request_id, Time.get_ticks_msec() - started, timeout, "waiting for %s" % params["condition"]])
	wait.finish()
	var answer := wait.observed()
	answer["met"] = held
	answer["frames"] = frames
	answer["waited_ms"] = Time.get_ticks_msec() - started
	return answer


func _performance(params: Dictionary) -> Dictionary:
	var names: Array = params.get("monitors", [])
	if names.is_empty():
		names = MONITORS.keys()
	for name: Variant in names:
		if not MONITORS.has(name):
			return {"error": "unknown monitor '%s'; known: %s" % [name, ", ".join(PackedStringArray(MONITORS.keys()))]}
	var samples: Array = []
	var count := clampi(int(params.get("samples", 1)), 1, 120)
	var gap := clampi(int(params.get("interval_ms", 250)), 0, 5000)
	for index in count:
		if index > 0:
			var until := Time.get_ticks_msec() + gap
			while Time.get_ticks_msec() < until:
				await get_tree().process_frame
		var sample := {"msec": Time.get_ticks_msec()}
		for name: String in names:
			sample[name] = Performance.get_monitor(MONITORS[name])
		samples.append(sample)
	return {"samples": samples}
