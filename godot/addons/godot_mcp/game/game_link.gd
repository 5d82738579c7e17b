@tool
extends EditorDebuggerPlugin
## The editor's end of the link to the running game (game_bridge.gd inside it), over the debugger
## session the editor opens for every game it runs: sends requests, joins the answers' parts, forwards
## progress, knows whether the game has started, listens, or is stopped in the debugger.
##
## Engine behaviour relied on (editor/plugins/editor_debugger_plugin.cpp and editor/debugger/
## script_editor_debugger.cpp): _setup_session is called for every session; a session emits "started"
## once the game's debugger connected and sent its pid (_msg_set_pid), "stopped" when it closes,
## "breaked"/"continued" when the game stops in or leaves the debugger; messages whose prefix a plugin
## claims in _has_capture reach _capture (ScriptEditorDebugger::_parse_message → plugins_capture).

const Messages := preload("game_messages.gd")
const DebuggerWatch := preload("debugger_watch.gd")
## How long a request waits for a game that was started but does not listen yet.
const LISTEN_TIMEOUT_MSEC := 10000
const HELLO_EVERY_MSEC := 500
## Progress at least this often while a request waits (see request()).
const KEEPALIVE_MSEC := 2000

var watch := DebuggerWatch.new()
## Counts sessions that started and stopped, so play_scene can tell a new run from an old one.
var started_runs := 0
var stopped_runs := 0
## Counts the game leaving the debugger, so continue_game can tell whether its message moved it.
var continues := 0
var _next_request := 1
## request id -> the game's answer, until the waiting command takes it.
var _answers: Dictionary = {}
## request id -> parts received so far (game_messages.gd add_part).
var _pending: Dictionary = {}
## request id -> Callable(done, total, message) of the command waiting for it.
var _reporters: Dictionary = {}
## The ids _setup_session was called with.
var _session_ids: Array[int] = []
## session id -> true once the game's bridge said it listens.
var _listening: Dictionary = {}


func _has_capture(prefix: String) -> bool:
	return prefix == Messages.PREFIX


## The editor hands over the whole message, prefix included.
func _capture(message: String, data: Array, session_id: int) -> bool:
	match message.trim_prefix(Messages.PREFIX + ":"):
		Messages.READY:
			_listening[session_id] = true
		Messages.ANSWER:
			# A request that gave up waiting has no reporter entry any more: its late parts are dropped.
			if data.is_empty() or not _reporters.has(int(data[0])):
				return true
			var joined := Messages.add_part(_pending, data)
			if joined.has("error"):
				push_warning("[godot_mcp] " + str(joined["error"]))
			elif not joined.is_empty():
				_answers[int(joined["request_id"])] = joined["answer"]
		Messages.PROGRESS:
			var reporter: Callable = _reporters.get(int(data[0]), Callable()) if data.size() == 4 else Callable()
			if reporter.is_valid():
				reporter.call(int(data[1]), int(data[2]), str(data[3]))
		_:
			return false
	return true


func _setup_session(session_id: int) -> void:
	_session_ids.append(session_id)
	watch.attach(EditorInterface.get_base_control())
	var session := get_session(session_id)
	session.started.connect(_on_started.bind(session_id))
	session.stopped.connect(_on_stopped.bind(session_id))
	session.breaked.connect(_on_breaked)
	session.continued.connect(_on_continued)


## Asks the running game for `kind` (game_bridge.gd KINDS). A coroutine: the answer Dictionary, or
## {"error": String}. `reporter` receives the game's progress as (done, total, message).
func request(kind: String, params: Dictionary, timeout_msec: int, reporter: Callable = Callable()) -> Dictionary:
	# One forward-only reporter for the whole request, so the host's progress never goes back.
	var began := Time.get_ticks_msec()
	var progress := {"last": -1, "at": began}
	var forward := _increasing(reporter, progress)
	var total := LISTEN_TIMEOUT_MSEC + timeout_msec
	var session_id: int = await _listening_session(forward, progress, began, total)
	if session_id < 0:
		return {"error": _not_listening_reason()}
	var session := get_session(session_id)
	var request_id := _next_request
	_next_request += 1
	_reporters[request_id] = forward
	session.send_message(Messages.PREFIX + ":" + Messages.REQUEST, [request_id, kind, params])
	var started := Time.get_ticks_msec()
	while not _answers.has(request_id):
		_keep_alive(forward, progress, began, total, "waiting for the running game")
		var problem := ""
		if not session.is_active():
			problem = "the game stopped before it answered"
		elif Time.get_ticks_msec() - started > timeout_msec:
			problem = "the running game did not answer within %.1f s" % (timeout_msec / 1000.0)
			if watch.paused:
				problem += "; it is stopped in the debugger (get_debugger_state, continue_game)"
		if not problem.is_empty():
			_reporters.erase(request_id)
			_pending.erase(request_id)
			return {"error": problem}
		await (Engine.get_main_loop() as SceneTree).process_frame
	_reporters.erase(request_id)
	var answer: Dictionary = _answers[request_id]
	_answers.erase(request_id)
	return answer


