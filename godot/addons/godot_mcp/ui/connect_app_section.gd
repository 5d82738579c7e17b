@tool
extends VBoxContainer
## The dock's "Connect an AI app" section: the MCP hosts found on this machine (Claude Desktop, Claude
## Code, Cursor, VS Code, Codex, Windsurf, Gemini CLI), which of them already start the gateway, and a
## button that adds it to one. The work is the gateway's own `configure` command, run with OS.execute;
## this section finds the gateway executable (or asks for its path once, kept in EditorSettings) and
## shows what `configure --list --json` and `configure HOST` answer.
##
## Engine behaviour relied on (Godot 4.2-4.4 source): OS.execute with an output array (core/core_bind.cpp,
## OS::execute) blocks, appends all output as one String and returns the exit status, or -1 when the
## command could not be started. On Linux and macOS it runs through popen (drivers/unix/os_unix.cpp,
## OS_Unix::execute): the path and each argument are put in double quotes without escaping and handed to
## /bin/sh, stderr is added (2>&1) only when asked and discarded otherwise, and the status is
## WEXITSTATUS (127 when the shell cannot find the program). Hence paths with ", $, ` or \ are refused.

const BINARY_KEY := "godot_mcp/gateway/executable_path"
const EXECUTABLE := "godot-mcp-gateway"
const DEFAULT_PORT := 8765
const SHELL_SPECIAL := ["\"", "$", "`", "\\"]

var _heading := Label.new()
var _hosts_box := VBoxContainer.new()
var _path_row := HBoxContainer.new()
var _path_edit := LineEdit.new()
var _message_label := Label.new()
var _refresh_button := Button.new()
var _gateway_url := ""


func _init() -> void:
	add_theme_constant_override("separation", 4)
	_heading.text = "Connect an AI app"
	add_child(_heading)

	_path_edit.placeholder_text = "/path/to/godot-mcp-gateway"
	_path_edit.tooltip_text = "The gateway program (the release's godot-mcp-gateway, or .build/release/godot-mcp-gateway)"
	_path_edit.size_flags_horizontal = Control.SIZE_EXPAND_FILL
	_path_edit.text_submitted.connect(func(_text: String) -> void: _use_entered_path())
	_path_row.add_child(_path_edit)
	var use_button := Button.new()
	use_button.text = "Use"
	use_button.pressed.connect(_use_entered_path)
	_path_row.add_child(use_button)
	add_child(_path_row)

	add_child(_hosts_box)
	_message_label.autowrap_mode = TextServer.AUTOWRAP_WORD_SMART
	add_child(_message_label)
	_refresh_button.text = "Look again"
	_refresh_button.tooltip_text = "Look for AI apps on this machine again"
	_refresh_button.pressed.connect(refresh)
	add_child(_refresh_button)


func _ready() -> void:
	refresh.call_deferred()


## The gateway URL the editor uses, so a host is configured for the same port.
func set_gateway_url(url: String) -> void:
	_gateway_url = url


## Lists the hosts again (`configure --list --json`).
func refresh() -> void:
	var executable := find_executable()
	_path_row.visible = executable.is_empty()
	_clear_hosts()
	if executable.is_empty():
		_show_message("Where is godot-mcp-gateway? Enter the path of the program once; it is remembered.")
		return
	var output: Array = []
	var status := OS.execute(executable, PackedStringArray(["configure", "--list", "--json"]), output, false)
	var listing := parse_listing(str(output[0]) if not output.is_empty() else "")
	if status != 0 or listing.is_empty():
		_path_row.visible = true
		_path_edit.text = executable
		_show_message(
			"%s did not answer 'configure --list' (exit status %d). Is it godot-mcp-gateway 0.1 or later?"
			% [executable, status]
		)
		return
	var shown := 0
	for host: Dictionary in listing:
		if bool(host.get("detected", false)) or bool(host.get("configured", false)):
			_hosts_box.add_child(_host_row(executable, host))
			shown += 1
	if shown == 0:
		_show_message(
			"No AI app found for this user (looked for Claude Desktop, Claude Code, Cursor, VS Code, Codex,"
			+ " Windsurf and Gemini CLI)."
		)
	else:
		_show_message("")


