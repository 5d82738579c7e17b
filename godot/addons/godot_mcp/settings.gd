@tool
extends RefCounted
## The addon's settings, stored in EditorSettings (per user, not in the project) so a token never lands
## in version control.

const URL_KEY := "godot_mcp/connection/url"
const TOKEN_KEY := "godot_mcp/connection/token"
const AUTO_CONNECT_KEY := "godot_mcp/connection/auto_connect"
const DEFAULT_URL := "ws://127.0.0.1:8765"

var url: String:
	get:
		return str(_get_or_default(URL_KEY, DEFAULT_URL))
	set(value):
		_editor_settings().set_setting(URL_KEY, value.strip_edges())

var token: String:
	get:
		return str(_get_or_default(TOKEN_KEY, ""))
	set(value):
		_editor_settings().set_setting(TOKEN_KEY, value.strip_edges())

var auto_connect: bool:
	get:
		return bool(_get_or_default(AUTO_CONNECT_KEY, true))
	set(value):
		_editor_settings().set_setting(AUTO_CONNECT_KEY, value)


## The token to present: the one set in the dock, else the gateway's own token file when the gateway
## runs on this machine as this user (~/.config/godot-mcp-gateway/token, or under $XDG_CONFIG_HOME).
func effective_token() -> String:
	if not token.is_empty():
		return token
	var config_home := OS.get_environment("XDG_CONFIG_HOME")
	if config_home.is_empty():
		config_home = OS.get_environment("HOME").path_join(".config")
	var path := config_home.path_join("godot-mcp-gateway").path_join("token")
	if not FileAccess.file_exists(path):
		return ""
	return FileAccess.get_file_as_string(path).strip_edges()


func _init() -> void:
	var settings := _editor_settings()
	_declare(settings, URL_KEY, DEFAULT_URL, TYPE_STRING, PROPERTY_HINT_NONE, "")
	_declare(settings, TOKEN_KEY, "", TYPE_STRING, PROPERTY_HINT_PASSWORD, "")
	_declare(settings, AUTO_CONNECT_KEY, true, TYPE_BOOL, PROPERTY_HINT_NONE, "")


func _declare(
	settings: EditorSettings, key: String, default: Variant, type: int, hint: int, hint_string: String
) -> void:
	if not settings.has_setting(key):
		settings.set_setting(key, default)
	settings.set_initial_value(key, default, false)
	settings.add_property_info({"name": key, "type": type, "hint": hint, "hint_string": hint_string})


func _get_or_default(key: String, default: Variant) -> Variant:
	var settings := _editor_settings()
	return settings.get_setting(key) if settings.has_setting(key) else default


func _editor_settings() -> EditorSettings:
	return EditorInterface.get_editor_settings()
