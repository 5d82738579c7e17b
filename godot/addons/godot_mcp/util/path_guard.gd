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
##   drivers/unix/file_access_unix.cpp opens with fopen). Links are seen with DirAccess.is_link(), which
##   Godot 4.3 added; on 4.2 links cannot be seen from GDScript, so only the depth bound of listings
##   protects against a link loop there (see the addon's README).

## Folders of version-control systems that do not start with "." (CVS, Darcs).
const VCS_FOLDERS := ["CVS", "_darcs"]
## Names (lower case) of files that hold credentials, and their extensions.
const CREDENTIAL_NAMES := ["export_credentials.cfg", "credentials.json", "id_rsa", "id_ed25519", "id_ecdsa"]
const CREDENTIAL_EXTENSIONS := ["pem", "key", "p12", "pfx", "keystore", "jks", "crt", "cer", "der"]
## A path is followed through at most this many links before it is refused (a loop never ends).
const MAX_LINKS := 16


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


## "" when no segment of `path` is a symbolic link leading outside the project, else why not. Only
## Godot 4.3+ can tell (DirAccess.is_link); on 4.2 every path passes.
static func leaves_project(path: String) -> String:
	var root := ProjectSettings.globalize_path("res://").simplify_path().trim_suffix("/")
	var current := "res://"
	var links := 0
	for part in path.substr(6).split("/"):
		var dir := DirAccess.open(current)
		if dir == null or not dir.has_method("is_link"):
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


## Whether the entry `name` of the folder `dir` is a symbolic link (false on Godot 4.2, which cannot tell).
static func is_link(dir: DirAccess, name: String) -> bool:
	return dir.has_method("is_link") and bool(dir.call("is_link", name))
