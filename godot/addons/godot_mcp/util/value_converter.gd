@tool
extends RefCounted
## Converts between JSON values and Godot values: JSON arrays or objects become Vector2/3, Color,
## Rect2 and so on where a property expects them; res:// strings become resources; typed arrays get
## their element type; Godot values are turned back into JSON for results, in a form that can be
## written back as it was read.

const MathConverter := preload("math_converter.gd")
const PathGuard := preload("path_guard.gd")
const ProjectClasses := preload("project_classes.gd")
## "<type>/<hint>:<hint string>" (or "<type>:<hint string>"): an exported typed array's element
## (PROPERTY_HINT_TYPE_STRING, core/object/object.h).
const ELEMENT_SPEC_PATTERN := "^(?<type>\\d+)(?:/(?<hint>\\d+))?:(?<hint_string>.*)$"


## Converts `value` to the type of `property` on `object`. Returns {"value": v} or {"error": text}.
static func to_property(object: Object, property: String, value: Variant) -> Dictionary:
	for info: Dictionary in object.get_property_list():
		if info["name"] == property:
			return to_type(value, int(info["type"]), str(info.get("hint_string", "")), int(info.get("hint", 0)))
	return {"error": "%s has no property '%s'" % [object.get_class(), property]}


## `hint` is the property's hint string, `hint_kind` its PROPERTY_HINT_* (typed arrays and resources use them).
static func to_type(value: Variant, type: int, hint: String = "", hint_kind: int = PROPERTY_HINT_NONE) -> Dictionary:
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
			if value is String:
				return {"value": value}
		TYPE_STRING_NAME:
			if value is String:
				return {"value": StringName(value)}
		TYPE_NODE_PATH:
			if value is String:
				return {"value": NodePath(value)}
		TYPE_VECTOR2, TYPE_VECTOR2I:
			var numbers := _numbers(value, ["x", "y"], type == TYPE_VECTOR2I)
			if numbers.size() == 2:
				var vector := Vector2(numbers[0], numbers[1])
				return {"value": Vector2i(vector) if type == TYPE_VECTOR2I else vector}
		TYPE_VECTOR3, TYPE_VECTOR3I:
			var numbers := _numbers(value, ["x", "y", "z"], type == TYPE_VECTOR3I)
			if numbers.size() == 3:
				var vector := Vector3(numbers[0], numbers[1], numbers[2])
				return {"value": Vector3i(vector) if type == TYPE_VECTOR3I else vector}
		TYPE_RECT2, TYPE_RECT2I:
			var numbers := _numbers(value, ["x", "y", "width", "height"], type == TYPE_RECT2I)
			if numbers.size() == 4:
				var rect := Rect2(numbers[0], numbers[1], numbers[2], numbers[3])
				return {"value": Rect2i(rect) if type == TYPE_RECT2I else rect}
		TYPE_COLOR:
			return _to_color(value)
		TYPE_OBJECT:
			return _to_resource(value, hint)
		TYPE_ARRAY:
			if value is Array and hint_kind in [PROPERTY_HINT_ARRAY_TYPE, PROPERTY_HINT_TYPE_STRING] and not hint.is_empty():
				return _to_typed_array(value, hint)
			if value is Array:
				return {"value": value}
		TYPE_DICTIONARY:
			if value is Dictionary:
				return {"value": value}
		TYPE_VECTOR4, TYPE_VECTOR4I, TYPE_QUATERNION, TYPE_PLANE, TYPE_AABB, TYPE_TRANSFORM2D, TYPE_BASIS, \
				TYPE_TRANSFORM3D:
			return MathConverter.from_json(value, type)
		TYPE_PACKED_COLOR_ARRAY:
			if value is Array:
				var colors := PackedColorArray()
				for item: Variant in value:
					var color := _to_color(item)
					if color.has("error"):
						return color
					colors.append(color["value"])
				return {"value": colors}
		TYPE_PACKED_BYTE_ARRAY, TYPE_PACKED_INT32_ARRAY, TYPE_PACKED_INT64_ARRAY, TYPE_PACKED_FLOAT32_ARRAY, \
				TYPE_PACKED_FLOAT64_ARRAY, TYPE_PACKED_STRING_ARRAY, TYPE_PACKED_VECTOR2_ARRAY, TYPE_PACKED_VECTOR3_ARRAY:
			return MathConverter.packed_from_json(value, type)
		_:
			# Callables, signals, RIDs, projections...: nothing a JSON value can stand for.
			return {"error": "a %s cannot be set from JSON" % type_string(type)}
	return {"error": "cannot use %s as %s" % [JSON.stringify(value), type_string(type)]}


