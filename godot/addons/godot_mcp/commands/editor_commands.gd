@tool
extends "command_area.gd"
## The editor itself: which scenes are open, what is selected, and what its viewports show.

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
	"get_editor_screenshot": {
		"description": "A PNG of the editor's 2D or 3D viewport, as an image the agent can look at.",
		"read_only": true,
		"returns_image": true,
		"input_schema": {
			"type": "object",
			"properties": {
				"viewport": {"type": "string", "enum": ["2d", "3d"], "description": "Which viewport (default 2d)"},
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
	var viewport: SubViewport = EditorInterface.get_editor_viewport_3d(0) if which == "3d" \
			else EditorInterface.get_editor_viewport_2d()
	if viewport == null:
		return fail("the %s viewport is not available" % which)
	var image := viewport.get_texture().get_image()
	if image == null or image.is_empty():
		return fail("the %s viewport has no picture yet (is its main screen open?)" % which)
	var longest: int = params.get("max_size", 1280)
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
