@tool
extends RefCounted
## What the editor's debugger knows while the game is stopped at a runtime error or a breakpoint: the
## reason, the stack and the variables of a frame. Godot gives plugins no API for these, so this listens
## to the signals of the editor's own ScriptEditorDebugger (the panel at the bottom), which Godot's
## debug adapter uses too (editor/debugger/script_editor_debugger.cpp: "breaked" is emitted by
## _msg_debug_enter/_thread_debug_enter and _msg_debug_exit with (reallydid, can_debug, reason,
## has_stackdump); "stack_dump" by _msg_stack_dump with [{frame, file, function, line}];
## "stack_frame_vars" (count) and "stack_frame_var" (one variable) by _msg_stack_frame_vars/_var).

const ValueConverter := preload("../util/value_converter.gd")
const SCOPES := ["local", "member", "global"]
const MAX_VARIABLES := 200

var paused := false
var can_debug := false
var reason := ""
## [{frame, file, function, line}], innermost first.
var stack: Array = []
## [{name, scope, value}] of frame `variables_frame`, as the game sent them.
var variables: Array = []
var variables_frame := -1
var variables_expected := -1
var _attached: Array[Node] = []


## Connects to every ScriptEditorDebugger of the editor (one per debug session tab). Returns how many
## were found; 0 means this editor's layout hides them and only pause/continue are known. The
## connections go with this object when the plugin is disabled (Object's destructor drops them).
func attach(base: Node) -> int:
	for debugger in base.find_children("*", "ScriptEditorDebugger", true, false):
		if debugger in _attached:
			continue
		_attached.append(debugger)
		_connect(debugger, "breaked", _on_breaked)
		_connect(debugger, "stack_dump", _on_stack_dump)
		_connect(debugger, "stack_frame_vars", _on_stack_frame_vars)
		_connect(debugger, "stack_frame_var", _on_stack_frame_var)
	return _attached.size()


## The game stopped (`stopped` true) or continued, as EditorDebuggerSession's breaked/continued say.
func set_paused(stopped: bool, debuggable: bool = false) -> void:
	paused = stopped
	if stopped:
		can_debug = debuggable or can_debug
	else:
		clear()


func clear() -> void:
	paused = false
	can_debug = false
	reason = ""
	stack = []
	variables = []
	variables_frame = -1
	variables_expected = -1


## The error that stopped the game, as get_errors reports it: {} when the game is not stopped by one.
func paused_error() -> Dictionary:
	if not paused or reason.is_empty():
		return {}
	var top: Dictionary = stack[0] if not stack.is_empty() else {}
	return {"message": reason, "script": top.get("file"), "line": top.get("line"), "function": top.get("function"),
		"stack": stack.duplicate()}


func state() -> Dictionary:
	return {"paused": paused, "can_debug": can_debug, "reason": reason, "stack": stack.duplicate(),
		"frame": variables_frame, "variables": variables.duplicate(),
		"variables_complete": variables_expected >= 0 and variables.size() >= mini(variables_expected, MAX_VARIABLES)}


func _connect(debugger: Node, signal_name: String, receiver: Callable) -> void:
	if debugger.has_signal(signal_name) and not debugger.is_connected(signal_name, receiver):
		debugger.connect(signal_name, receiver)


func _on_breaked(really: bool, debuggable: bool = false, why: String = "", _has_stack: bool = false) -> void:
	if really:
		paused = true
		can_debug = debuggable
		reason = why
	else:
		clear()


func _on_stack_dump(frames: Array) -> void:
	stack = []
	for frame: Variant in frames:
		if frame is Dictionary:
			stack.append({"frame": int(frame.get("frame", stack.size())), "file": str(frame.get("file", "")),
				"function": str(frame.get("function", "")), "line": int(frame.get("line", 0))})


func _on_stack_frame_vars(count: int) -> void:
	variables = []
	variables_expected = count


## A variable as DebuggerMarshalls::ScriptStackVariable::serialize sends it (core/debugger/
## debugger_marshalls.cpp): [name, scope, value], or in the versions that add the value's type,
## [name, scope, value_type, value]; the value is last either way (nil when over its 1 MiB limit).
func _on_stack_frame_var(data: Array) -> void:
	if data.size() < 3 or variables.size() >= MAX_VARIABLES:
		return
	var scope := int(data[1])
	var value: Variant = data[data.size() - 1]
	if value is EncodedObjectAsID:
		value = {"object_id": (value as EncodedObjectAsID).object_id}
	variables.append({"name": str(data[0]), "scope": SCOPES[scope] if scope >= 0 and scope < SCOPES.size() else str(scope),
		"value": ValueConverter.to_json(value)})
