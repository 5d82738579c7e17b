@tool
extends "command_area.gd"
## Running the game from the editor: play the main, current or a given scene, stop it, ask whether it runs.
## play_scene answers once the game runs (its debugger session started, the addon's autoload listening)
## or says why it did not start. What the editor does (editor/gui/editor_run_bar.cpp, EditorRunBar::
## _run_scene): a never-saved current scene opens a Save dialog and runs nothing; a failed build (C#)
## returns before running; otherwise the debugger server starts and the game process is created, all
## before play_*_scene returns, so "not playing" right after the call means it did not start.

const COMMANDS := {
	"play_scene": {
		"description":
		"Run the game from the editor: the main scene (default), the scene being edited, or a given scene. "
			+ "Answers once the game is running, or says why it did not start.",
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
## How long the game may take to connect its debugger, and then to load the autoload.
const CONNECT_TIMEOUT_MSEC := 20000
const LISTEN_TIMEOUT_MSEC := 5000


func get_commands() -> Dictionary:
	return COMMANDS


func cmd_play_scene(params: Dictionary) -> Dictionary:
	var reporter := progress
	var scene: String = params.get("scene", "main")
	var problem := _cannot_play(scene)
	if not problem.is_empty():
		return fail(problem)
	var runs_before := game_link.started_runs if game_link != null else 0
	if scene == "main":
		EditorInterface.play_main_scene()
	elif scene == "current":
		EditorInterface.play_current_scene()
	else:
		EditorInterface.play_custom_scene(scene)
	if not EditorInterface.is_playing_scene():
		return fail("the editor did not start the game: for a C# project the build may have failed (see the "
				+ "MSBuild panel and get_output), or the editor showed a dialog instead (see get_output)")
	if game_link == null:
		return ok({"playing": true, "scene": scene, "note": "the link to the game is not set up; not waited for"})
	return await _wait_until_running(scene, runs_before, reporter)


## Why `scene` cannot be played, or "".
func _cannot_play(scene: String) -> String:
	if scene == "main":
		if str(ProjectSettings.get_setting("application/run/main_scene", "")).is_empty():
			return "The project has no main scene (Project Settings → Application → Run); give a scene"
		return ""
	if scene == "current":
		if scene_root() == null:
			return "No scene is open in the editor"
		if scene_root().scene_file_path.is_empty():
			# The editor would open a Save dialog and run nothing.
			return "The scene being edited has never been saved; save it first (save_scene with a path)"
		return ""
	var problem := PathGuard.check(scene, PackedStringArray(SCENE_EXTENSIONS))
	if problem.is_empty() and not ResourceLoader.exists(scene):
		problem = "no scene at " + scene
	return problem


## Waits (bounded) for the new run's debugger session, then for the game's autoload to listen.
## Reports progress every second: the gateway ends a command that is silent for its timeout (10 s).
func _wait_until_running(scene: String, runs_before: int, reporter: Callable) -> Dictionary:
	var started := Time.get_ticks_msec()
	var next_report := started + 1000
	var total := CONNECT_TIMEOUT_MSEC + LISTEN_TIMEOUT_MSEC
	while game_link.started_runs == runs_before:
		if Time.get_ticks_msec() >= next_report:
			next_report += 1000
			report(reporter, Time.get_ticks_msec() - started, total, "waiting for the game's debugger to connect")
		if not EditorInterface.is_playing_scene():
			return fail("the game stopped before its debugger connected (a crash at start?); see get_output")
		if Time.get_ticks_msec() - started > CONNECT_TIMEOUT_MSEC:
			return fail("the game process started but its debugger did not connect within %d s; see get_output"
					% (CONNECT_TIMEOUT_MSEC / 1000))
		await (Engine.get_main_loop() as SceneTree).process_frame
	var connected := Time.get_ticks_msec()
	while not game_link.is_listening() and not game_link.watch.paused:
		if Time.get_ticks_msec() >= next_report:
			next_report += 1000
			report(reporter, Time.get_ticks_msec() - started, total, "waiting for the game's autoload")
		if game_link.active_session_id() < 0:
			return fail("the game stopped right after it started (a crash, or quit() at start); see get_output "
					+ "and get_errors")
		if Time.get_ticks_msec() - connected > LISTEN_TIMEOUT_MSEC:
			return ok({"playing": true, "scene": scene, "listening": false, "note": "the game runs, but the "
					+ "GodotMCPGame autoload did not answer; the runtime tools need it (Project Settings → Globals)"})
		await (Engine.get_main_loop() as SceneTree).process_frame
	var answer := {"playing": true, "scene": scene, "listening": game_link.is_listening(),
		"started_ms": Time.get_ticks_msec() - started}
	if game_link.watch.paused:
		answer["paused_by"] = game_link.watch.paused_error()
		answer["note"] = "the game stopped in the debugger at start; see get_debugger_state"
	return ok(answer)


func cmd_stop_scene(_params: Dictionary) -> Dictionary:
	var was_playing := EditorInterface.is_playing_scene()
	if was_playing:
		EditorInterface.stop_playing_scene()
	return ok({"stopped": was_playing})


func cmd_get_play_state(_params: Dictionary) -> Dictionary:
	var playing := EditorInterface.is_playing_scene()
	return ok({"playing": playing, "scene": EditorInterface.get_playing_scene() if playing else null})
