@tool
extends RefCounted
## JSON forms of Godot's math and packed-array types, for properties that declare them. Each answers
## {"value": v} or {"error": text}; a shape it does not recognise is an error, never passed on raw.

const FORMS := {
	TYPE_RECT2I: "[x, y, width, height]",
	TYPE_VECTOR4: "[x, y, z, w]",
	TYPE_VECTOR4I: "[x, y, z, w]",
	TYPE_QUATERNION: "[x, y, z, w] or {\"euler\": [x, y, z]} (radians)",
	TYPE_PLANE: "[a, b, c, d] (normal and distance)",
	TYPE_AABB: "{\"position\": [x, y, z], \"size\": [x, y, z]}",
	TYPE_TRANSFORM2D: "{\"position\": [x, y], \"rotation\": r, \"scale\": [x, y]} or [[xx, xy], [yx, yy], [ox, oy]]",
	TYPE_BASIS: "[[xx, xy, xz], [yx, yy, yz], [zx, zy, zz]] or {\"euler\": [x, y, z]} (radians)",
	TYPE_TRANSFORM3D: "{\"origin\": [x, y, z], \"basis\": <basis>} or {\"position\", \"rotation\" (euler), \"scale\"}",
}


static func from_json(value: Variant, type: int) -> Dictionary:
	var converted: Variant = null
	match type:
		TYPE_RECT2I:
			var n := numbers(value, 4)
			converted = Rect2i(int(n[0]), int(n[1]), int(n[2]), int(n[3])) if n.size() == 4 else null
		TYPE_VECTOR4, TYPE_VECTOR4I:
			var n := numbers(value, 4)
			if n.size() == 4:
				var vector := Vector4(n[0], n[1], n[2], n[3])
				converted = Vector4i(vector) if type == TYPE_VECTOR4I else vector
		TYPE_QUATERNION:
			converted = _quaternion(value)
		TYPE_PLANE:
			var n := numbers(value, 4)
			converted = Plane(n[0], n[1], n[2], n[3]) if n.size() == 4 else null
		TYPE_AABB:
			converted = _aabb(value)
		TYPE_TRANSFORM2D:
			converted = _transform2d(value)
		TYPE_BASIS:
			converted = _basis(value)
		TYPE_TRANSFORM3D:
			converted = _transform3d(value)
	if converted == null:
		return {"error": "a %s is %s" % [type_string(type), FORMS.get(type, "not something JSON can give")]}
	return {"value": converted}


## The packed arrays: a JSON array of items of the element type.
static func packed_from_json(value: Variant, type: int) -> Dictionary:
	if not value is Array:
		return {"error": "a %s is a JSON array" % type_string(type)}
	var items: Array = value
	match type:
		TYPE_PACKED_STRING_ARRAY:
			return {"value": PackedStringArray(items.map(func(item: Variant) -> String: return str(item)))}
		TYPE_PACKED_VECTOR2_ARRAY, TYPE_PACKED_VECTOR3_ARRAY:
			var size := 2 if type == TYPE_PACKED_VECTOR2_ARRAY else 3
			var vectors: Array = []
			for item: Variant in items:
				var n := numbers(item, size)
				if n.size() != size:
					return {"error": "every item of a %s is [x, y%s]" % [type_string(type), ", z" if size == 3 else ""]}
				vectors.append(Vector2(n[0], n[1]) if size == 2 else Vector3(n[0], n[1], n[2]))
			return {"value": PackedVector2Array(vectors) if size == 2 else PackedVector3Array(vectors)}
	if not items.all(func(item: Variant) -> bool: return item is int or item is float):
		return {"error": "every item of a %s is a number" % type_string(type)}
	return {"value": type_convert(items, type)}


## `count` numbers from [a, b, ...]; [] when the value is not that.
static func numbers(value: Variant, count: int) -> Array[float]:
	var result: Array[float] = []
	if not value is Array or (value as Array).size() != count:
		return result
	for item: Variant in value:
		if not (item is float or item is int):
			return []
		result.append(float(item))
	return result


