@tool
extends "command_area.gd"
## Signals between nodes of the edited scene: list them, connect and disconnect (saved with the scene,
## with undo).

const COMMANDS := {
	"list_signals": {
		"description": "List a node's signals and where each is connected.",
		"read_only": true,
		"input_schema": {
			"type": "object",
			"properties": {"node_path": {"type": "string", "description": "Path of the node"}},
			"required": ["node_path"],
			"additionalProperties": false,
		},
	},
	"connect_signal": {
		"description": "Connect a node's signal to a method of another node (saved with the scene; undoable).",
		"input_schema": {
			"type": "object",
			"properties": {
				"node_path": {"type": "string", "description": "Node that emits the signal"},
				"signal": {"type": "string", "description": "Signal name, e.g. 'pressed'"},
				"target_path": {"type": "string", "description": "Node whose method is called"},
				"method": {"type": "string", "description": "Method of the target node"},
			},
			"required": ["node_path", "signal", "target_path", "method"],
			"additionalProperties": false,
		},
	},
	"disconnect_signal": {
		"description": "Disconnect a node's signal from a method of another node (undoable).",
		"input_schema": {
			"type": "object",
			"properties": {
				"node_path": {"type": "string", "description": "Node that emits the signal"},
				"signal": {"type": "string", "description": "Signal name"},
				"target_path": {"type": "string", "description": "Node whose method is called"},
				"method": {"type": "string", "description": "Method of the target node"},
			},
			"required": ["node_path", "signal", "target_path", "method"],
			"additionalProperties": false,
		},
	},
}


func get_commands() -> Dictionary:
	return COMMANDS


func cmd_list_signals(params: Dictionary) -> Dictionary:
	var found := require_node(params["node_path"])
	if not found["success"]:
		return found
	var node: Node = found["result"]
	var signals: Array = []
	for description: Dictionary in node.get_signal_list():
		var name := str(description["name"])
		var connections: Array = []
		for connection: Dictionary in node.get_signal_connection_list(name):
			var callable: Callable = connection["callable"]
			var target := callable.get_object()
			connections.append({
				"target": path_of(target) if target is Node else str(target),
				"method": str(callable.get_method()),
			})
		signals.append({"name": name, "connections": connections})
	return ok({"node": path_of(node), "signals": signals})


func cmd_connect_signal(params: Dictionary) -> Dictionary:
	return _change_connection(params, true)


func cmd_disconnect_signal(params: Dictionary) -> Dictionary:
	return _change_connection(params, false)


func _change_connection(params: Dictionary, connecting: bool) -> Dictionary:
	var source := require_node(params["node_path"])
	var target := require_node(params["target_path"])
	if not source["success"] or not target["success"]:
		return source if not source["success"] else target
	var emitter: Node = source["result"]
	var receiver: Node = target["result"]
	var signal_name: String = params["signal"]
	var method: String = params["method"]
	if not emitter.has_signal(signal_name):
		return fail("%s has no signal %s" % [path_of(emitter), signal_name])
	if connecting and not has_callable_method(receiver, method):
		return fail("%s has no method %s (add it to its script first)" % [path_of(receiver), method])
	var callable := Callable(receiver, method)
	if connecting and emitter.is_connected(signal_name, callable):
		return fail("already connected")
	if not connecting and not emitter.is_connected(signal_name, callable):
		return fail("not connected")
	undo_redo.create_action("MCP: %s %s" % ["connect" if connecting else "disconnect", signal_name])
	if connecting:
		undo_redo.add_do_method(emitter, "connect", signal_name, callable, Object.CONNECT_PERSIST)
		undo_redo.add_undo_method(emitter, "disconnect", signal_name, callable)
	else:
		undo_redo.add_do_method(emitter, "disconnect", signal_name, callable)
		undo_redo.add_undo_method(emitter, "connect", signal_name, callable, Object.CONNECT_PERSIST)
	undo_redo.commit_action()
	return ok({
		"signal": signal_name, "from": path_of(emitter), "to": path_of(receiver), "method": method,
		"connected": connecting,
	})


## Whether `method` can be called on `node`: a method of its class or of its script. In the editor a script
## that is not @tool has a placeholder instance, whose has_method() asks the script
## (core/object/script_language.cpp PlaceHolderScriptInstance::has_method); the script's own list is
## asked too, in case the placeholder is not there yet.
static func has_callable_method(node: Node, method: String) -> bool:
	if node.has_method(method):
		return true
	var script: Script = node.get_script()
	while script != null:
		for info: Dictionary in script.get_script_method_list():
			if str(info.get("name", "")) == method:
				return true
		script = script.get_base_script()
	return false
