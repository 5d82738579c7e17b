@tool
extends "command_area.gd"
## Resources: collision shapes for physics bodies and areas, and resource files (.tres) of any class.

const COMMANDS := {
	"create_collision_shape": {
		"description": "Add a collision shape of a given type to a physics body.",
		"read_only": false,
		"input_schema": {
			"type": "object",
			"properties": {
				"node_path": {"type": "string", "description": "Path of the physics body"},
				"shape_type": {
					"type": "string",
					"description": "A shape name (circle, box ...) or its class (CircleShape2D, BoxShape3D ...)",
					"enum": [
						"rectangle", "box", "circle", "sphere", "capsule", "cylinder", "segment", "RectangleShape2D",
						"BoxShape3D", "CircleShape2D", "SphereShape3D", "CapsuleShape2D", "CapsuleShape3D",
						"CylinderShape3D", "SegmentShape2D",
					],
				},
			},
			"required": ["node_path", "shape_type"],
			"additionalProperties": true,
		},
	},
	"create_resource": {
		"description": "Create a .tres resource of a given class (e.g. Curve, Gradient, a custom Resource) with properties.",
		"input_schema": {
			"type": "object",
			"properties": {
				"path": {"type": "string", "description": "res:// path ending in .tres or .res"},
				"type": {"type": "string", "description": "The resource class, e.g. 'StandardMaterial3D'"},
				"properties": {"type": "object", "description": "Property values (converted to their types)"},
				"overwrite": {"type": "boolean", "description": "Replace an existing file (default false)"},
			},
			"required": ["path", "type"],
			"additionalProperties": false,
		},
	},
	"set_resource_property": {
		"description": "Change one property of a saved resource file and save it (undoable).",
		"input_schema": {
			"type": "object",
			"properties": {
				"path": {"type": "string", "description": "res:// path of the resource"},
				"property": {"type": "string", "description": "The property, e.g. 'albedo_color'"},
				"value": {"description": "The new value (converted to the property's type)"},
			},
			"required": ["path", "property", "value"],
			"additionalProperties": false,
		},
	},
}
const RESOURCE_EXTENSIONS := ["tres", "res"]

## shape_type -> [2D shape class, 3D shape class]; "" where a dimension has no such shape.
const SHAPES := {
	"rectangle": ["RectangleShape2D", "BoxShape3D"],
	"box": ["RectangleShape2D", "BoxShape3D"],
	"circle": ["CircleShape2D", "SphereShape3D"],
	"sphere": ["CircleShape2D", "SphereShape3D"],
	"capsule": ["CapsuleShape2D", "CapsuleShape3D"],
	"cylinder": ["", "CylinderShape3D"],
	"segment": ["SegmentShape2D", ""],
}
## Extra params the shape takes, when given: radius, height, size ([x, y] or [x, y, z]).
const SHAPE_PROPERTIES := ["radius", "height", "size"]


func get_commands() -> Dictionary:
	return COMMANDS


func cmd_create_collision_shape(params: Dictionary) -> Dictionary:
	var found := require_node(params["node_path"])
	if not found["success"]:
		return found
	var body: Node = found["result"]
	var is_2d := body is CollisionObject2D
	if not is_2d and not body is CollisionObject3D:
		return fail("%s is a %s, not a physics body or area" % [path_of(body), body.get_class()])
	var shape_type := str(params["shape_type"])
	var shape_class := shape_class_for(shape_type, is_2d)
	if shape_class.is_empty():
		return fail("unknown shape_type '%s' (known: %s, or their classes)" % [shape_type, ", ".join(SHAPES.keys())])
	if shape_class.begins_with("!"):
		return fail("%s is a %s, which takes a %s shape, not %s" % [
			path_of(body), body.get_class(), "2D" if is_2d else "3D", shape_class.substr(1)])
	var resource: Resource = ClassDB.instantiate(shape_class)
	for property: String in SHAPE_PROPERTIES:
		if not params.has(property):
			continue
		var converted := ValueConverter.to_property(resource, property, params[property])
		if converted.has("error"):
			return fail("%s: %s" % [property, converted["error"]])
		resource.set(property, converted["value"])
	var holder: Node = CollisionShape2D.new() if is_2d else CollisionShape3D.new()
	holder.name = str(params.get("name", "CollisionShape"))
	holder.set("shape", resource)
	undo_redo.create_action("MCP: add collision shape to %s" % body.name)
	undo_redo.add_do_method(body, "add_child", holder, true)
	undo_redo.add_do_property(holder, "owner", scene_root())
	undo_redo.add_do_reference(holder)
	undo_redo.add_undo_method(body, "remove_child", holder)
	undo_redo.commit_action()
	return ok({
		"path": path_of(holder),
		"shape": shape_class,
		"dimension": "2D" if is_2d else "3D",
	})


