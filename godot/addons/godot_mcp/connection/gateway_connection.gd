@tool
extends Node
## The editor's connection to godot-mcp-gateway over WebSocketPeer: handshake, identify, heartbeats,
## commands and shutdown, with automatic reconnection unless the user disconnected.

signal status_changed(status: Dictionary)

enum State { DISCONNECTED, CONNECTING, CONNECTED, WAITING_TO_RETRY }

const Backoff := preload("backoff.gd")
const Protocol := preload("protocol.gd")
const AnswerMemory := preload("answer_memory.gd")
const CommandRegistry := preload("../commands/command_registry.gd")

## Buffers sized for big scene trees and scripts; WebSocketPeer's 64 KiB default cannot send them.
const OUTBOUND_BUFFER_SIZE := 16 * 1024 * 1024
## As large as the gateway's message cap (--max-message-size, 16 MiB by default): a command it accepts
## (a big edit_script) must fit.
const INBOUND_BUFFER_SIZE := 16 * 1024 * 1024
## Without any message from the gateway for this many heartbeat intervals, the link is presumed dead.
const MISSED_HEARTBEATS_ALLOWED := 2.5
const DEFAULT_HEARTBEAT_INTERVAL := 30.0
const NORMAL_CLOSURE := 1000
## Closing the link while meaning to come back at once with the resume token (a silent gateway, a failed
## attempt, a reconnect to another URL): an application code, since the gateway takes 1000 and 1001 as
## "this editor left on purpose" and ends its calls instead of keeping them for the resume.
const CLOSE_COMING_BACK := 4000
## The gateway's close codes for resumed ids: a token used twice, a silent link, the id taken over by
## another connection of this editor.
const CLOSE_DUPLICATE := 4001
const CLOSE_STALE := 4002
const CLOSE_REPLACED := 4003
## The gateway's close code for a refused token (in identify).
const CLOSE_POLICY := 1008
## After a resume the gateway sends again, once, every command it had not seen answered; the addon answers
## those from what it remembers instead of running them twice (connection/answer_memory.gd). It remembers
## each answer for as long as the gateway may still send its command again (RESUME_KEEP_SEC), within a
## byte budget (ANSWER_BYTES_KEPT).
## 10 min: five times the gateway's default resume window (--resume-window, 120 s).
const RESUME_KEEP_SEC := 600.0
## 8 MiB: half the gateway's largest message (16 MiB), so remembering never holds more than a couple of
## screenshots' worth of memory, yet hundreds of ordinary answers (most are under 10 KiB) — far more than
## the gateway has in flight to one editor (--max-commands-in-flight, 64). An answer pushed out of the budget
## leaves a small note behind: its command is never run again; a re-sent one is told so.
const ANSWER_BYTES_KEPT := 8 * 1024 * 1024
## Where the resume token and recent answers live: on the Engine singleton, so they outlive a reload of
## the plugin within one editor session.
const SESSION_META := "godot_mcp_session"
const CONNECT_TIMEOUT_MSEC := 10000

var _registry: CommandRegistry
var _peer: WebSocketPeer
var _backoff := Backoff.new()
var _state := State.DISCONNECTED
var _url := ""
var _token := ""
var _user_disconnected := true
var _retry_at_msec := 0
var _last_message_msec := 0
var _heartbeat_interval := DEFAULT_HEARTBEAT_INTERVAL
var _client_id := ""
var _last_error := ""
var _commands_handled := 0
## Ids of the commands running now: one the gateway sends again while it runs is not started a second
## time; its answer goes out, on whatever connection is open, when it finishes.
var _running := {}


## Defaults on every argument: Godot re-creates @tool scripts' objects with no arguments when it reloads them.
func _init(registry: CommandRegistry = null) -> void:
	_registry = registry
	if not Engine.has_meta(SESSION_META):
		Engine.set_meta(SESSION_META, {"resume_token": ""})


func _session() -> Dictionary:
	return Engine.get_meta(SESSION_META)


func connect_to_gateway(url: String, token: String) -> void:
	_url = url
	_token = token
	_user_disconnected = false
	_backoff.reset()
	_close_peer(CLOSE_COMING_BACK, "reconnecting")
	_open()


func disconnect_from_gateway() -> void:
	_user_disconnected = true
	_close_peer(NORMAL_CLOSURE, "disconnected by the user")
	_set_state(State.DISCONNECTED)


## The addon is being disabled or the editor is closing: close cleanly and stay closed.
func shut_down() -> void:
	_user_disconnected = true
	_close_peer(NORMAL_CLOSURE, "editor closing")