## The numbers of [a, b, ...] or {key: ...} in `keys`' order; [] when the value is not that (or, with
## `whole`, when one has a fraction: a Vector2i never silently drops it).
static func _numbers(value: Variant, keys: Array, whole: bool = false) -> Array[float]:
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
		if not (item is float or item is int) or (whole and floorf(float(item)) != float(item)):
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
	if rgba.is_empty():
		rgba = _numbers(value, ["r", "g", "b"])
		if rgba.size() == 3:
			rgba.append(1.0 if value is Dictionary or not _is_0_to_255(value) else 255.0)
	if rgba.size() != 4:
		return {"error": "a color is \"#rrggbb\", a color name, [r, g, b(, a)] or {r, g, b(, a)}"}
	if value is Array and _is_0_to_255(value):
		return {"value": Color(rgba[0] / 255.0, rgba[1] / 255.0, rgba[2] / 255.0, rgba[3] / 255.0)}
	return {"value": Color(rgba[0], rgba[1], rgba[2], rgba[3])}


## An array of whole numbers with one above 1 is 0-255 ([255, 128, 0]); {r, g, b, a} (as colors are read)
## and fractional arrays are 0-1 floats, components above 1 being overbright (HDR).
static func _is_0_to_255(value: Variant) -> bool:
	var items: Array = value
	return items.all(func(item: Variant) -> bool: return floorf(float(item)) == float(item)) \
			and items.any(func(item: Variant) -> bool: return float(item) > 1.0)


static func _to_resource(value: Variant, hint: String) -> Dictionary:
	if value == null:
		return {"value": null}
	if value is Dictionary and (value as Dictionary).get("path") is String:
		value = value["path"]  # {"class", "path"}, as a resource is read
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
			var wanted := accepted.strip_edges()
			if resource.is_class(wanted) or ProjectClasses.script_is_a(resource, wanted):
				fits = true
		if not fits:
			return {"error": "%s is a %s, not a %s" % [value, resource.get_class(), hint]}
	return {"value": resource}


## A JSON array as a typed array (Array[int], Array[Texture2D], Array[MyResource] ...): every item converted
## to the element type, which Godot's typed arrays require (a JSON number is a float, so even [1, 2] would
## not fit an Array[int] unconverted). `element` is the hint: a type name or class, or "<type>/<hint>:<hint
## string>" for exported arrays.
static func _to_typed_array(items: Array, element: String) -> Dictionary:
	var type := TYPE_OBJECT
	var hint := element
	var hint_kind := PROPERTY_HINT_RESOURCE_TYPE
	var spec := RegEx.create_from_string(ELEMENT_SPEC_PATTERN).search(element)
	if spec != null:
		type = spec.get_string("type").to_int()
		hint = spec.get_string("hint_string")
		hint_kind = spec.get_string("hint").to_int()
	else:
		for builtin in TYPE_MAX:
			if type_string(builtin) == element:
				type = builtin
				hint = ""
				hint_kind = PROPERTY_HINT_NONE
	var converted: Array = []
	for index in items.size():
		var item := to_type(items[index], type, hint, hint_kind)
		if item.has("error"):
			return {"error": "item %d: %s" % [index, item["error"]]}
		converted.append(item["value"])
	if type != TYPE_OBJECT:
		return {"value": Array(converted, type, &"", null)}
	var class_info := ProjectClasses.find(hint)
	var script: Variant = load(str(class_info["path"])) if not class_info.is_empty() else null
	return {"value": Array(converted, TYPE_OBJECT, StringName(ProjectClasses.native_base(hint)), script)}


## A JSON-friendly form of any Godot value, for results: every form is one to_type() takes back.
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
			return {"x": value.position.x, "y": value.position.y, "width": value.size.x, "height": value.size.y}
		TYPE_OBJECT:
			if value == null:
				return null
			if value is Resource and not (value as Resource).resource_path.is_empty():
				return {"class": value.get_class(), "path": (value as Resource).resource_path}
			return {"class": value.get_class()}
		TYPE_DICTIONARY:
			var object := {}
			for key: Variant in value:
				object[str(key)] = to_json(value[key], depth + 1)
			return object
	if typeof(value) >= TYPE_ARRAY or typeof(value) in [TYPE_VECTOR4, TYPE_VECTOR4I, TYPE_QUATERNION, TYPE_PLANE]:
		return _items_to_json(value, depth)
	var math: Variant = MathConverter.to_json(value)
	return math if math != null else str(value)


## Arrays, packed arrays and the four-number types as JSON arrays: [x, y, z, w], [a, b, c, d], [[x, y], ...].
static func _items_to_json(value: Variant, depth: int) -> Array:
	match typeof(value):
		TYPE_VECTOR4, TYPE_VECTOR4I, TYPE_QUATERNION:
			return [value.x, value.y, value.z, value.w]
		TYPE_PLANE:
			return [value.normal.x, value.normal.y, value.normal.z, value.d]
		TYPE_PACKED_VECTOR2_ARRAY:
			return Array(value).map(func(item: Vector2) -> Array: return [item.x, item.y])
		TYPE_PACKED_VECTOR3_ARRAY:
			return Array(value).map(func(item: Vector3) -> Array: return [item.x, item.y, item.z])
	var items: Array = []
	for item: Variant in value:
		items.append(to_json(item, depth + 1))
	return items