## The shape class for `shape_type` (a name such as "circle", or a class such as "CircleShape2D", any case) on
## a 2D or 3D body; "" when unknown, "!<what>" when it exists only in the other dimension.
static func shape_class_for(shape_type: String, is_2d: bool) -> String:
	var wanted := shape_type.to_lower()
	if SHAPES.has(wanted):
		var named: String = SHAPES[wanted][0 if is_2d else 1]
		return named if not named.is_empty() else "!'%s'" % shape_type
	for classes: Array in SHAPES.values():
		for index in 2:
			if str(classes[index]).to_lower() == wanted:
				return str(classes[index]) if (index == 0) == is_2d else "!" + str(classes[index])
	return ""


func cmd_create_resource(params: Dictionary) -> Dictionary:
	var path: String = params["path"]
	var problem := check_new_file(path, PackedStringArray(RESOURCE_EXTENSIONS), params.get("overwrite", false))
	if not problem.is_empty():
		return fail(problem)
	var type: String = params["type"]
	var made := ProjectClasses.instantiate(type) if ProjectClasses.check_creatable(type, "Resource").is_empty() else {}
	if not made.has("value"):
		return fail(made.get("error", "%s is not a resource class that can be created" % type))
	var resource: Resource = made["value"]
	var properties: Dictionary = params.get("properties", {})
	for property: String in properties:
		var converted := ValueConverter.to_property(resource, property, properties[property])
		if converted.has("error"):
			return fail(converted["error"])
		resource.set(property, converted["value"])
	var directory_error := DirAccess.make_dir_recursive_absolute(path.get_base_dir())
	if directory_error != OK and directory_error != ERR_ALREADY_EXISTS:
		return fail("could not create %s: %s" % [path.get_base_dir(), error_string(directory_error)])
	var error := ResourceSaver.save(resource, path)
	if error != OK:
		return fail("could not save %s: %s" % [path, error_string(error)])
	return ok({"path": path, "type": type})


## The file is saved by the undo/redo action and once more here, because an action cannot report a
## failed save: ResourceSaver.save() returns the error (core/io/resource_saver.cpp ResourceSaver::save). A
## resource imported from a source file (a .png, .svg, .glb: it has a .import file) is not saved to that
## path by any saver; it is refused before anything changes.
func cmd_set_resource_property(params: Dictionary) -> Dictionary:
	var path: String = params["path"]
	var found := _saveable_resource(path)
	if not found["success"]:
		return found
	var resource: Resource = found["result"]
	var property: String = params["property"]
	var converted := ValueConverter.to_property(resource, property, params["value"])
	if converted.has("error"):
		return fail(converted["error"])
	undo_redo.create_action("MCP: set %s of %s" % [property, path.get_file()])
	undo_redo.add_do_property(resource, property, converted["value"])
	undo_redo.add_do_method(ResourceSaver, "save", resource, path)
	undo_redo.add_undo_property(resource, property, resource.get(property))
	undo_redo.add_undo_method(ResourceSaver, "save", resource, path)
	undo_redo.commit_action()
	var saved := ResourceSaver.save(resource, path)
	if saved != OK:
		return fail("%s was changed in the editor but could not be saved: %s" % [path, error_string(saved)])
	return ok({"path": path, "property": property, "value": ValueConverter.to_json(resource.get(property))})


## The resource at `path`, if a change to it can be saved back there; else why not.
static func _saveable_resource(path: String) -> Dictionary:
	var problem := PathGuard.check(path)
	if problem.is_empty() and not ResourceLoader.exists(path):
		problem = "no resource at " + path
	if problem.is_empty() and FileAccess.file_exists(path + ".import"):
		problem = "%s is imported from a source file; change the source or its import settings instead" % path
	if not problem.is_empty():
		return fail(problem)
	var resource := ResourceLoader.load(path)
	if resource == null:
		return fail("%s does not load as a resource" % path)
	if not ResourceSaver.get_recognized_extensions(resource).has(path.get_extension().to_lower()):
		return fail("a %s cannot be saved as .%s, so a change would not last" % [resource.get_class(), path.get_extension()])
	return ok(resource)
