@tool
extends RefCounted
## Keeps every file an agent names inside the project: res:// paths only, no "..", no absolute
## filesystem paths, and only the extensions a command expects.


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
	if not extensions.is_empty() and not extensions.has(path.get_extension().to_lower()):
		return "path must end in .%s (got '%s')" % [" or .".join(extensions), path]
	return ""
