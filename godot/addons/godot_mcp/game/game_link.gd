@tool
extends EditorDebuggerPlugin
## The editor's end of the link to the running game (game_bridge.gd inside it), over the debugger
## session the editor opens for every game it runs: sends requests, collects the answers.

const PREFIX := "godot_mcp"
const SCREENSHOT_TIMEOUT_MSEC := 5000

var _next_request := 1
## request id -> the game's answer ([png, width, height]), until the waiting command takes it.
var _answers: Dictionary = {}


func _has_capture(prefix: String) -> bool:
	return prefix == PREFIX


## The editor hands over the whole message, prefix included.
func _capture(message: String, data: Array, _session_id: int) -> bool:
	if message == PREFIX + ":screenshot" and data.size() == 4:
		_answers[int(data[0])] = data.slice(1)
		return true
	return false


## A coroutine: {"png": PackedByteArray, "width", "height"} or {"error": String}.
func request_screenshot(longest: int) -> Dictionary:
	var session := _running_session()
	if session == null:
		return {"error": "the game is not running from this editor (play_scene starts it)"}
	var request_id := _next_request
	_next_request += 1
	session.send_message(PREFIX + ":screenshot", [request_id, longest])
	var started := Time.get_ticks_msec()
	while not _answers.has(request_id):
		if Time.get_ticks_msec() - started > SCREENSHOT_TIMEOUT_MSEC or not session.is_active():
			return {"error": "the running game did not answer within %d s; is the GodotMCPGame autoload in "
					% (SCREENSHOT_TIMEOUT_MSEC / 1000) + "Project Settings → Globals → Autoload? Enabling the addon adds it)"}
		await (Engine.get_main_loop() as SceneTree).process_frame
	var answer: Array = _answers[request_id]
	_answers.erase(request_id)
	var png: PackedByteArray = answer[0]
	if png.is_empty():
		return {"error": "the running game has no picture yet"}
	return {"png": png, "width": int(answer[1]), "height": int(answer[2])}


func _running_session() -> EditorDebuggerSession:
	for session in get_sessions():
		var candidate := session as EditorDebuggerSession
		if candidate != null and candidate.is_active():
			return candidate
	return null
