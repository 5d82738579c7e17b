@tool
extends RefCounted
## The events `send_input` delivers to the running game: checked and put in order here (pure, also
## run by the editor before it sends anything), turned into InputEvents in the game (make_event).
##
## Input.parse_input_event queues an event until the engine flushes its buffered input once per frame
## (core/input/input.cpp, Input::parse_input_event and Input::flush_buffered_events), and a game reads
## "is the action pressed?" once per frame. A press and its release in the same frame would never be
## seen pressed, so a tap holds for at least one frame, and frames pass between events.

const TYPES := ["action", "key", "mouse_button", "mouse_motion", "joypad_button", "joypad_axis", "text", "wait"]
const MOUSE_BUTTONS := {
	"left": MOUSE_BUTTON_LEFT, "right": MOUSE_BUTTON_RIGHT, "middle": MOUSE_BUTTON_MIDDLE,
	"wheel_up": MOUSE_BUTTON_WHEEL_UP, "wheel_down": MOUSE_BUTTON_WHEEL_DOWN,
	"wheel_left": MOUSE_BUTTON_WHEEL_LEFT, "wheel_right": MOUSE_BUTTON_WHEEL_RIGHT,
}
const MAX_EVENTS := 200
const MAX_TEXT := 200
const MAX_FRAMES := 600
const MAX_MSEC := 10000
## What a whole sequence may take at most (waits and holds added up; a frame counted as 1/60 s).
const MAX_SEQUENCE_MSEC := 120000
## Frames that pass after each event unless it says otherwise.
const DEFAULT_GAP_FRAMES := 1
## Frames a tap (an event without "pressed") is held before its release.
const DEFAULT_HOLD_FRAMES := 1


## Checks `events` and expands them into steps: {"event": spec, "then": {"frames": n} or {"msec": n}}.
## A tap becomes a press step and a release step; text becomes a press and release per character.
## Returns {"steps": Array} or {"error": String}.
static func normalise(events: Array) -> Dictionary:
	if events.is_empty():
		return {"error": "events is empty: give at least one event"}
	if events.size() > MAX_EVENTS:
		return {"error": "at most %d events per call" % MAX_EVENTS}
	var steps: Array = []
	for index in events.size():
		var event: Variant = events[index]
		var where := "events[%d]" % index
		if not event is Dictionary:
			return {"error": where + " must be an object"}
		var problem := _check(event, where)
		if not problem.is_empty():
			return {"error": problem}
		var gap := _delay(event, "wait", DEFAULT_GAP_FRAMES)
		match str(event["type"]):
			"wait":
				steps.append({"event": {"type": "wait"}, "then": gap})
			"text":
				for character in str(event["text"]):
					var key := {"type": "key", "unicode": character.unicode_at(0), "key": character}
					steps.append({"event": _with(key, true), "then": {"frames": 0}})
					steps.append({"event": _with(key, false), "then": {"frames": DEFAULT_GAP_FRAMES}})
				steps[-1]["then"] = gap
			"mouse_motion", "joypad_axis":
				steps.append({"event": event, "then": gap})
			_:
				if event.has("pressed"):
					steps.append({"event": event, "then": gap})
				else:
					steps.append({"event": _with(event, true), "then": _delay(event, "hold", DEFAULT_HOLD_FRAMES)})
					steps.append({"event": _with(event, false), "then": gap})
	if sequence_msec(steps) > MAX_SEQUENCE_MSEC:
		return {"error": "the events' waits and holds add up to over %d s; send them in several calls"
				% (MAX_SEQUENCE_MSEC / 1000)}
	return {"steps": steps}


## How long checked steps take at least, a frame counted as 1/60 s.
static func sequence_msec(steps: Array) -> int:
	var total := 0
	for step: Dictionary in steps:
		var then: Dictionary = step["then"]
		total += int(then["msec"]) if then.has("msec") else ceili(int(then["frames"]) * 1000.0 / 60.0)
	return total


