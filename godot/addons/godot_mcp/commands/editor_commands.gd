@tool
extends "command_area.gd"
## The editor itself: which scenes are open, what is selected, and what its viewports show.

const OutputView := preload("../util/output_view.gd")

## Source and stack lines kept for one error.
const MAX_ERROR_DETAILS := 12

const COMMANDS := {
	"get_editor_state": {
		"description": "The editor's state: open scenes, the scene being edited and the selected nodes.",
		"read_only": true,
		"input_schema": {
			"type": "object",
			"properties": {},
			"required": [],
			"additionalProperties": false,
		},
	},
	"get_output": {
		"description": "Lines of the editor's Output panel (print() of tool scripts and the game, editor messages).",
		"read_only": true,
		"input_schema": {
			"type": "object",
			"properties": {
				"since": {"type": "integer", "minimum": 0, "description": "First line (default 0); pass the last 'next'"},
				"limit": {"type": "integer", "minimum": 1, "maximum": 2000, "description": "Most lines (default 200)"},
			},
			"required": [],
			"additionalProperties": false,
		},
	},
	"get_errors": {
		"description":
		"The errors and warnings (with severity) the debugger lists for the running or last run game, and where.",
		"read_only": true,
		"input_schema": {
			"type": "object",
			"properties": {
				"since": {"type": "integer", "minimum": 0, "description": "First entry (default 0); pass the last 'next'"},
				"limit": {"type": "integer", "minimum": 1, "maximum": 1000, "description": "Most entries (default 100)"},
			},
			"required": [],
			"additionalProperties": false,
		},
	},
	"get_editor_screenshot": {
		"description":
		"A PNG of the editor's 2D or 3D viewport, or of the running game's window, as an image the agent can look at.",
		"read_only": true,
		"returns_image": true,
		"input_schema": {
			"type": "object",
			"properties": {
				"viewport": {
					"type": "string", "enum": ["2d", "3d", "game"],
					"description": "Which viewport (default 2d); 'game' is the window of the game the editor runs",
				},
				"max_size": {
					"type": "integer", "minimum": 64, "maximum": 4096,
					"description": "Longest side in pixels; larger images are scaled down (default 1280)",
				},
			},
			"required": [],
			"additionalProperties": false,
		},
	},
}


func get_commands() -> Dictionary:
	return COMMANDS


func cmd_get_editor_state(_params: Dictionary) -> Dictionary:
	var root := scene_root()
	var selected: Array = []
	for node in EditorInterface.get_selection().get_selected_nodes():
		selected.append(path_of(node))
	return ok({
		"open_scenes": Array(EditorInterface.get_open_scenes()),
		"current_scene": root.scene_file_path if root != null else null,
		"selected_nodes": selected,
	})


func cmd_get_editor_screenshot(params: Dictionary) -> Dictionary:
	var which: String = params.get("viewport", "2d")
	var longest: int = params.get("max_size", 1280)
	if which == "game":
		return await _game_screenshot(longest)
	var viewport: SubViewport = EditorInterface.get_editor_viewport_3d(0) if which == "3d" \
			else EditorInterface.get_editor_viewport_2d()
	if viewport == null:
		return fail("the %s viewport is not available" % which)
	var image := viewport.get_texture().get_image()
	if image == null or image.is_empty():
		return fail("the %s viewport has no picture yet (is its main screen open?)" % which)
	if maxi(image.get_width(), image.get_height()) > longest:
		var ratio := float(longest) / maxi(image.get_width(), image.get_height())
		image.resize(maxi(1, int(image.get_width() * ratio)), maxi(1, int(image.get_height() * ratio)))
	return ok({
		"image_data": Marshalls.raw_to_base64(image.save_png_to_buffer()),
		"image_mime_type": "image/png",
		"viewport": which,
		"width": image.get_width(),
		"height": image.get_height(),
	})


## The game is another process: its window is captured by the addon's autoload inside it and sent over
## the debugger connection (game/game_bridge.gd, game/game_link.gd).
func _game_screenshot(longest: int) -> Dictionary:
	if game_link == null:
		return fail("the link to the running game is not set up (is the addon enabled?)")
	var answer: Dictionary = await game_link.request_screenshot(longest)
	if answer.has("error"):
		return fail(answer["error"])
	return ok({
		"image_data": Marshalls.raw_to_base64(answer["png"]),
		"image_mime_type": "image/png",
		"viewport": "game",
		"width": answer["width"],
		"height": answer["height"],
	})


