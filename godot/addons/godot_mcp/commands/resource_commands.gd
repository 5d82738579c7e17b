@tool
extends "command_area.gd"
## Resources attached to nodes: collision shapes for physics bodies and areas.

const COMMANDS := {
	"create_collision_shape": {
		"description": "Add a collision shape of a given type to a physics body.",
		"read_only": false,
		"input_schema": {
			"type": "object",
			"properties": {
				"node_path": {"type": "string", "description": "Path of the physics body"},
				"shape_type": {"type": "string", "description": "Shape, e.g. rectangle, circle, capsule, box, sphere"},
			},
			"required": ["node_path", "shape_type"],
			"additionalProperties": true,
		},
	},
}

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
	var shape_type := str(params["shape_type"]).to_lower()
	if not SHAPES.has(shape_type):
		return fail("unknown shape_type '%s' (known: %s)" % [shape_type, ", ".join(SHAPES.keys())])
	var shape_class: String = SHAPES[shape_type][0 if is_2d else 1]
	if shape_class.is_empty():
		return fail("'%s' has no %s shape" % [shape_type, "2D" if is_2d else "3D"])
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