static func _check(event: Dictionary, where: String) -> String:
	var type := str(event.get("type", ""))
	if not type in TYPES:
		return "%s.type must be one of %s" % [where, ", ".join(PackedStringArray(TYPES))]
	for field in ["wait_frames", "hold_frames"]:
		if event.has(field) and not _whole(event[field], 0, MAX_FRAMES):
			return "%s.%s must be a whole number from 0 to %d" % [where, field, MAX_FRAMES]
	for field in ["wait_ms", "hold_ms"]:
		if event.has(field) and not _whole(event[field], 0, MAX_MSEC):
			return "%s.%s must be a whole number from 0 to %d" % [where, field, MAX_MSEC]
	match type:
		"action":
			if str(event.get("action", "")).is_empty():
				return where + ".action is required (an action of the project's Input Map)"
			if event.has("strength") and not _number(event["strength"], 0.0, 1.0):
				return where + ".strength must be a number from 0 to 1"
		"key":
			if not event.has("key") and not event.has("keycode"):
				return where + " needs key (a key name such as \"Space\", \"A\", \"Left\") or keycode"
			if event.has("key") and OS.find_keycode_from_string(str(event["key"])) == KEY_NONE:
				return "%s.key: Godot knows no key named '%s'" % [where, event["key"]]
			if event.has("keycode") and not _whole(event["keycode"], 1, 0x7FFFFFFF):
				return where + ".keycode must be a positive whole number (Godot's Key value)"
		"mouse_button":
			var button: Variant = event.get("button", "left")
			if not (button is String and MOUSE_BUTTONS.has(button)) and not _whole(button, 1, 24):
				return "%s.button must be one of %s or a button index" % [where, ", ".join(PackedStringArray(MOUSE_BUTTONS.keys()))]
			if event.has("position") and not _pair(event["position"]):
				return where + ".position must be [x, y] in the game's viewport"
		"mouse_motion":
			if not _pair(event.get("position")):
				return where + ".position [x, y] is required for mouse_motion"
			if event.has("relative") and not _pair(event["relative"]):
				return where + ".relative must be [dx, dy]"
		"joypad_button":
			if not _whole(event.get("button"), 0, 127):
				return where + ".button must be a joypad button index (0-127)"
		"joypad_axis":
			if not _whole(event.get("axis"), 0, 9):
				return where + ".axis must be a joypad axis index (0-9)"
			if not _number(event.get("value"), -1.0, 1.0):
				return where + ".value must be a number from -1 to 1"
		"text":
			var text := str(event.get("text", ""))
			if text.is_empty() or text.length() > MAX_TEXT:
				return "%s.text must have 1 to %d characters" % [where, MAX_TEXT]
	if event.has("device") and not _whole(event["device"], 0, 15):
		return where + ".device must be a device index (0-15)"
	return ""


## What follows an event: {"msec": n} when it gives `<prefix>_ms`, else {"frames": n}.
static func _delay(event: Dictionary, prefix: String, default_frames: int) -> Dictionary:
	if event.has(prefix + "_ms"):
		return {"msec": int(event[prefix + "_ms"])}
	return {"frames": int(event.get(prefix + "_frames", default_frames))}


static func _with(event: Dictionary, pressed: bool) -> Dictionary:
	var copy := event.duplicate()
	copy["pressed"] = pressed
	return copy


static func _whole(value: Variant, low: int, high: int) -> bool:
	return (value is int or (value is float and is_finite(value) and floorf(value) == value)) \
			and int(value) >= low and int(value) <= high


static func _number(value: Variant, low: float, high: float) -> bool:
	return (value is int or value is float) and float(value) >= low and float(value) <= high


static func _pair(value: Variant) -> bool:
	return value is Array and (value as Array).size() == 2 and _number(value[0], -1e7, 1e7) \
			and _number(value[1], -1e7, 1e7)


## The InputEvent for a checked step's event, or null for a wait. `to_window` maps a position in the
## game's viewport to the window, where Input.parse_input_event expects it.
static func make_event(spec: Dictionary, to_window: Transform2D) -> InputEvent:
	var pressed := bool(spec.get("pressed", true))
	match str(spec["type"]):
		"action":
			var action := InputEventAction.new()
			action.action = StringName(str(spec["action"]))
			action.pressed = pressed
			action.strength = float(spec.get("strength", 1.0)) if pressed else 0.0
			return action
		"key":
			return _key_event(spec, pressed)
		"mouse_button":
			var click := InputEventMouseButton.new()
			var button: Variant = spec.get("button", "left")
			click.button_index = MOUSE_BUTTONS[button] if button is String else int(button)
			click.pressed = pressed
			click.double_click = bool(spec.get("double_click", false))
			var at: Vector2 = to_window * _vector(spec.get("position", [0, 0]))
			click.position = at
			click.global_position = at
			return click
		"mouse_motion":
			var motion := InputEventMouseMotion.new()
			var to: Vector2 = to_window * _vector(spec["position"])
			motion.position = to
			motion.global_position = to
			motion.relative = to_window.basis_xform(_vector(spec.get("relative", [0, 0])))
			return motion
		"joypad_button":
			var joy_button := InputEventJoypadButton.new()
			joy_button.button_index = int(spec["button"])
			joy_button.pressed = pressed
			joy_button.device = int(spec.get("device", 0))
			return joy_button
		"joypad_axis":
			var axis := InputEventJoypadMotion.new()
			axis.axis = int(spec["axis"])
			axis.axis_value = float(spec["value"])
			axis.device = int(spec.get("device", 0))
			return axis
	return null


static func _key_event(spec: Dictionary, pressed: bool) -> InputEventKey:
	var key := InputEventKey.new()
	var code := int(spec["keycode"]) if spec.has("keycode") else int(OS.find_keycode_from_string(str(spec["key"])))
	if bool(spec.get("physical", false)):
		key.physical_keycode = code
	else:
		key.keycode = code
	if spec.has("unicode"):
		key.unicode = int(spec["unicode"])
	key.pressed = pressed
	key.echo = bool(spec.get("echo", false))
	key.shift_pressed = bool(spec.get("shift", false))
	key.ctrl_pressed = bool(spec.get("ctrl", false))
	key.alt_pressed = bool(spec.get("alt", false))
	key.meta_pressed = bool(spec.get("meta", false))
	return key


static func _vector(pair: Array) -> Vector2:
	return Vector2(float(pair[0]), float(pair[1]))
