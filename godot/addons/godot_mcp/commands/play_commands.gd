@tool
extends "command_area.gd"
## Running the game from the editor: play the main, current or a given scene, stop it, ask whether it runs.

const COMMANDS := {
	"play_scene": {
		"description": "Run the game from the editor: the main scene (default), the scene being edited, or a given scene.",
		"input_schema": {
			"type": "object",
			"properties": {
				"scene": {
					"type": "string",
					"description": "'main' (default), 'current', or a res:// path to a .tscn/.scn file",
				},
			},
			"required": [],
			"additionalProperties": false,
		},
	},
	"stop_scene": {
		"description": "Stop the game the editor is running.",
		"input_schema": {"type": "object", "properties": {}, "required": [], "additionalProperties": false},
	},
	"get_play_state": {
		"description": "Whether the editor is running the game, and which scene.",
		"read_only": true,
		"input_schema": {"type": "object", "properties": {}, "required": [], "additionalProperties": false},
	},
}
const SCENE_EXTENSIONS := ["tscn", "scn"]


func get_commands() -> Dictionary:
	return COMMANDS


func cmd_play_scene(params: Dictionary) -> Dictionary:
	var scene: String = params.get("scene", "main")
	if scene == "main":
		if str(ProjectSettings.get_setting("application/run/main_scene", "")).is_empty():
			return fail("The project has no main scene (Project Settings → Application → Run); give a scene")
		EditorInterface.play_main_scene()
	elif scene == "current":
		if scene_root() == null:
			return fail("No scene is open in the editor")
		EditorInterface.play_current_scene()
	else:
		var problem := PathGuard.check(scene, PackedStringArray(SCENE_EXTENSIONS))
		if not problem.is_empty():
			return fail(problem)
		if not ResourceLoader.exists(scene):
			return fail("no scene at " + scene)
		EditorInterface.play_custom_scene(scene)
	return ok({"playing": true, "scene": scene})


func cmd_stop_scene(_params: Dictionary) -> Dictionary:
	var was_playing := EditorInterface.is_playing_scene()
	if was_playing:
		EditorInterface.stop_playing_scene()
	return ok({"stopped": was_playing})


func cmd_get_play_state(_params: Dictionary) -> Dictionary:
	var playing := EditorInterface.is_playing_scene()
	return ok({"playing": playing, "scene": EditorInterface.get_playing_scene() if playing else null})