## The gateway ends a command that reports nothing for its timeout (10 s by default): a request that
## waits longer says it is alive every KEEPALIVE_MSEC.
static func _keep_alive(forward: Callable, progress: Dictionary, began: int, total: int, message: String) -> void:
	if Time.get_ticks_msec() - int(progress["at"]) > KEEPALIVE_MSEC:
		forward.call(maxi(int(progress["last"]) + 1, Time.get_ticks_msec() - began), total, message)


## `reporter`, passing on only progress that goes forward (the game's and the keep-alive's clocks differ).
static func _increasing(reporter: Callable, state: Dictionary) -> Callable:
	return func(done: int, total: int, message: String) -> void:
		state["at"] = Time.get_ticks_msec()
		if done > int(state["last"]):
			state["last"] = done
			if reporter.is_valid():
				reporter.call(done, total, message)


## Kept for get_editor_screenshot: {"png": PackedByteArray, "width", "height"} or {"error": String}.
func request_screenshot(longest: int) -> Dictionary:
	return await request("screenshot", {"max_size": longest}, 15000)


## The id of the session whose game listens, waiting (bounded) for a game that was just started;
## -1 when there is none.
func _listening_session(forward: Callable, progress: Dictionary, began: int, total: int) -> int:
	var started := Time.get_ticks_msec()
	var next_hello := 0
	while Time.get_ticks_msec() - started < LISTEN_TIMEOUT_MSEC:
		_keep_alive(forward, progress, began, total, "waiting for the game to listen")
		var session_id := active_session_id()
		if session_id >= 0 and _listening.get(session_id, false):
			return session_id
		if session_id < 0 and not EditorInterface.is_playing_scene():
			return -1
		if session_id >= 0 and Time.get_ticks_msec() >= next_hello:
			# A bridge that started before this plugin was (re)loaded said READY to nobody: ask again.
			get_session(session_id).send_message(Messages.PREFIX + ":" + Messages.HELLO, [])
			next_hello = Time.get_ticks_msec() + HELLO_EVERY_MSEC
		await (Engine.get_main_loop() as SceneTree).process_frame
	return -1


func _not_listening_reason() -> String:
	if not EditorInterface.is_playing_scene():
		return "the game is not running from this editor (play_scene starts it)"
	if active_session_id() < 0:
		return "the game was started but its debugger connection did not open within %d s" % (LISTEN_TIMEOUT_MSEC / 1000)
	return ("the running game did not answer within %d s: is the GodotMCPGame autoload in Project Settings → "
			+ "Globals → Autoload? The addon adds it while it is enabled") % (LISTEN_TIMEOUT_MSEC / 1000)


func active_session_id() -> int:
	for session_id in _session_ids:
		var session := get_session(session_id)
		if session != null and session.is_active():
			return session_id
	return -1


## Whether the game's bridge has said it listens (for play_scene's answer).
func is_listening() -> bool:
	var session_id := active_session_id()
	return session_id >= 0 and _listening.get(session_id, false)


func _on_started(session_id: int) -> void:
	_listening.erase(session_id)
	started_runs += 1
	watch.clear()


func _on_stopped(session_id: int) -> void:
	_listening.erase(session_id)
	stopped_runs += 1
	watch.clear()


func _on_breaked(can_debug: bool = false) -> void:
	watch.set_paused(true, can_debug)


func _on_continued() -> void:
	continues += 1
	watch.set_paused(false)
