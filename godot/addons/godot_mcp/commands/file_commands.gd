@tool
extends "command_area.gd"
## The project's files under res://: list them, search their text, read one. Every answer is bounded.

const COMMANDS := {
	"list_files": {
		"description": "List the project's files under a res:// folder, recursively, optionally matching a glob ('*.gd').",
		"read_only": true,
		"input_schema": {
			"type": "object",
			"properties": {
				"path": {"type": "string", "description": "Folder to list (default res://)"},
				"pattern": {"type": "string", "description": "Glob on the file name, e.g. '*.tscn' (default: all)"},
				"limit": {"type": "integer", "minimum": 1, "maximum": 5000, "description": "Most files to return (default 500)"},
			},
			"required": [],
			"additionalProperties": false,
		},
	},
	"search_files": {
		"description": "Find lines containing a text in the project's text files (reports progress on large projects).",
		"read_only": true,
		"input_schema": {
			"type": "object",
			"properties": {
				"query": {"type": "string", "description": "Text to find (case-sensitive)"},
				"path": {"type": "string", "description": "Folder to search (default res://)"},
				"pattern": {"type": "string", "description": "Glob on the file name (default: text files)"},
				"limit": {"type": "integer", "minimum": 1, "maximum": 1000, "description": "Most matches to return (default 100)"},
			},
			"required": ["query"],
			"additionalProperties": false,
		},
	},
	"read_file": {
		"description": "Read a text file of the project (at most 1 MiB).",
		"read_only": true,
		"input_schema": {
			"type": "object",
			"properties": {"path": {"type": "string", "description": "res:// path of the file"}},
			"required": ["path"],
			"additionalProperties": false,
		},
	},
}
const TEXT_EXTENSIONS := ["gd", "gdshader", "tscn", "tres", "cfg", "json", "md", "txt", "csv", "import", "godot", "cs"]
const MAX_READ_BYTES := 1024 * 1024
## Searching stops after reading this much, so one call cannot stall the editor.
const MAX_SEARCH_BYTES := 64 * 1024 * 1024
## A file larger than this is not searched (it is listed under "skipped"): searching reads whole files
## on the editor's main thread.
const MAX_SEARCHED_FILE_BYTES := 2 * 1024 * 1024
## A file with a NUL byte in its first bytes is binary and not searched.
const BINARY_SNIFF_BYTES := 8000
## Searching reports progress and lets the editor draw a frame after this many files or this many bytes.
const FILES_PER_STEP := 200
const BYTES_PER_STEP := 4 * 1024 * 1024
## Listing goes at most this deep: a symbolic-link loop (which Godot 4.2 cannot see) ends here.
const MAX_DEPTH := 32


func get_commands() -> Dictionary:
	return COMMANDS


func cmd_list_files(params: Dictionary) -> Dictionary:
	var folder: String = params.get("path", "res://")
	var problem := _check_folder(folder)
	if not problem.is_empty():
		return fail(problem)
	var files: Array = []
	var limit: int = params.get("limit", 500)
	_collect(folder, str(params.get("pattern", "*")), files, limit + 1, 0, PathGuard.links_under(folder))
	return ok({"files": files.slice(0, limit), "truncated": files.size() > limit})


func cmd_search_files(params: Dictionary) -> Dictionary:
	var folder: String = params.get("path", "res://")
	var problem := _check_folder(folder)
	if not problem.is_empty():
		return fail(problem)
	var query: String = params["query"]
	if query.is_empty():
		return fail("query must not be empty")
	var reporter := progress
	var limit: int = params.get("limit", 100)
	var files: Array = []
	_collect(folder, str(params.get("pattern", "*")), files, 100000, 0, PathGuard.links_under(folder))
	var matches: Array = []
	var skipped: Array = []
	var scanned := 0
	var scanned_since_frame := 0
	for file_index in files.size():
		var path: String = files[file_index]
		if file_index > 0 and (file_index % FILES_PER_STEP == 0 or scanned_since_frame > BYTES_PER_STEP):
			scanned_since_frame = 0
			report(reporter, file_index, files.size(), "searched %d of %d files" % [file_index, files.size()])
			await (Engine.get_main_loop() as SceneTree).process_frame
		if not params.has("pattern") and not TEXT_EXTENSIONS.has(path.get_extension().to_lower()):
			continue
		var text: Variant = _searchable_text(path)
		if text == null:
			skipped.append(path)
			continue
		scanned += (text as String).length()
		scanned_since_frame += (text as String).length()
		if (text as String).contains(query):
			var lines := (text as String).split("\n")
			for index in lines.size():
				if lines[index].contains(query):
					matches.append({"path": path, "line": index + 1, "text": lines[index].strip_edges().left(300)})
					if matches.size() >= limit:
						return ok({"matches": matches, "truncated": true, "skipped": skipped})
		if scanned > MAX_SEARCH_BYTES:
			return ok({"matches": matches, "truncated": true, "skipped": skipped,
				"reason": "searched 64 MiB; narrow path or pattern"})
	return ok({"matches": matches, "truncated": false, "skipped": skipped})


## The text of a file worth searching, or null: too large (over 2 MiB) or binary.
static func _searchable_text(path: String) -> Variant:
	var file := FileAccess.open(path, FileAccess.READ)
	if file == null or file.get_length() > MAX_SEARCHED_FILE_BYTES:
		return null
	var head := file.get_buffer(mini(BINARY_SNIFF_BYTES, file.get_length()))
	if head.has(0):
		return null
	file.seek(0)
	return file.get_as_text()


func cmd_read_file(params: Dictionary) -> Dictionary:
	var path: String = params["path"]
	var problem := PathGuard.check(path)
	if not problem.is_empty():
		return fail(problem)
	if not FileAccess.file_exists(path):
		return fail("no file at " + path)
	var file := FileAccess.open(path, FileAccess.READ)
	if file == null:
		return fail("could not read %s: %s" % [path, error_string(FileAccess.get_open_error())])
	if file.get_length() > MAX_READ_BYTES:
		return fail("%s is %d bytes; read_file returns at most %d" % [path, file.get_length(), MAX_READ_BYTES])
	return ok({"path": path, "content": file.get_as_text()})


static func _check_folder(folder: String) -> String:
	if folder == "res://":
		return ""
	return PathGuard.check(folder.trim_suffix("/"))


## Adds the files under `folder` whose names match `pattern`, depth first, at most `limit`. Hidden
## entries (.godot, .git, .env), version-control folders and credential files are never listed
## (util/path_guard.gd); symbolic links to folders are not followed (a link loop would never end) and
## links that lead out of the project are left out. `links`: PathGuard.links_under() (Godot 4.2 only).
static func _collect(folder: String, pattern: String, into: Array, limit: int, depth: int, links: Dictionary) -> void:
	var dir := DirAccess.open(folder)
	if dir == null or depth > MAX_DEPTH:
		return
	for file_name in dir.get_files():
		if into.size() >= limit:
			return
		var path := folder.path_join(file_name)
		if file_name.match(pattern) and PathGuard.refused_name(file_name).is_empty() \
				and (not PathGuard.is_link(dir, folder, file_name, links) or PathGuard.leaves_project(path).is_empty()):
			into.append(path)
	for sub in dir.get_directories():
		if PathGuard.refused_name(sub).is_empty() and not PathGuard.is_link(dir, folder, sub, links):
			_collect(folder.path_join(sub), pattern, into, limit, depth + 1, links)