## Godot 4 has no API for the Output panel: it is read from the editor's own EditorLog control. What that
## shows depends on its view (editor/editor_log.cpp, EditorLog's constructor): the search box, the message
## type filters and "collapse duplicates" hide or merge lines. So the view is set to show everything for
## the moment of reading (the same frame: nothing is drawn in between) and put back as it was; when the
## panel's layout is not the known one, the text is read as shown and the answer says the view is unknown.
## The panel is cleared when a run starts (run/output/always_clear_output_on_play): `runs_started` counts
## the runs, and a cursor past the end starts again from 0 and says so.
func cmd_get_output(params: Dictionary) -> Dictionary:
	var logs := EditorInterface.get_base_control().find_children("*", "EditorLog", true, false)
	var labels := logs[0].find_children("*", "RichTextLabel", true, false) if not logs.is_empty() else []
	if labels.is_empty():
		return fail("the Output panel was not found in this editor's layout")
	var view := OutputView.new(logs[0])
	var unfiltered := view.show_everything()
	var lines := (labels[0] as RichTextLabel).get_parsed_text().split("\n")
	view.restore()
	var since: int = params.get("since", 0)
	var restarted := since > lines.size()
	if restarted:
		since = 0
	var end := mini(lines.size(), since + int(params.get("limit", 200)))
	return ok({
		"lines": Array(lines.slice(since, end)), "next": end, "total": lines.size(), "restarted": restarted,
		"runs_started": int(Engine.get_meta("godot_mcp_runs_started", 0)), "unfiltered": unfiltered,
	})


## Nor for the debugger's errors: they are read from its Errors list (a Tree inside ScriptEditorDebugger),
## one entry per row, with the rows under it (source and stack lines) as details. The list is found by its
## shape, not its tab's title (which is translated): the Tree of two columns that selects whole rows, hides
## its root and sits under a row of buttons (Expand All, Collapse All, Clear), with its context menu as a
## child (editor/debugger/script_editor_debugger.cpp, the ScriptEditorDebugger constructor). The list is
## cleared when a new run starts; a cursor past its end then starts again from 0 and says so.
func cmd_get_errors(params: Dictionary) -> Dictionary:
	var rows: Array = []
	var found := false
	for debugger in EditorInterface.get_base_control().find_children("*", "ScriptEditorDebugger", true, false):
		for tree: Node in debugger.find_children("*", "Tree", true, false):
			if is_error_list(tree as Tree):
				found = true
				rows.append_array(_error_rows(tree as Tree))
	if not found:
		return fail("the debugger's error list was not found in this editor's layout")
	var since: int = params.get("since", 0)
	var restarted := since > rows.size()
	if restarted:
		since = 0
	var end := mini(rows.size(), since + int(params.get("limit", 100)))
	# The runtime error that stopped the game is not in that list: the debugger shows it above the stack.
	var paused: Variant = game_link.watch.paused_error() if game_link != null and game_link.watch.paused else null
	return ok({"errors": rows.slice(since, end), "next": end, "total": rows.size(), "restarted": restarted,
		"paused_by": paused})


static func is_error_list(tree: Tree) -> bool:
	if tree.columns != 2 or tree.select_mode != Tree.SELECT_ROW or not tree.hide_root:
		return false
	if tree.find_children("*", "PopupMenu", false, false).is_empty():
		return false
	var page := tree.get_parent()
	var toolbar := page.get_child(0) if page != null and page.get_child_count() > 1 else null
	return toolbar is HBoxContainer and toolbar.find_children("*", "Button", false, false).size() >= 3


static func _error_rows(tree: Tree) -> Array:
	var warning_icon: Texture2D = null
	var theme := EditorInterface.get_editor_theme()
	if theme != null and theme.has_icon("Warning", "EditorIcons"):
		warning_icon = theme.get_icon("Warning", "EditorIcons")
	var rows: Array = []
	var item := tree.get_root().get_first_child() if tree.get_root() != null else null
	while item != null:
		var details := PackedStringArray()
		for detail in item.get_children().slice(0, MAX_ERROR_DETAILS):
			details.append(("%s %s" % [detail.get_text(0), detail.get_text(1)]).strip_edges())
		rows.append({
			"time": item.get_text(0), "message": item.get_text(1), "details": Array(details),
			"severity": _severity(item, warning_icon),
		})
		item = item.get_next()
	return rows


## "warning" or "error": from the row's marks (Godot 4.3+ sets "_is_warning"/"_is_error" metadata), else
## from its icon (the editor theme's "Warning" icon marks warnings).
static func _severity(item: TreeItem, warning_icon: Texture2D) -> String:
	if item.has_meta("_is_warning"):
		return "warning"
	if item.has_meta("_is_error"):
		return "error"
	return "warning" if warning_icon != null and item.get_icon(0) == warning_icon else "error"
