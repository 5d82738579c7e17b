@tool
extends "command_area.gd"
## The running game, from the inside: input events, the live scene tree, node properties, waiting for
## a condition, performance monitors. Each command is a request to the addon's autoload inside the game
## (game/game_bridge.gd) over the debugger connection (game/game_link.gd); they change only the running
## game, never the scene being edited, and run no code the agent sends.

const InputSequence := preload("../game/input_sequence.gd")
const GameBridge := preload("../game/game_bridge.gd")
const NO_PARAMS := {"type": "object", "properties": {}, "required": [], "additionalProperties": false}
## Answers that need no frames come back at once; these leave room for a busy game.
const READ_TIMEOUT_MSEC := 10000
const MAX_WAIT_MSEC := 60000

const COMMANDS := {
	"send_input": {
		"description":
		"Send input events to the running game, in order, frames advancing between them: actions (with strength), "
			+ "keys (name or keycode, physical, modifiers, echo), mouse buttons and motion (positions in the "
			+ "game's viewport), joypad buttons and axes, text, and waits. An event without 'pressed' is a tap "
			+ "(press, hold, release). Returns what was delivered, frame by frame.",
		"input_schema": {
			"type": "object",
			"properties": {
				"events": {
					"type": "array",
					"description": "The events, at most 200; each may end with wait_frames or wait_ms (default 1 "
						+ "frame)",
					"items": {
						"type": "object",
						"properties": {
							"type": {
								"type": "string",
								"enum": ["action", "key", "mouse_button", "mouse_motion", "joypad_button", "joypad_axis", "text", "wait"],
							},
							"action": {"type": "string", "description": "action: an action of the project's Input Map"},
							"strength": {"type": "number", "description": "action: 0 to 1 (default 1)"},
							"pressed": {"type": "boolean", "description": "Press (true) or release (false); "
								+ "omitted: a tap"},
							"key": {"type": "string", "description": "key: a key name as Godot spells it: "
								+ "\"Space\", \"A\", \"Left\", \"Enter\""},
							"keycode": {"type": "integer", "description": "key: Godot's Key value, instead of key"},
							"physical": {"type": "boolean", "description": "key: match by physical location "
								+ "(default false)"},
							"echo": {"type": "boolean"},
							"shift": {"type": "boolean"},
							"ctrl": {"type": "boolean"},
							"alt": {"type": "boolean"},
							"meta": {"type": "boolean"},
							"button": {"description": "mouse_button: left, right, middle, wheel_up, wheel_down (or "
								+ "an index); joypad_button: an index"},
							"double_click": {"type": "boolean"},
							"position": {"type": "array", "items": {"type": "number"}, "description": "mouse: [x, "
								+ "y] in the game's viewport"},
							"relative": {"type": "array", "items": {"type": "number"}, "description": "mouse_motion: "
								+ "[dx, dy]"},
							"axis": {"type": "integer", "description": "joypad_axis: the axis index"},
							"value": {"type": "number", "description": "joypad_axis: -1 to 1"},
							"device": {"type": "integer", "description": "joypad: the device index (default 0)"},
							"text": {"type": "string", "description": "text: typed character by character"},
							"hold_frames": {"type": "integer", "description": "A tap's hold before release "
								+ "(default 1)"},
							"hold_ms": {"type": "integer"},
							"wait_frames": {"type": "integer", "description": "Frames after the event (default 1)"},
							"wait_ms": {"type": "integer", "description": "Milliseconds after the event, instead "
								+ "of frames"},
						},
						"required": ["type"],
						"additionalProperties": false,
					},
				},
			},
			"required": ["events"],
			"additionalProperties": false,
		},
	},
	"get_game_tree": {
		"description":
		"The running game's scene tree (not the edited scene): each node's path, class, visibility, script and "
			+ "child count, breadth first, bounded by depth and count.",
		"read_only": true,
		"input_schema": {
			"type": "object",
			"properties": {
				"node_path": {"type": "string", "description": "Where to start: /root/... or relative to the "
					+ "current scene (default /root)"},
				"max_depth": {"type": "integer", "minimum": 0, "maximum": 32, "description": "Levels below the "
					+ "start (default 6)"},
				"max_nodes": {"type": "integer", "minimum": 1, "maximum": 5000, "description": "Most nodes "
					+ "(default 300)"},
			},
			"required": [],
			"additionalProperties": false,
		},
	},
	"get_game_node_properties": {
		"description":
		"A node's properties in the running game, live (Inspector properties and script variables, or the ones "
			+ "named), converted to JSON like get_node_properties.",
		"read_only": true,
		"input_schema": {
			"type": "object",
			"properties": {
				"node_path": {"type": "string", "description": "/root/... or relative to the game's current scene"},
				"properties": {"type": "array", "items": {"type": "string"}, "description": "Only these (default: "
					+ "all shown)"},
			},
			"required": ["node_path"],
			"additionalProperties": false,
		},
	},
	"set_game_node_property": {
		"description":
		"Set a property of a node in the running game only (the edited scene and its file are untouched; the "
			+ "change is gone when the game stops). Values are converted like set_node_property. Returns the value "
			+ "read back.",
		"input_schema": {
			"type": "object",
			"properties": {
				"node_path": {"type": "string", "description": "/root/... or relative to the game's current scene"},
				"property": {"type": "string"},
				"value": {"description": "The new value (JSON; converted to the property's type)"},
			},
			"required": ["node_path", "property", "value"],
			"additionalProperties": false,
		},
	},
	"wait_for_game": {
		"description":
		"Wait, bounded, until a condition holds in the running game: a node exists or is freed, a property equals, "
			+ "is above or below, or crosses a value, or a signal is emitted. Reports progress while waiting; "
			+ "returns whether it held and what it saw.",
		"read_only": true,
		"input_schema": {
			"type": "object",
			"properties": {
				"condition": {
					"type": "string",
					"enum": [
						"node_exists", "node_freed", "property_equals", "property_above", "property_below",
						"property_crosses", "signal",
					],
				},
				"node_path": {"type": "string", "description": "/root/... or relative to the game's current scene"},
				"property": {"type": "string", "description": "For property_* conditions; a component as position:y"},
				"value": {"description": "For property_* conditions: the value to compare with"},
				"signal": {"type": "string", "description": "For condition signal: the node's signal"},
				"timeout_ms": {"type": "integer", "minimum": 1, "maximum": 60000, "description": "Most time to "
					+ "wait (default 5000)"},
			},
			"required": ["condition", "node_path"],
			"additionalProperties": false,
		},
	},
	"get_performance": {
		"description":
		"The running game's Performance monitors (fps, process and physics time in seconds, memory in bytes, "
			+ "objects, nodes, orphan nodes, draw calls, video memory…): one sample or a short series.",
		"read_only": true,
		"input_schema": {
			"type": "object",
			"properties": {
				"monitors": {"type": "array", "items": {"type": "string"}, "description": "Which (default all): "
					+ "fps, process_time, nodes, draw_calls, …"},
				"samples": {"type": "integer", "minimum": 1, "maximum": 120, "description": "How many samples "
					+ "(default 1)"},
				"interval_ms": {"type": "integer", "minimum": 0, "maximum": 5000, "description": "Between samples "
					+ "(default 250)"},
			},
			"required": [],
			"additionalProperties": false,
		},
	},
}


