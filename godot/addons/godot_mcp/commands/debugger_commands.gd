@tool
extends "command_area.gd"
## The game stopped in the debugger (a runtime error or a breakpoint): why, where, the stack with a
## frame's variables; continue, step or stop. The messages sent are the ones the debugger panel's own
## buttons send, handled by the game in core/debugger/remote_debugger.cpp, RemoteDebugger::debug:
## "continue", "next" (step over), "step" (step into), "out" (step out, where the engine has it),
## "get_stack_dump" and "get_stack_frame_vars" [frame].

const ACTIONS := {"continue": "continue", "next": "next", "step_into": "step", "step_out": "out"}
const ANSWER_TIMEOUT_MSEC := 3000

const COMMANDS := {
	"get_debugger_state": {
		"description":
		"Whether the running game is stopped in the debugger (a runtime error or a breakpoint) and, if so, the "
			+ "message, script, line, the stack and a frame's variables (locals, members, globals, as the debugger "
			+ "has them).",
		"read_only": true,
		"input_schema": {
			"type": "object",
			"properties": {
				"frame": {"type": "integer", "minimum": 0, "description": "Whose variables (default 0, where it "
					+ "stopped)"},
			},
			"required": [],
			"additionalProperties": false,
		},
	},
	"continue_game": {
		"description":
		"Let the game stopped in the debugger go on: continue, step over the line (next), step into or out of a "
			+ "call, or stop the game. Returns whether it stopped again and where.",
		"input_schema": {
			"type": "object",
			"properties": {
				"action": {
					"type": "string", "enum": ["continue", "next", "step_into", "step_out", "stop"],
					"description": "Default continue",
				},
			},
			"required": [],
			"additionalProperties": false,
		},
	},
}


func get_commands() -> Dictionary:
	return COMMANDS


func cmd_get_debugger_state(params: Dictionary) -> Dictionary:
	if game_link == null:
		return fail("the link to the running game is not set up (is the addon enabled?)")
	var watch := game_link.watch
	watch.attach(EditorInterface.get_base_control())
	var session_id := game_link.active_session_id()
	var running := session_id >= 0
	if not running or not watch.paused:
		return ok({"running": running, "paused": false})
	var session := game_link.get_session(session_id)
	var frame: int = params.get("frame", 0)
	if watch.stack.is_empty():
		session.send_message("get_stack_dump", [])
		await _until(func() -> bool: return not watch.stack.is_empty())
	if not watch.stack.is_empty() and frame >= watch.stack.size():
		return fail("frame %d does not exist; the stack has %d frames" % [frame, watch.stack.size()])
	if watch.variables_frame != frame or watch.variables_expected < 0:
		watch.variables_expected = -1
		watch.variables_frame = frame
		session.send_message("get_stack_frame_vars", [frame])
		await _until(func() -> bool: return watch.state()["variables_complete"])
	var state := watch.state()
	state["running"] = true
	return ok(state)


func cmd_continue_game(params: Dictionary) -> Dictionary:
	if game_link == null:
		return fail("the link to the running game is not set up (is the addon enabled?)")
	var action: String = params.get("action", "continue")
	if action == "stop":
		var was_playing := EditorInterface.is_playing_scene()
		EditorInterface.stop_playing_scene()
		return ok({"action": action, "stopped": was_playing})
	var problem := _cannot_continue(action)
	if not problem.is_empty():
		return fail(problem)
	var session := game_link.get_session(game_link.active_session_id())
	var watch := game_link.watch
	watch.attach(EditorInterface.get_base_control())
	var before := {"continues": game_link.continues, "reason": watch.reason, "stack": watch.stack.duplicate(),
		"can_debug": watch.can_debug}
	watch.clear()
	session.send_message(ACTIONS[action], [])
	# The game answers every one of these by leaving the debugger ("debug_exit" → the session's continued).
	await _until(func() -> bool: return game_link.continues != before["continues"] or not session.is_active())
	if game_link.continues == before["continues"] and session.is_active():
		# It never left: an engine without this step (older ones lack "out"). Nothing changed.
		watch.paused = true
		watch.reason = before["reason"]
		watch.stack = before["stack"]
		watch.can_debug = before["can_debug"]
		return fail("the game did not leave the debugger after '%s' (this Godot may not know it); it is still "
				% action + "stopped: use continue, next or step_into")
	# A step stops again at once; a continue stays running unless it meets another error or breakpoint.
	var stopped_again := func() -> bool: return session.is_breaked() and watch.paused and not watch.stack.is_empty()
	await _until(stopped_again, 500 if action == "continue" else ANSWER_TIMEOUT_MSEC)
	var stopped := session.is_active() and session.is_breaked()
	var answer := {"action": action, "paused": stopped, "running": session.is_active()}
	if stopped:
		answer["reason"] = watch.reason
		answer["stack"] = watch.stack.duplicate()
	return ok(answer)


## Why `action` cannot be sent to the game now, or "".
func _cannot_continue(action: String) -> String:
	var session_id := game_link.active_session_id()
	if session_id < 0:
		return "the game is not running from this editor"
	var session := game_link.get_session(session_id)
	if not session.is_breaked():
		return "the game is not stopped in the debugger; nothing to continue"
	if action != "continue" and not session.is_debuggable():
		return "the game stopped where it cannot be stepped; use continue or stop"
	return ""


## Waits a few frames at most for `done` to hold (the game answers the debugger within milliseconds).
static func _until(done: Callable, timeout_msec: int = ANSWER_TIMEOUT_MSEC) -> void:
	var started := Time.get_ticks_msec()
	while not done.call() and Time.get_ticks_msec() - started < timeout_msec:
		await (Engine.get_main_loop() as SceneTree).process_frame