func status() -> Dictionary:
	return {
		"state": State.keys()[_state],
		"url": _url,
		"client_id": _client_id,
		"last_error": _last_error,
		"commands_handled": _commands_handled,
	}


func _process(_delta: float) -> void:
	match _state:
		State.WAITING_TO_RETRY:
			if Time.get_ticks_msec() >= _retry_at_msec:
				_open()
		State.CONNECTING, State.CONNECTED:
			_poll()


func _open() -> void:
	var peer := WebSocketPeer.new()
	peer.outbound_buffer_size = OUTBOUND_BUFFER_SIZE
	peer.inbound_buffer_size = INBOUND_BUFFER_SIZE
	# The token goes in identify, not in an Authorization header: a refused header is an HTTP 401 that
	# Godot's WebSocketPeer does not report, while a refused identify closes with 1008 and a reason the
	# dock can show.
	var headers := PackedStringArray(["User-Agent: " + Protocol.user_agent()])
	peer.handshake_headers = headers
	var error := peer.connect_to_url(_url)
	if error != OK:
		_fail("cannot connect to %s: %s" % [_url, error_string(error)])
		return
	_peer = peer
	_last_message_msec = Time.get_ticks_msec()
	_set_state(State.CONNECTING)


func _poll() -> void:
	if _peer == null:
		return
	_peer.poll()
	match _peer.get_ready_state():
		WebSocketPeer.STATE_CONNECTING:
			if Time.get_ticks_msec() - _last_message_msec > CONNECT_TIMEOUT_MSEC:
				_fail("no answer from " + _url)
		WebSocketPeer.STATE_OPEN:
			_receive_all()
			if _peer != null and _state == State.CONNECTING \
					and Time.get_ticks_msec() - _last_message_msec > CONNECT_TIMEOUT_MSEC:
				# The socket opened but no handshake came (not a gateway, or a stuck one): try again.
				_peer.close(CLOSE_COMING_BACK, "no handshake")
				_fail("connected to %s but no handshake came" % _url)
			elif _peer != null and _gateway_silent_too_long():
				_peer.close(CLOSE_COMING_BACK, "no heartbeat")
				_fail("the gateway stopped sending heartbeats")
		WebSocketPeer.STATE_CLOSED:
			var code := _peer.get_close_code()
			var reason := _peer.get_close_reason()
			_peer = null
			_client_id = ""
			if code == CLOSE_DUPLICATE:
				# The token was already used: the next connection starts as a new client.
				_session()["resume_token"] = ""
			if _user_disconnected:
				_set_state(State.DISCONNECTED)
			elif code == CLOSE_REPLACED:
				# Another connection of this editor holds the id now: reconnecting would only fight it.
				_user_disconnected = true
				_last_error = "another connection of this editor took over its id"
				_set_state(State.DISCONNECTED)
			elif code == CLOSE_POLICY and reason.contains("authentication"):
				_fail("the gateway refused the token: check it in this dock (it is in the gateway's token file)")
			else:
				_fail("connection closed (%d %s)" % [code, reason] if code != -1 else "cannot reach " + _url)


func _gateway_silent_too_long() -> bool:
	var allowed_msec := int(_heartbeat_interval * MISSED_HEARTBEATS_ALLOWED * 1000.0)
	return _state == State.CONNECTED and Time.get_ticks_msec() - _last_message_msec > allowed_msec


## Reads every packet that has arrived, then handles them in order. A command cancelled by a later
## packet of the same batch is dropped unanswered (it has not started); a cancel for a command already
## run is ignored, and the gateway discards that command's answer.
func _receive_all() -> void:
	var batch: Array[Dictionary] = []
	var cancelled := {}
	while _peer != null and _peer.get_available_packet_count() > 0:
		_last_message_msec = Time.get_ticks_msec()
		var message: Variant = JSON.parse_string(_peer.get_packet().get_string_from_utf8())
		if not message is Dictionary:
			push_warning("[godot_mcp] ignoring a message that is not a JSON object")
			continue
		var data: Dictionary = message
		if str(data.get("type", "")) == "cancel":
			cancelled[str(data.get("id", ""))] = true
		else:
			batch.append(data)
	for data in batch:
		if _peer == null:
			return
		if data.has("command") and cancelled.has(str(data.get("id", ""))):
			continue
		_receive(data)