## The gateway executable: the path saved in EditorSettings, else the first on PATH or in the usual
## install folders. Empty when there is none.
func find_executable() -> String:
	var settings := EditorInterface.get_editor_settings()
	if settings.has_setting(BINARY_KEY):
		var saved := str(settings.get_setting(BINARY_KEY))
		if is_usable_path(saved):
			return saved
	var folders: PackedStringArray = OS.get_environment("PATH").split(":", false)
	folders.append_array(PackedStringArray([OS.get_environment("HOME").path_join(".local/bin"), "/usr/local/bin"]))
	for folder: String in folders:
		var candidate: String = folder.path_join(EXECUTABLE)
		if is_usable_path(candidate):
			return candidate
	return ""


## An absolute path to an existing file that OS.execute can pass through /bin/sh unchanged.
static func is_usable_path(path: String) -> bool:
	if not path.is_absolute_path() or not path.begins_with("/") or not FileAccess.file_exists(path):
		return false
	for character: String in SHELL_SPECIAL:
		if path.contains(character):
			return false
	return true


## The hosts from `configure --list --json`: an Array of Dictionaries (id, name, path, detected,
## configured, command, restart); empty when the text is not that document.
static func parse_listing(text: String) -> Array:
	var json := JSON.new()
	if json.parse(text) != OK or typeof(json.data) != TYPE_DICTIONARY:
		return []
	var hosts: Variant = (json.data as Dictionary).get("hosts")
	if typeof(hosts) != TYPE_ARRAY:
		return []
	var valid: Array = []
	for host: Variant in hosts:
		if typeof(host) == TYPE_DICTIONARY and (host as Dictionary).has("id"):
			valid.append(host)
	return valid


## The arguments of `configure` for one host; the port goes after -- when the editor uses another one.
static func configure_arguments(host_id: String, gateway_url: String) -> PackedStringArray:
	var arguments := PackedStringArray(["configure", host_id])
	var port := port_of(gateway_url)
	if port > 0 and port != DEFAULT_PORT:
		arguments.append_array(PackedStringArray(["--", "--port", str(port)]))
	return arguments


## The port in ws://host:port/..., or 0 when it has none.
static func port_of(url: String) -> int:
	var rest := url.get_slice("://", 1) if url.contains("://") else url
	var authority := rest.get_slice("/", 0)
	var colon := authority.rfind(":")
	if colon < 0 or authority.ends_with("]"):
		return 0
	var digits := authority.substr(colon + 1)
	return digits.to_int() if digits.is_valid_int() else 0


func _host_row(executable: String, host: Dictionary) -> HBoxContainer:
	var row := HBoxContainer.new()
	var label := Label.new()
	var configured := bool(host.get("configured", false))
	var state := "not set up"
	if configured:
		# An entry that starts another copy (an older build, another folder) is worth updating.
		var command: Variant = host.get("command")
		state = "set up" if typeof(command) == TYPE_STRING and str(command) == executable else "set up for another program"
	label.text = "%s: %s" % [str(host.get("name", host.get("id"))), state]
	label.tooltip_text = str(host.get("path", ""))
	label.size_flags_horizontal = Control.SIZE_EXPAND_FILL
	row.add_child(label)
	var button := Button.new()
	button.text = "Update" if configured else "Set up"
	button.tooltip_text = "Add godot-mcp-gateway to %s" % str(host.get("path", ""))
	button.pressed.connect(_configure.bind(executable, str(host.get("id")), str(host.get("restart", ""))))
	row.add_child(button)
	return row


func _configure(executable: String, host_id: String, restart_hint: String) -> void:
	var output: Array = []
	var status := OS.execute(executable, configure_arguments(host_id, _gateway_url), output, true)
	var answer := (str(output[0]) if not output.is_empty() else "").strip_edges()
	refresh()
	if status == 0:
		_show_message(answer if not answer.is_empty() else restart_hint)
	else:
		_show_message("Setting up %s failed (exit status %d): %s" % [host_id, status, answer])


func _use_entered_path() -> void:
	var path := _path_edit.text.strip_edges()
	if not is_usable_path(path):
		_show_message("%s is not an existing absolute path, or holds \" $ ` or \\ (which the editor cannot pass on)." % path)
		return
	EditorInterface.get_editor_settings().set_setting(BINARY_KEY, path)
	refresh()


func _clear_hosts() -> void:
	for child: Node in _hosts_box.get_children():
		_hosts_box.remove_child(child)
		child.queue_free()


func _show_message(text: String) -> void:
	_message_label.text = text
