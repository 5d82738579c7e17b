extends SceneTree
# A Godot 3 client of the gateway built on the engine's own WebSocketClient, to prove the gateway
# interoperates with Godot's WebSocket implementation. It connects, identifies, answers one routed
# command, drops the connection and reconnects presenting its resume token (getting its id back),
# answers another command and acknowledges shutdown, printing "ENGINE_TEST <event>" lines for the test.
# Run: godot3-server --path tests/engine -s gateway_client.gd  (GATEWAY_PORT, GATEWAY_TOKEN in the environment)

const TIMEOUT_MSEC = 20000

var _client = WebSocketClient.new()
var _deadline = 0
var _answered = 0
var _url = ""
var _resume_token = ""
var _reconnecting = false


func _init():
	var port = int(OS.get_environment("GATEWAY_PORT"))
	_client.connect("connection_established", self, "_on_connected")
	_client.connect("data_received", self, "_on_data")
	_client.connect("connection_closed", self, "_on_closed")
	_client.connect("connection_error", self, "_on_error")
	_deadline = OS.get_ticks_msec() + TIMEOUT_MSEC
	_url = "ws://127.0.0.1:%d/?type=godot" % port
	var error = _client.connect_to_url(_url)
	if error != OK:
		_report("connect_failed %d" % error)
		quit(2)


func _idle(_delta):
	_client.poll()
	if OS.get_ticks_msec() > _deadline:
		_report("timeout")
		quit(3)
	return false


func _on_connected(_protocol):
	# Godot 3 sends binary frames unless told otherwise; the protocol is JSON text.
	_client.get_peer(1).set_write_mode(WebSocketPeer.WRITE_MODE_TEXT)
	_report("connected")


func _on_data():
	var text = _client.get_peer(1).get_packet().get_string_from_utf8()
	var parsed = JSON.parse(text)
	if parsed.error != OK or typeof(parsed.result) != TYPE_DICTIONARY:
		_report("bad_message")
		return
	var message = parsed.result
	if message.get("type") == "handshake" and message.get("resumed", false):
		_resume_token = str(message.get("resumeToken"))
		_report("resumed " + str(message.get("clientId")))
	elif message.get("type") == "handshake":
		_report("handshake " + str(message.get("clientId")))
		var previous = _resume_token
		_resume_token = str(message.get("resumeToken"))
		# The token goes in identify: this client sets no headers on the upgrade request.
		var identify = {"type": "identify", "clientType": "godot", "clientVersion": "engine-test",
			"godotVersion": Engine.get_version_info().get("string", "3"),
			"token": OS.get_environment("GATEWAY_TOKEN"), "resumable": true}
		if previous != "":
			identify["resumeToken"] = previous
		_send(identify)
	elif message.get("type") == "heartbeat":
		_send({"type": "heartbeat_response", "timestamp": message.get("timestamp")})
	elif message.get("command") == "shutdown":
		_report("shutdown")
		_send({"command": "shutdown_ack", "timestamp": OS.get_unix_time(), "client_id": "godot_mcp_client"})
		_client.disconnect_from_host(1000, "shutdown acknowledged")
	elif message.has("command"):
		_answered += 1
		_report("command " + str(message.get("command")))
		_send({"id": message.get("id"), "success": true, "error": null, "timestamp": OS.get_unix_time(),
			"result": {"engine": "godot " + Engine.get_version_info().get("string", "3"),
				"params": message.get("params")}})
		if _answered == 1:
			# Drop the link once, as a network blip would, and come back with the resume token. Not
			# with 1000 or 1001: the gateway takes those as leaving on purpose and keeps nothing.
			_reconnecting = true
			_client.disconnect_from_host(4000, "reconnecting")


func _on_closed(was_clean):
	if _reconnecting:
		_reconnecting = false
		_report("reconnecting")
		var error = _client.connect_to_url(_url)
		if error != OK:
			_report("reconnect_failed %d" % error)
			quit(2)
		return
	_report("closed clean=%s answered=%d" % [str(was_clean), _answered])
	quit(0 if _answered > 1 else 4)


func _on_error():
	_report("connection_error")
	quit(5)


func _send(message):
	_client.get_peer(1).put_packet(JSON.print(message).to_utf8())


func _report(event):
	print("ENGINE_TEST " + event)
