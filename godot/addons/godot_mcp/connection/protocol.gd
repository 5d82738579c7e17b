@tool
extends RefCounted
## The messages of the gateway protocol (the original claude_mcp protocol), built in one place.

const ADDON_VERSION := "0.1.0"
const CLIENT_TYPE := "godot"


## `resume_token`: the token of the last connection's handshake, to get its client id back ("" for none).
## `token`: the gateway's access token ("" when it runs with --no-auth).
static func identify(capabilities: Dictionary, resume_token: String = "", token: String = "") -> Dictionary:
	var message := {
		"type": "identify",
		"clientType": CLIENT_TYPE,
		"clientVersion": ADDON_VERSION,
		"godotVersion": str(Engine.get_version_info().get("string", "")),
		"projectName": str(ProjectSettings.get_setting("application/config/name", "")),
		"projectPath": ProjectSettings.globalize_path("res://"),
		"capabilities": capabilities,
		# This addon comes back after a dropped connection with its resume token and answers re-sent
		# commands from connection/answer_memory.gd, so the gateway may keep its calls waiting for it.
		"resumable": true,
	}
	if not resume_token.is_empty():
		message["resumeToken"] = resume_token
	if not token.is_empty():
		message["token"] = token
	return message


static func heartbeat_response(timestamp: Variant) -> Dictionary:
	return {"type": "heartbeat_response", "timestamp": timestamp}


static func response(id: String, outcome: Dictionary) -> Dictionary:
	var success := bool(outcome.get("success", false))
	return {
		"id": id,
		"success": success,
		"result": outcome.get("result") if success else null,
		"error": null if success else str(outcome.get("error", "unspecified error")),
		"timestamp": Time.get_unix_time_from_system(),
	}


static func shutdown_ack() -> Dictionary:
	return {
		"command": "shutdown_ack",
		"timestamp": Time.get_unix_time_from_system(),
		"client_id": "godot_mcp_client",
	}


static func user_agent() -> String:
	return "Godot/%s godot-mcp/%s" % [str(Engine.get_version_info().get("string", "4")), ADDON_VERSION]
