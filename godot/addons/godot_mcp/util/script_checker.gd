@tool
extends RefCounted
## Finds a GDScript's compile errors with their lines and messages. Godot's API only returns an error
## code from `Script.reload()` (the messages go to the Output panel), so the editor's own executable is
## asked, headless, in a thread: `--check-only --script <file>` parses the file as the project sees it
## and prints each error as "SCRIPT ERROR: <message>" followed by "at: <function> (<file>:<line>)".

## Where sources that are checked without being saved are written for the child process: inside the
## project so class names and res:// preloads resolve, under .godot so the editor does not import them.
const SCRATCH_FOLDER := "res://.godot/godot_mcp_check"
## A check that has not finished by then is reported as not done; its thread is collected later.
const TIMEOUT_MSEC := 30000
## Both are applied to Godot's output lines; tests/integration/test_script_checker.py reads them here.
const ERROR_LINE_PATTERN := "^\\s*SCRIPT ERROR:\\s*(?<message>.*)$"
const LOCATION_LINE_PATTERN := "^\\s*at:\\s.*\\((?<file>res://[^()]*?):(?<line>\\d+)\\)\\s*$"
const COLOUR_PATTERN := "\\x1b\\[[0-9;]*m"
const MAX_ERRORS := 50

## Threads of checks that outlived their timeout, joined once they end (so one checker lives as long as
## the commands that use it).
var _stragglers: Array[Thread] = []


## Checks the saved file at `path`. A coroutine: returns
## {"checked": true, "errors": [{"path", "line", "message"}]} or {"checked": false, "reason": String}.
func check_file(path: String) -> Dictionary:
	_collect_stragglers()
	var arguments := PackedStringArray([
		"--headless", "--path", ProjectSettings.globalize_path("res://"), "--check-only", "--script", path])
	var thread := Thread.new()
	if thread.start(_execute.bind(OS.get_executable_path(), arguments)) != OK:
		return {"checked": false, "reason": "could not start a thread to run Godot's parser"}
	var started := Time.get_ticks_msec()
	while thread.is_alive():
		if Time.get_ticks_msec() - started > TIMEOUT_MSEC:
			_stragglers.append(thread)
			return {"checked": false, "reason": "Godot's parser did not finish within %d s" % (TIMEOUT_MSEC / 1000)}
		await (Engine.get_main_loop() as SceneTree).process_frame
	var run: Dictionary = thread.wait_to_finish()
	var errors := parse_output(str(run["output"]))
	if errors.is_empty() and int(run["exit_code"]) != 0:
		return {"checked": false, "reason": "Godot's parser exited with %d and named no error" % int(run["exit_code"])}
	return {"checked": true, "errors": errors}


## Checks `source` as if it were saved (nothing in the project changes). A coroutine, as check_file.
func check_source(source: String) -> Dictionary:
	var made := DirAccess.make_dir_recursive_absolute(SCRATCH_FOLDER)
	if made != OK and made != ERR_ALREADY_EXISTS:
		return {"checked": false, "reason": "could not create %s: %s" % [SCRATCH_FOLDER, error_string(made)]}
	var path := "%s/check_%d_%d.gd" % [SCRATCH_FOLDER, OS.get_process_id(), Time.get_ticks_usec()]
	var file := FileAccess.open(path, FileAccess.WRITE)
	if file == null:
		return {"checked": false, "reason": "could not write %s: %s" % [path, error_string(FileAccess.get_open_error())]}
	file.store_string(source)
	file.close()
	var outcome: Dictionary = await check_file(path)
	DirAccess.remove_absolute(path)
	for error in outcome.get("errors", []):
		if (error as Dictionary)["path"] == path:
			error["path"] = null
	return outcome


## Godot's output → [{"path", "line", "message"}]: every "SCRIPT ERROR" with the location line after it.
static func parse_output(output: String) -> Array:
	var colour := RegEx.create_from_string(COLOUR_PATTERN)
	var error_line := RegEx.create_from_string(ERROR_LINE_PATTERN)
	var location_line := RegEx.create_from_string(LOCATION_LINE_PATTERN)
	var lines := colour.sub(output, "", true).split("\n")
	var errors: Array = []
	for index in lines.size():
		var found := error_line.search(lines[index])
		if found == null or errors.size() >= MAX_ERRORS:
			continue
		var error := {"path": null, "line": null, "message": found.get_string("message").strip_edges()}
		var location: RegExMatch = null
		if index + 1 < lines.size():
			location = location_line.search(lines[index + 1])
		if location != null:
			error["path"] = location.get_string("file")
			error["line"] = location.get_string("line").to_int()
		errors.append(error)
	return errors


static func _execute(executable: String, arguments: PackedStringArray) -> Dictionary:
	var output: Array = []
	var exit_code := OS.execute(executable, arguments, output, true)
	return {"exit_code": exit_code, "output": "\n".join(PackedStringArray(output))}


func _collect_stragglers() -> void:
	for thread in _stragglers.duplicate():
		if not thread.is_alive():
			thread.wait_to_finish()
			_stragglers.erase(thread)
