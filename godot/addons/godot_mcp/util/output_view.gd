@tool
extends RefCounted
## The Output panel's view (EditorLog, editor/editor_log.cpp): set to show every message for a moment and
## put back. In EditorLog's constructor the toggle buttons come in this order: "collapse duplicates"
## (off by default), "show search" (on), then one filter per message type - standard, error, warning,
## editor (on); the search box is its only LineEdit. Any other layout is left alone.

const TOGGLES_IN_KNOWN_LAYOUT := 6
const COLLAPSE := 0
const FIRST_FILTER := 2

var _toggles: Array[Button] = []
var _search: LineEdit
var _saved_pressed: Array[bool] = []
var _saved_search := ""
var _changed := false


func _init(editor_log: Node = null) -> void:
	if editor_log == null:
		return
	for button: Node in editor_log.find_children("*", "Button", true, false):
		if (button as Button).toggle_mode:
			_toggles.append(button as Button)
	var edits := editor_log.find_children("*", "LineEdit", true, false)
	_search = edits[0] as LineEdit if edits.size() == 1 else null


## Shows every message: no search text, every type filter on, duplicates not collapsed. Returns whether it
## could (true), or whether the layout was not the known one (false: the text is read as shown).
func show_everything() -> bool:
	if _toggles.size() != TOGGLES_IN_KNOWN_LAYOUT or _search == null:
		return false
	for button in _toggles:
		_saved_pressed.append(button.button_pressed)
	_saved_search = _search.text
	_changed = true
	# Setting these emits `toggled` (EditorLog rebuilds its text at once); the search box's text_changed
	# is not emitted for a text set from code, so it is emitted here as typing would.
	_toggles[COLLAPSE].button_pressed = false
	for index in range(FIRST_FILTER, _toggles.size()):
		_toggles[index].button_pressed = true
	if not _saved_search.is_empty():
		_search.text = ""
		_search.text_changed.emit("")
	return true


## Puts the view back as it was.
func restore() -> void:
	if not _changed:
		return
	for index in _toggles.size():
		if index == COLLAPSE or index >= FIRST_FILTER:
			_toggles[index].button_pressed = _saved_pressed[index]
	if not _saved_search.is_empty():
		_search.text = _saved_search
		_search.text_changed.emit(_saved_search)
	_changed = false
