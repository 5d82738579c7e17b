@tool
extends EditorPlugin
## Wires the addon together: settings, the gateway connection, the command registry and the dock.
## Nothing else happens here; each part lives in its own script.

const Settings := preload("settings.gd")
const GatewayConnection := preload("connection/gateway_connection.gd")
const CommandRegistry := preload("commands/command_registry.gd")
const McpDock := preload("ui/mcp_dock.gd")
const EditorEvents := preload("events/editor_events.gd")
const GameLink := preload("game/game_link.gd")
## The autoload that answers the editor from inside the running game (game/game_bridge.gd).
const GAME_AUTOLOAD := "GodotMCPGame"

var _settings: Settings
var _connection: GatewayConnection
var _registry: CommandRegistry
var _dock: McpDock
var _events: EditorEvents
var _game_link: GameLink


func _enter_tree() -> void:
	_ensure_game_autoload()
	_settings = Settings.new()
	_game_link = GameLink.new()
	add_debugger_plugin(_game_link)
	_registry = CommandRegistry.new(get_undo_redo(), _game_link)
	_connection = GatewayConnection.new(_registry)
	_connection.name = "GatewayConnection"
	add_child(_connection)
	_events = EditorEvents.new(self)
	_events.name = "EditorEvents"
	add_child(_events)
	_events.event_ready.connect(_connection.send_event)

	_dock = McpDock.new()
	_dock.name = "MCP"
	add_control_to_dock(DOCK_SLOT_RIGHT_UL, _dock)
	_dock.show_settings(_settings.url, _settings.token, _settings.auto_connect)
	_dock.connect_requested.connect(_on_connect_requested)
	_dock.disconnect_requested.connect(_connection.disconnect_from_gateway)
	_dock.auto_connect_toggled.connect(func(enabled: bool) -> void: _settings.auto_connect = enabled)
	_connection.status_changed.connect(_dock.show_status)

	if _settings.auto_connect:
		_connection.connect_to_gateway(_settings.url, _settings.effective_token())
	else:
		_dock.show_status(_connection.status())


func _exit_tree() -> void:
	# Disabling the addon or closing the editor: say goodbye with a normal close (1000).
	if _connection != null:
		_connection.shut_down()
	if _game_link != null:
		remove_debugger_plugin(_game_link)
	if _dock != null:
		remove_control_from_docks(_dock)
		_dock.queue_free()
	_dock = null
	_connection = null
	_registry = null
	_events = null
	_game_link = null


## Enabling the addon adds the game-side autoload; the running game answers the runtime tools with it.
func _enable_plugin() -> void:
	_ensure_game_autoload()


## Also at every start: a plugin enabled by editing project.godot never gets _enable_plugin.
func _ensure_game_autoload() -> void:
	if not ProjectSettings.has_setting("autoload/" + GAME_AUTOLOAD):
		add_autoload_singleton(GAME_AUTOLOAD, (get_script() as Script).resource_path.get_base_dir().path_join(
				"game/game_bridge.gd"))


func _disable_plugin() -> void:
	if ProjectSettings.has_setting("autoload/" + GAME_AUTOLOAD):
		remove_autoload_singleton(GAME_AUTOLOAD)


func _on_connect_requested(url: String, token: String) -> void:
	_settings.url = url
	_settings.token = token
	_connection.connect_to_gateway(url, _settings.effective_token())
