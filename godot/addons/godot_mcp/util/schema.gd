@tool
extends RefCounted
## Checks command params against the subset of JSON Schema the commands use: type, properties,
## required, additionalProperties, items and enum. Returns "" when valid, else what is wrong.

const MAX_DEPTH := 32


static func validate(value: Variant, schema: Dictionary, where: String = "params", depth: int = 0) -> String:
	if depth > MAX_DEPTH:
		return "%s is nested too deeply" % where
	if schema.has("type") and not _has_type(value, str(schema["type"])):
		return "%s must be %s" % [where, _article(str(schema["type"]))]
	if schema.has("enum") and not (schema["enum"] as Array).has(value):
		return "%s must be one of %s" % [where, JSON.stringify(schema["enum"])]
	if value is Dictionary:
		return _validate_object(value, schema, where, depth)
	if value is Array and schema.has("items"):
		var items: Array = value
		for index in items.size():
			var problem := validate(items[index], schema["items"], "%s[%d]" % [where, index], depth + 1)
			if not problem.is_empty():
				return problem
	return ""


static func _validate_object(object: Dictionary, schema: Dictionary, where: String, depth: int) -> String:
	var properties: Dictionary = schema.get("properties", {})
	for required: String in schema.get("required", []):
		if not object.has(required):
			return "%s.%s is required" % [where, required]
	for key: Variant in object:
		if properties.has(key):
			var problem := validate(object[key], properties[key], "%s.%s" % [where, key], depth + 1)
			if not problem.is_empty():
				return problem
		elif schema.get("additionalProperties", true) == false:
			return "%s has an unknown field '%s'" % [where, key]
	return ""


static func _has_type(value: Variant, type: String) -> bool:
	match type:
		"string":
			return value is String
		"number":
			return value is float or value is int
		"integer":
			return value is int or (value is float and is_finite(value) and floorf(value) == value)
		"boolean":
			return value is bool
		"object":
			return value is Dictionary
		"array":
			return value is Array
		"null":
			return value == null
	return true


static func _article(type: String) -> String:
	return ("an " if type in ["object", "array", "integer"] else "a ") + type