static func _quaternion(value: Variant) -> Variant:
	if value is Dictionary and (value as Dictionary).has("euler"):
		var euler := numbers(value["euler"], 3)
		return Quaternion.from_euler(Vector3(euler[0], euler[1], euler[2])) if euler.size() == 3 else null
	var n := numbers(value, 4)
	return Quaternion(n[0], n[1], n[2], n[3]) if n.size() == 4 else null


static func _aabb(value: Variant) -> Variant:
	if not value is Dictionary:
		return null
	var position := numbers(value.get("position"), 3)
	var size := numbers(value.get("size"), 3)
	if position.size() != 3 or size.size() != 3:
		return null
	return AABB(Vector3(position[0], position[1], position[2]), Vector3(size[0], size[1], size[2]))


static func _transform2d(value: Variant) -> Variant:
	if value is Array and (value as Array).size() == 3:
		var x := numbers(value[0], 2)
		var y := numbers(value[1], 2)
		var origin := numbers(value[2], 2)
		if x.size() == 2 and y.size() == 2 and origin.size() == 2:
			return Transform2D(Vector2(x[0], x[1]), Vector2(y[0], y[1]), Vector2(origin[0], origin[1]))
		return null
	if not value is Dictionary:
		return null
	var position := numbers(value.get("position", [0, 0]), 2)
	var scale := numbers(value.get("scale", [1, 1]), 2)
	var rotation: Variant = value.get("rotation", 0.0)
	if position.size() != 2 or scale.size() != 2 or not (rotation is float or rotation is int):
		return null
	return Transform2D(float(rotation), Vector2(scale[0], scale[1]), 0.0, Vector2(position[0], position[1]))


static func _basis(value: Variant) -> Variant:
	if value is Dictionary and (value as Dictionary).has("euler"):
		var euler := numbers(value["euler"], 3)
		return Basis.from_euler(Vector3(euler[0], euler[1], euler[2])) if euler.size() == 3 else null
	if not value is Array or (value as Array).size() != 3:
		return null
	var columns: Array[Vector3] = []
	for column: Variant in value:
		var n := numbers(column, 3)
		if n.size() != 3:
			return null
		columns.append(Vector3(n[0], n[1], n[2]))
	return Basis(columns[0], columns[1], columns[2])


static func _transform3d(value: Variant) -> Variant:
	if not value is Dictionary:
		return null
	if (value as Dictionary).has("basis") or (value as Dictionary).has("origin"):
		var basis: Variant = _basis(value.get("basis", [[1, 0, 0], [0, 1, 0], [0, 0, 1]]))
		var origin := numbers(value.get("origin", [0, 0, 0]), 3)
		return Transform3D(basis, Vector3(origin[0], origin[1], origin[2])) if basis != null and origin.size() == 3 else null
	var position := numbers(value.get("position", [0, 0, 0]), 3)
	var rotation := numbers(value.get("rotation", [0, 0, 0]), 3)
	var scale := numbers(value.get("scale", [1, 1, 1]), 3)
	if position.size() != 3 or rotation.size() != 3 or scale.size() != 3:
		return null
	var rotated := Basis.from_euler(Vector3(rotation[0], rotation[1], rotation[2]))
	var basis := rotated.scaled(Vector3(scale[0], scale[1], scale[2]))
	return Transform3D(basis, Vector3(position[0], position[1], position[2]))


## The JSON form from_json() reads back, for the types with more than a few numbers; null for others.
static func to_json(value: Variant) -> Variant:
	match typeof(value):
		TYPE_AABB:
			return {"position": _xyz(value.position), "size": _xyz(value.size)}
		TYPE_BASIS:
			return [_xyz(value.x), _xyz(value.y), _xyz(value.z)]
		TYPE_TRANSFORM2D:
			return [[value.x.x, value.x.y], [value.y.x, value.y.y], [value.origin.x, value.origin.y]]
		TYPE_TRANSFORM3D:
			return {"basis": to_json(value.basis), "origin": _xyz(value.origin)}
	return null


static func _xyz(vector: Vector3) -> Array:
	return [vector.x, vector.y, vector.z]
