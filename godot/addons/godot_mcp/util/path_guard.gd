@tool
extends RefCounted
## Keeps every file an agent names inside the project's own files: res:// paths only, no "..", no
## absolute filesystem paths, only the extensions a command expects, and never
## - a hidden file or folder (a segment starting with "."): .godot/ holds the editor's caches and, since
##   Godot 4.1, export_credentials.cfg (keystore passwords, the encryption key); .git/, .svn/, .hg/ hold
##   version control (remote URLs with tokens); .env files hold secrets. Godot's own file system dock
##   skips hidden entries too (EditorFileSystem::_scan_new_dir, DirAccess::current_is_hidden).
## - a file whose name says it holds credentials (keys, certificates, keystores), wherever it is;
## - a path through a symbolic link that leads out of the project (Godot's FileAccess follows links:
##   drivers/unix/file_access_unix.cpp opens with fopen). Links are seen with DirAccess.is_link() and
##   read_link() (drivers/unix/dir_access_unix.cpp: lstat, readlink), which Godot 4.3 binds. Godot 4.2
##   cannot see links from GDScript: on Linux, macOS and the BSDs the system's `realpath` and `find` are
##   asked instead; elsewhere on 4.2 only the depth bound of listings protects (against a link loop).

## Folders of version-control systems that do not start with "." (CVS, Darcs).
const VCS_FOLDERS := ["CVS", "_darcs"]
## Names (lower case) of files that hold credentials, and their extensions.
const CREDENTIAL_NAMES := ["export_credentials.cfg", "credentials.json", "id_rsa", "id_ed25519", "id_ecdsa"]
const CREDENTIAL_EXTENSIONS := ["pem", "key", "p12", "pfx", "keystore", "jks", "crt", "cer", "der"]
## A path is followed through at most this many links before it is refused (a loop never ends).
const MAX_LINKS := 16

## Godot 4.2 on Unix: the project's real root, asked of the system once.
static var _real_root := ""


## Returns "" when `path` is acceptable, else the reason it is not.
static func check(path: String, extensions: PackedStringArray = PackedStringArray()) -> String:
	if not path.begins_with("res://"):
		return "path must start with res:// (got '%s')" % path
	var inner := path.substr(6)
	if inner.is_empty():
		return "path names no file"
	if inner.contains("\\") or inner.begins_with("/") or inner.contains(":"):
		return "path must be a plain res:// path (got '%s')" % path
	for part in inner.split("/"):
		if part == ".." or part == ".":
			return "path must not contain '.' or '..' segments (got '%s')" % path
		if part.is_empty():
			return "path must not contain empty segments (got '%s')" % path
		var refused := refused_name(part)
		if not refused.is_empty():
			return "%s: %s" % [path, refused]
	if not extensions.is_empty() and not extensions.has(path.get_extension().to_lower()):
		return "path must end in .%s (got '%s')" % [" or .".join(extensions), path]
	return leaves_project(path)


## Why a file or folder of this name is never shown to an agent, or "" when it may be.
static func refused_name(name: String) -> String:
	if name.begins_with("."):
		return "hidden files and folders (.godot, .git, .env ...) are not the project's own files"
	if VCS_FOLDERS.has(name):
		return "version-control folders are not the project's own files"
	var lower := name.to_lower()
	if CREDENTIAL_NAMES.has(lower) or CREDENTIAL_EXTENSIONS.has(lower.get_extension()):
		return "files holding keys or credentials are not shown to agents"
	return ""


## "" when no segment of `path` is a symbolic link leading outside the project, else why not.
static func leaves_project(path: String) -> String:
	var root := ProjectSettings.globalize_path("res://").simplify_path().trim_suffix("/")
	if not DirAccess.open("res://").has_method("is_link"):
		return _leaves_project_by_system(path, root)
	var current := "res://"
	var links := 0
	for part in path.substr(6).split("/"):
		var dir := DirAccess.open(current)
		if dir == null:
			return ""
		if bool(dir.call("is_link", part)):
			links += 1
			if links > MAX_LINKS:
				return "%s goes through too many symbolic links (a loop?)" % path
			var target := str(dir.call("read_link", part))
			if target.is_relative_path():
				target = ProjectSettings.globalize_path(current).path_join(target)
			target = target.simplify_path()
			if target != root and not target.begins_with(root + "/"):
				return "%s is a symbolic link that leads out of the project" % current.path_join(part)
		current = current.path_join(part)
	return ""


## Whether the entry `name` of `folder` (opened as `dir`) is a symbolic link. On Godot 4.2 it is looked up
## in `system_links` (from links_under()).
static func is_link(dir: DirAccess, folder: String, name: String, system_links: Dictionary = {}) -> bool:
	if dir.has_method("is_link"):
		return bool(dir.call("is_link", name))
	return system_links.has(ProjectSettings.globalize_path(folder.path_join(name)).simplify_path())


## Godot 4.2 only (4.3+ answers {} and asks DirAccess instead): the symbolic links under `folder`, as
## {absolute path: true}, found by the system's `find` (which does not follow links). {} where there is none.
static func links_under(folder: String) -> Dictionary:
	if DirAccess.open("res://").has_method("is_link") or not _system_can_tell():
		return {}
	var output: Array = []
	if OS.execute("find", [ProjectSettings.globalize_path(folder), "-type", "l"], output) != 0 or output.is_empty():
		return {}
	var links := {}
	for line in str(output[0]).split("\n", false):
		links[line.simplify_path()] = true
	return links


## Godot 4.2: the real path of `path` (every link resolved) by the system's `realpath`, compared with the
## project's real root. Where the system cannot tell, the path passes.
static func _leaves_project_by_system(path: String, root: String) -> String:
	if not _system_can_tell():
		return ""
	if _real_root.is_empty():
		_real_root = _real_path(root)
	var real_root := _real_root
	# A file about to be created has no real path yet: its nearest existing folder has.
	var probe := path
	while probe != "res://" and not FileAccess.file_exists(probe) and not DirAccess.dir_exists_absolute(probe):
		probe = probe.get_base_dir()
	var real := _real_path(ProjectSettings.globalize_path(probe))
	if real_root.is_empty() or real.is_empty() or real == real_root or real.begins_with(real_root + "/"):
		return ""
	return "%s leads out of the project through a symbolic link" % path


static func _system_can_tell() -> bool:
	return OS.get_name() in ["Linux", "macOS", "FreeBSD", "NetBSD", "OpenBSD", "BSD"]


static func _real_path(absolute: String) -> String:
	var output: Array = []
	if OS.execute("realpath", [absolute], output) != 0 or output.is_empty():
		return ""
	return str(output[0]).strip_edges().simplify_path()
