@tool
extends RefCounted
## Keeps the Script Editor in step with a script file a command wrote. An open tab keeps its own text and
## the time it last read the file; left alone, the user's next Ctrl+S (or the save before Play) would write
## the old text back and the command's change would be lost without a word. The editor itself reloads a
## tab from disk only when it regains focus (editor/plugins/script_editor_plugin.cpp
## ScriptEditor::_test_script_times_on_disk, ScriptEditor::reload_scripts -> ScriptEditorBase::reload_text),
## so the tab is updated here: a tab showing exactly what the file held before gets the new text and is
## marked saved; a tab with unsaved edits of its own is left alone, and the answer says so.


## Updates the open tab of the script at `path`, if any. Returns what happened, for the command's answer,
## or null when the script is not open.
static func refresh(path: String, before: String, after: String) -> Variant:
	var script_editor := EditorInterface.get_script_editor()
	if script_editor == null:
		return null
	var open := false
	for script: Script in script_editor.get_open_scripts():
		open = open or script.resource_path == path
	if not open:
		return null
	# get_open_scripts() skips tabs that are not scripts (text files, help), so the two lists need not line
	# up: the tab is recognised by its text, which is the file's until the user edits it.
	for editor: ScriptEditorBase in script_editor.get_open_script_editors():
		var code := editor.get_base_editor() as CodeEdit
		if code == null or code.text != before:
			continue
		var line := code.get_caret_line()
		code.text = after
		code.set_caret_line(mini(line, code.get_line_count() - 1))
		code.tag_saved_version()
		return "the open Script Editor tab now shows the new text"
	return ("the Script Editor has unsaved changes to this script: they are not the file any more; saving them"
		+ " there would overwrite this change")
