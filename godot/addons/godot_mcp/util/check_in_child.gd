extends RefCounted
## RUNS ONLY IN THE CHILD PROCESS that util/script_checker.gd starts (`godot --headless --check-only
## --script <this file> -- <source file> <as path> <pid file>`), never in the editor: it compiles the
## source it is given as the script at <as path>, so class names and relative preloads resolve as they will
## there, and Godot prints each error ("Parse Error: ..." with "at: GDScript::reload (<path>:<line>)").
## Deliberately not @tool: the editor never runs it.
##
## Why a static variable: with --check-only, Main::start() (main/main.cpp) only loads the --script file and
## returns whether it is valid; loading compiles it (GDScript::reload), and a script compiled where
## scripting is enabled (any process but the editor) runs its static initialisers (GDScript::_static_init),
## which is where this check runs. The last line printed says it ran; without it the checker reports
## "not checked" instead of "valid".

const DONE_MARKER := "GODOT_MCP_CHECKED"

static var _ran := _check_from_arguments()


static func _check_from_arguments() -> bool:
	var arguments := OS.get_cmdline_user_args()
	if arguments.size() != 3:
		print("%s %d" % [DONE_MARKER, ERR_INVALID_PARAMETER])
		return false
	# The parent kills this process by this id when the check takes too long.
	var pid_file := FileAccess.open(arguments[2], FileAccess.WRITE)
	if pid_file != null:
		pid_file.store_string(str(OS.get_process_id()))
		pid_file.close()
	var checked := GDScript.new()
	checked.source_code = FileAccess.get_file_as_string(arguments[0])
	checked.take_over_path(arguments[1])
	var error := checked.reload()
	print("%s %d" % [DONE_MARKER, error])
	return true