func get_commands() -> Dictionary:
	return COMMANDS


func cmd_send_input(params: Dictionary) -> Dictionary:
	var checked := InputSequence.normalise(params["events"])
	if checked.has("error"):
		return fail(checked["error"])
	# A frame of a slow game may take far more than 1/60 s: leave room for six times as long.
	return await _ask("input", params, READ_TIMEOUT_MSEC + 6 * InputSequence.sequence_msec(checked["steps"]))


func cmd_get_game_tree(params: Dictionary) -> Dictionary:
	return await _ask("tree", params, READ_TIMEOUT_MSEC)


func cmd_get_game_node_properties(params: Dictionary) -> Dictionary:
	return await _ask("properties", params, READ_TIMEOUT_MSEC)


func cmd_set_game_node_property(params: Dictionary) -> Dictionary:
	return await _ask("set_property", params, READ_TIMEOUT_MSEC)


func cmd_wait_for_game(params: Dictionary) -> Dictionary:
	var condition: String = params["condition"]
	if condition.begins_with("property_") and (not params.has("property") or not params.has("value")):
		return fail("%s needs property and value" % condition)
	if condition == "signal" and str(params.get("signal", "")).is_empty():
		return fail("condition signal needs signal (the name of one of the node's signals)")
	var timeout := clampi(int(params.get("timeout_ms", 5000)), 1, MAX_WAIT_MSEC)
	params["timeout_ms"] = timeout
	return await _ask("wait", params, timeout + READ_TIMEOUT_MSEC)


func cmd_get_performance(params: Dictionary) -> Dictionary:
	for name: Variant in params.get("monitors", []):
		if not GameBridge.MONITORS.has(name):
			return fail("unknown monitor '%s'; known: %s" % [name, ", ".join(PackedStringArray(GameBridge.MONITORS.keys()))])
	var span := int(params.get("samples", 1)) * int(params.get("interval_ms", 250))
	if span > MAX_WAIT_MSEC:
		return fail("samples × interval_ms is over %d s; take fewer or closer samples" % (MAX_WAIT_MSEC / 1000))
	return await _ask("performance", params, READ_TIMEOUT_MSEC + span)


func _ask(kind: String, params: Dictionary, timeout_msec: int) -> Dictionary:
	if game_link == null:
		return fail("the link to the running game is not set up (is the addon enabled?)")
	var reporter := progress
	var answer: Dictionary = await game_link.request(kind, params, timeout_msec, reporter)
	if answer.has("error"):
		return fail(str(answer["error"]))
	return ok(answer)
