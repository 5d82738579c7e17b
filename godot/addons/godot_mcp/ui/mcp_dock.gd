@tool
extends VBoxContainer
## The MCP dock: connection state, gateway URL, client id, last error, commands handled, a
## connect/disconnect toggle, the access token and the auto-connect switch. It only shows and asks;
## the plugin decides. Below them, "Connect an AI app" (connect_app_section.gd) sets up MCP hosts.

signal connect_requested(url: String, token: String)
signal disconnect_requested
signal auto_connect_toggled(enabled: bool)

const ConnectAppSection := preload("connect_app_section.gd")

const STATE_COLORS := {
	"CONNECTED": Color(0.35, 0.8, 0.45),
	"CONNECTING": Color(0.95, 0.75, 0.3),
	"WAITING_TO_RETRY": Color(0.95, 0.55, 0.3),
	"DISCONNECTED": Color(0.6, 0.6, 0.6),
}

var _state_label := Label.new()
var _url_edit := LineEdit.new()
var _token_edit := LineEdit.new()
var _client_id_label := Label.new()
var _error_label := Label.new()
var _commands_label := Label.new()
var _toggle_button := Button.new()
var _auto_connect_check := CheckBox.new()
var _connected := false
var _connect_app := ConnectAppSection.new()


func _init() -> void:
	add_theme_constant_override("separation", 6)
	_state_label.text = "Disconnected"
	add_child(_state_label)

	_url_edit.placeholder_text = "ws://127.0.0.1:8765"
	_url_edit.tooltip_text = "Address of godot-mcp-gateway"
	add_child(_row("Gateway", _url_edit))

	_token_edit.secret = true
	_token_edit.placeholder_text = "(read from the gateway's token file)"
	_token_edit.tooltip_text = "Access token of the gateway. Empty: read ~/.config/godot-mcp-gateway/token"
	add_child(_row("Token", _token_edit))

	_toggle_button.text = "Connect"
	_toggle_button.pressed.connect(_on_toggle_pressed)
	add_child(_toggle_button)

	_auto_connect_check.text = "Connect when the editor starts"
	_auto_connect_check.toggled.connect(func(enabled: bool) -> void: auto_connect_toggled.emit(enabled))
	add_child(_auto_connect_check)

	add_child(HSeparator.new())
	_client_id_label.text = "Client id: -"
	_client_id_label.autowrap_mode = TextServer.AUTOWRAP_ARBITRARY
	add_child(_client_id_label)
	_commands_label.text = "Commands handled: 0"
	add_child(_commands_label)
	_error_label.autowrap_mode = TextServer.AUTOWRAP_WORD_SMART
	_error_label.add_theme_color_override("font_color", Color(0.95, 0.45, 0.4))
	add_child(_error_label)

	add_child(HSeparator.new())
	add_child(_connect_app)


func show_settings(url: String, token: String, auto_connect: bool) -> void:
	_url_edit.text = url
	_token_edit.text = token
	_connect_app.set_gateway_url(url)
	_auto_connect_check.set_pressed_no_signal(auto_connect)


## Shows a status from the connection (see gateway_connection.gd `status()`).
func show_status(status: Dictionary) -> void:
	var state := str(status.get("state", "DISCONNECTED"))
	_connected = state != "DISCONNECTED"
	_state_label.text = state.capitalize()
	_state_label.add_theme_color_override("font_color", STATE_COLORS.get(state, Color.WHITE))
	_toggle_button.text = "Disconnect" if _connected else "Connect"
	var client_id := str(status.get("client_id", ""))
	_client_id_label.text = "Client id: " + (client_id if not client_id.is_empty() else "-")
	_commands_label.text = "Commands handled: %d" % int(status.get("commands_handled", 0))
	var last_error := str(status.get("last_error", ""))
	_error_label.text = "" if last_error.is_empty() else "Last error: " + last_error


func _on_toggle_pressed() -> void:
	if _connected:
		disconnect_requested.emit()
	else:
		_connect_app.set_gateway_url(_url_edit.text.strip_edges())
		connect_requested.emit(_url_edit.text.strip_edges(), _token_edit.text.strip_edges())


func _row(caption: String, field: Control) -> HBoxContainer:
	var row := HBoxContainer.new()
	var label := Label.new()
	label.text = caption
	label.custom_minimum_size.x = 64
	row.add_child(label)
	field.size_flags_horizontal = Control.SIZE_EXPAND_FILL
	row.add_child(field)
	return row
