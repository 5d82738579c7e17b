@tool
extends RefCounted
## Converts between JSON values and Godot values: JSON arrays or objects become Vector2/3, Color,
## Rect2 and so on where a property expects them; res:// strings become resources; Godot values are
## turned back into JSON for results.

const MathConverter := preload("math_converter.gd")
const PathGuard := preload("path_guard.gd")


## Converts `value` to the type of `property` on `object`. Returns {"value": v} or {"error": text}.
static func to_property(object: Object, property: String, value: Variant) -> Dictionary:
	for info: Dictionary in object.get_property_list():
		if info["name"] == property:
			return to_type(value, int(info["type"]), str(info.get("hint_string", "")))
	return {"error": "%s has no property '%s'" % [object.get_class(), property]}


static func to_type(value: Variant, type: int, hint: String = "") -> Dictionary:
	match type:
		TYPE_NIL:
			return {"value": value}
		TYPE_BOOL:
			if value is bool:
				return {"value": value}
		TYPE_INT:
			if (value is float or value is int) and floorf(float(value)) == float(value):
				return {"value": int(value)}
		TYPE_FLOAT:
			if value is float or value is int:
				return {"value": float(value)}
		TYPE_STRING:
			return {"value": str(value)}
		TYPE_STRING_NAME:
			return {"value": StringName(str(value))}
		TYPE_NODE_PATH:
			if value is String:
				return {"value": NodePath(value)}
		TYPE_VECTOR2, TYPE_VECTOR2I:
			var numbers := _numbers(value, ["x", "y"])
			if numbers.size() == 2:
				var vector := Vector2(numbers[0], numbers[1])
				return {"value": Vector2i(vector) if type == TYPE_VECTOR2I else vector}
		TYPE_VECTOR3, TYPE_VECTOR3I:
			var numbers := _numbers(value, ["x", "y", "z"])
			if numbers.size() == 3:
				var vector := Vector3(numbers[0], numbers[1], numbers[2])
				return {"value": Vector3i(vector) if type == TYPE_VECTOR3I else vector}
		TYPE_RECT2:
			var numbers := _numbers(value, ["x", "y", "width", "height"])
			if numbers.size() == 4:
				return {"value": Rect2(numbers[0], numbers[1], numbers[2], numbers[3])}
		TYPE_COLOR:
			return _to_color(value)
		TYPE_OBJECT:
			return _to_resource(value, hint)
		TYPE_ARRAY:
			if value is Array:
				return {"value": value}
		TYPE_DICTIONARY:
			if value is Dictionary:
				return {"value": value}
		TYPE_RECT2I, TYPE_VECTOR4, TYPE_VECTOR4I, TYPE_QUATERNION, TYPE_PLANE, TYPE_AABB, TYPE_TRANSFORM2D, TYPE_BASIS, \
				TYPE_TRANSFORM3D:
			return MathConverter.from_json(value, type)
		TYPE_PACKED_BYTE_ARRAY, TYPE_PACKED_INT32_ARRAY, TYPE_PACKED_INT64_ARRAY, TYPE_PACKED_FLOAT32_ARRAY, \
				TYPE_PACKED_FLOAT64_ARRAY, TYPE_PACKED_STRING_ARRAY, TYPE_PACKED_VECTOR2_ARRAY, TYPE_PACKED_VECTOR3_ARRAY:
			return MathConverter.packed_from_json(value, type)
		_:
			# Callables, signals, RIDs, projections...: nothing a JSON value can stand for.
			return {"error": "a %s cannot be set from JSON" % type_string(type)}
	return {"error": "cannot use %s as %s" % [JSON.stringify(value), type_string(type)]}


static func _numbers(value: Variant, keys: Array) -> Array[float]:
	var numbers: Array[float] = []
	var items: Array = []
	if value is Array:
		items = value
	elif value is Dictionary:
		for key: String in keys:
			if not (value as Dictionary).has(key):
				return []
			items.append(value[key])
	if items.size() != keys.size():
		return []
	for item: Variant in items:
		if not (item is float or item is int):
			return []
		numbers.append(float(item))
	return numbers


static func _to_color(value: Variant) -> Dictionary:
	if value is String and Color.html_is_valid(value):
		return {"value": Color.html(value)}
	if value is String:
		var named := Color.from_string(value, Color(0, 0, 0, -1))
		if named.a >= 0.0:
			return {"value": named}
	var rgba := _numbers(value, ["r", "g", "b", "a"])
	if rgba.size() == 4:
		return {"value": Color(rgba[0], rgba[1], rgba[2], rgba[3])}
	var rgb := _numbers(value, ["r", "g", "b"])
	if rgb.size() == 3:
		return {"value": Color(rgb[0], rgb[1], rgb[2])}
	return {"error": "a color is \"#rrggbb\", a color name, [r, g, b(, a)] or {r, g, b(, a)}"}


static func _to_resource(value: Variant, hint: String) -> Dictionary:
	if value == null:
		return {"value": null}
	if not value is String:
		return {"error": "a resource is given by its res:// path"}
	var problem := PathGuard.check(value)
	if not problem.is_empty():
		return {"error": problem}
	if not ResourceLoader.exists(value):
		return {"error": "no resource at " + str(value)}
	var resource := load(value)
	if not hint.is_empty() and resource != null:
		var fits := false
		for accepted in hint.split(","):
			if resource.is_class(accepted.strip_edges()):
				fits = true
		if not fits:
			return {"error": "%s is a %s, not a %s" % [value, resource.get_class(), hint]}
	return {"value": resource}


## A JSON-friendly form of any Godot value, for results.
static func to_json(value: Variant, depth: int = 0) -> Variant:
	if depth > 16:
		return str(value)
	match typeof(value):
		TYPE_NIL, TYPE_BOOL, TYPE_INT, TYPE_STRING:
			return value
		TYPE_FLOAT:
			return value if is_finite(value) else str(value)
		TYPE_STRING_NAME, TYPE_NODE_PATH:
			return str(value)
		TYPE_VECTOR2, TYPE_VECTOR2I:
			return {"x": value.x, "y": value.y}
		TYPE_VECTOR3, TYPE_VECTOR3I:
			return {"x": value.x, "y": value.y, "z": value.z}
		TYPE_COLOR:
			return {"r": value.r, "g": value.g, "b": value.b, "a": value.a}
		TYPE_RECT2, TYPE_RECT2I:
			return {"x": value.position.x, "y": value.position.y,
				"width": value.size.x, "height": value.size.y}
		TYPE_OBJECT:
			if value == null:
				return null
			if value is Resource and not (value as Resource).resource_path.is_empty():
				return {"class": value.get_class(), "path": (value as Resource).resource_path}
			return {"class": value.get_class()}
		TYPE_ARRAY, TYPE_PACKED_STRING_ARRAY, TYPE_PACKED_INT32_ARRAY, TYPE_PACKED_FLOAT32_ARRAY:
			var items: Array = []
			for item: Variant in value:
				items.append(to_json(item, depth + 1))
			return items
		TYPE_DICTIONARY:
			var object := {}
			for key: Variant in value:
				object[str(key)] = to_json(value[key], depth + 1)
			return object
	return str(value)
