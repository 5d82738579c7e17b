@tool
extends "command_area.gd"
## The editor itself: which scenes are open and what is selected.

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
