@tool
extends RefCounted
## Finds a GDScript's compile errors with their lines and messages, in a separate headless Godot process,
## never in the editor. Godot's API only returns an error code from `Script.reload()` (the messages go to
## the Output panel), and compiling a `@tool` script in the editor runs its static initialisers there, so
## the editor's own executable is started in a thread with `--check-only --script check_in_child.gd`: that
## script compiles the source as the file it will be (util/check_in_child.gd says how) and Godot prints
## each error's message and "at: <function> (<file>:<line>)". The source travels in a scratch file under
## user:// (outside the project: the editor never scans or imports it), deleted afterwards.

const CHILD_SCRIPT := "check_in_child.gd"
const SCRATCH_FOLDER := "user://godot_mcp_check"
## Where an unsaved source is compiled when the caller names no path: in the project's root (so res://
## preloads resolve), under a name no project file has. No file is written there.
const UNSAVED_PATH := "res://.godot_mcp_unsaved.gd"
## A check that has not finished by then is reported as not done and its process is killed.
const TIMEOUT_MSEC := 30000
## Both are applied to Godot's output lines; tests/integration/test_script_checker_patterns.py reads them
## here. The error line is recognised by the message GDScript::reload() gives it ("Parse Error: ",
## "Compile Error: "), whatever the logger puts before it ("SCRIPT ERROR:" on Godot 4.2-4.4's terminal
## logger, other prefixes and colours elsewhere).
const ERROR_LINE_PATTERN := "^.*?(?<message>(?:Parse|Compile) Error: .*?)\\s*$"
const LOCATION_LINE_PATTERN := "^\\s*at:\\s.*\\((?<file>res://[^()]*?|built-in):(?<line>\\d+)\\)\\s*$"
const COLOUR_PATTERN := "\\x1b\\[[0-9;]*m"
const DONE_PATTERN := "^GODOT_MCP_CHECKED (?<error>-?\\d+)\\s*$"
const MAX_ERRORS := 50

## Threads of checks that outlived their timeout, joined once they end (so one checker lives as long as
## the commands that use it).
var _stragglers: Array[Thread] = []


## Checks the saved file at `path` as itself. A coroutine: returns
## {"checked": true, "errors": [{"path", "line", "message"}]} or {"checked": false, "reason": String}.
func check_file(path: String) -> Dictionary:
	return await _check(ProjectSettings.globalize_path(path), path)


## Checks `source` as if it were saved at `as_path` (default: an unsaved script in the project's root);
## nothing in the project changes. A coroutine, as check_file; errors in the source itself name `as_path`
## (null when none was given).
func check_source(source: String, as_path: String = "") -> Dictionary:
	var made := DirAccess.make_dir_recursive_absolute(SCRATCH_FOLDER)
	if made != OK and made != ERR_ALREADY_EXISTS:
		return {"checked": false, "reason": "could not create %s: %s" % [SCRATCH_FOLDER, error_string(made)]}
	var scratch := "%s/source_%d_%d.txt" % [SCRATCH_FOLDER, OS.get_process_id(), Time.get_ticks_usec()]
	var file := FileAccess.open(scratch, FileAccess.WRITE)
	if file == null:
		return {"checked": false, "reason": "could not write %s: %s" % [scratch, error_string(FileAccess.get_open_error())]}
	file.store_string(source)
	file.close()
	var target := as_path if not as_path.is_empty() else UNSAVED_PATH
	var outcome: Dictionary = await _check(ProjectSettings.globalize_path(scratch), target)
	DirAccess.remove_absolute(scratch)
	if as_path.is_empty():
		for error in outcome.get("errors", []):
			if (error as Dictionary)["path"] == UNSAVED_PATH:
				error["path"] = null
	return outcome


func _check(source_file: String, as_path: String) -> Dictionary:
	_collect_stragglers()
	var pid_file := ProjectSettings.globalize_path(
			"%s/pid_%d_%d" % [SCRATCH_FOLDER, OS.get_process_id(), Time.get_ticks_usec()])
	DirAccess.make_dir_recursive_absolute(SCRATCH_FOLDER)
	var child := (get_script() as Script).resource_path.get_base_dir().path_join(CHILD_SCRIPT)
	var arguments := PackedStringArray([
		"--headless", "--path", ProjectSettings.globalize_path("res://"), "--check-only", "--script", child,
		"--", source_file, as_path, pid_file])
	var thread := Thread.new()
	if thread.start(_execute.bind(OS.get_executable_path(), arguments)) != OK:
		return {"checked": false, "reason": "could not start a thread to run Godot's parser"}
	var started := Time.get_ticks_msec()
	while thread.is_alive():
		if Time.get_ticks_msec() - started > TIMEOUT_MSEC:
			# OS.execute() blocks its thread until the child ends: end the child, by the id it wrote.
			var pid := FileAccess.get_file_as_string(pid_file).to_int() if FileAccess.file_exists(pid_file) else 0
			if pid > 0:
				OS.kill(pid)
			DirAccess.remove_absolute(pid_file)
			_stragglers.append(thread)
			return {"checked": false, "reason": "Godot's parser did not finish within %d s%s" % [
				TIMEOUT_MSEC / 1000, "; it was stopped" if pid > 0 else " (and could not be stopped)"]}
		await (Engine.get_main_loop() as SceneTree).process_frame
	var run: Dictionary = thread.wait_to_finish()
	DirAccess.remove_absolute(pid_file)
	return interpret(str(run["output"]), int(run["exit_code"]))


## What a child's output says: its errors, or why it says nothing reliable.
static func interpret(output: String, exit_code: int) -> Dictionary:
	var done := RegEx.create_from_string(DONE_PATTERN)
	var marker: RegExMatch = null
	for line in output.split("\n"):
		var found := done.search(line.strip_edges())
		if found != null:
			marker = found
	var errors := parse_output(output)
	if marker == null:
		return {"checked": false, "reason": "Godot's parser exited with %d before checking the script" % exit_code}
	if errors.is_empty() and marker.get_string("error").to_int() != OK:
		return {"checked": false, "reason": "Godot could not compile the script (%s) and named no error" % error_string(
				marker.get_string("error").to_int())}
	return {"checked": true, "errors": errors}


## Godot's output → [{"path", "line", "message"}]: every parse or compile error with the location line after it.
static func parse_output(output: String) -> Array:
	var colour := RegEx.create_from_string(COLOUR_PATTERN)
	var error_line := RegEx.create_from_string(ERROR_LINE_PATTERN)
	var location_line := RegEx.create_from_string(LOCATION_LINE_PATTERN)
	var lines := colour.sub(output, "", true).replace("\r", "").split("\n")
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
			error["path"] = location.get_string("file") if location.get_string("file") != "built-in" else null
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