func _receive(data: Dictionary) -> void:
	match str(data.get("type", "")):
		"handshake":
			_on_handshake(data)
		"heartbeat":
			_send(Protocol.heartbeat_response(data.get("timestamp")))
		"heartbeat_response":
			pass
		"resume_rejected":
			push_warning("[godot_mcp] the gateway did not know this editor's earlier id; continuing as " + _client_id)
		"error":
			_last_error = str(data.get("error", "unknown error"))
			push_warning("[godot_mcp] gateway: " + _last_error)
			_emit_status()
		_:
			if data.has("command"):
				_on_command(data)


## The first handshake of a connection carries a fresh id and token; identify presents the previous
## connection's token to get that id back. A resumed handshake (`resumed: true`) gives the old id and a
## new token, and needs no second identify.
func _on_handshake(data: Dictionary) -> void:
	_client_id = str(data.get("clientId", ""))
	var previous_token := str(_session().get("resume_token", ""))
	_session()["resume_token"] = str(data.get("resumeToken", ""))
	if bool(data.get("resumed", false)):
		_emit_status()
		return
	var interval_msec := float(data.get("heartbeatInterval", DEFAULT_HEARTBEAT_INTERVAL * 1000.0))
	_heartbeat_interval = maxf(interval_msec / 1000.0, 0.1)
	_send(Protocol.identify({"commands": _registry.describe()}, previous_token, _token))
	_backoff.reset()
	_last_error = ""
	_set_state(State.CONNECTED)


func _on_command(data: Dictionary) -> void:
	var command := str(data.get("command", ""))
	var id := str(data.get("id", ""))
	if command == "shutdown":
		# The gateway is going away: acknowledge, close, and keep trying to reconnect so a restarted
		# gateway finds the editor again.
		_send(Protocol.shutdown_ack())
		_peer.close(NORMAL_CLOSURE, "shutdown acknowledged")
		return
	if _running.has(id):
		# Sent again after a resume while it still runs: its answer goes out when it finishes.
		return
	var memory := _answer_memory()
	var now := Time.get_ticks_msec() / 1000.0
	if memory.has(id, now):
		# Sent again after a resume: it already ran, so its answer is repeated, not the command.
		_send_text(memory.answer_for(id, now))
		return
	_running[id] = true
	var outcome: Dictionary = await _registry.execute(command, data.get("params", {}), _progress_reporter(id))
	_running.erase(id)
	_commands_handled += 1
	var answer := JSON.stringify(Protocol.response(id, outcome))
	memory.remember(id, answer, Time.get_ticks_msec() / 1000.0)
	_send_text(answer)
	_emit_status()


## Sends {"type":"progress"} for command `id` (the gateway forwards it to the host and extends the
## command's deadline).
func _progress_reporter(id: String) -> Callable:
	return func(done: int, total: int, message: String) -> void:
		_send({"type": "progress", "id": id, "progress": done, "total": total, "message": message})


## The answers kept for re-sent commands, created on first use (a session from an older version of the
## addon, kept across a plugin reload, held a Dictionary there: it is replaced).
func _answer_memory() -> AnswerMemory:
	var memory: Variant = _session().get("answers")
	if not memory is AnswerMemory:
		memory = AnswerMemory.new(ANSWER_BYTES_KEPT, RESUME_KEEP_SEC)
		_session()["answers"] = memory
	return memory


## Something happened in the editor (see events/editor_events.gd): told to the gateway when connected.
func send_event(event: String, data: Dictionary) -> void:
	if _state == State.CONNECTED:
		_send({"type": "event", "event": event, "data": data})


func _send(message: Dictionary) -> void:
	_send_text(JSON.stringify(message))


func _send_text(text: String) -> void:
	if _peer == null or _peer.get_ready_state() != WebSocketPeer.STATE_OPEN:
		return
	var error := _peer.send_text(text)
	if error != OK:
		push_warning("[godot_mcp] could not send a message: " + error_string(error))


func _fail(message: String) -> void:
	_last_error = message
	_close_peer(CLOSE_COMING_BACK, "")
	if _user_disconnected:
		_set_state(State.DISCONNECTED)
		return
	var delay := _backoff.next_delay()
	_retry_at_msec = Time.get_ticks_msec() + int(delay * 1000.0)
	_set_state(State.WAITING_TO_RETRY)


func _close_peer(code: int, reason: String) -> void:
	if _peer == null:
		return
	if _peer.get_ready_state() == WebSocketPeer.STATE_OPEN:
		_peer.close(code, reason)
		_peer.poll()  # flush the close frame now: the editor may be exiting
	_peer = null
	_client_id = ""


func _set_state(state: State) -> void:
	_state = state
	_emit_status()


func _emit_status() -> void:
	status_changed.emit(status())
