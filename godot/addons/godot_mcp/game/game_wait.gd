@tool
extends RefCounted
## One `wait_for_game` in the running game: watches a node, a property or a signal every frame until
## its condition holds or the time is up. Only reads: the one thing it adds is a connection to the
## watched signal, removed when the wait ends.

const GameTree := preload("game_tree.gd")
const ValueConverter := preload("../util/value_converter.gd")
const CONDITIONS := ["node_exists", "node_freed", "property_equals", "property_above", "property_below",
	"property_crosses", "signal"]

var _condition: Dictionary
var _emitted: Array = []
var _watched: Node
var _first: Variant = null
var _last: Variant = null


func _init(condition: Dictionary = {}) -> void:
	_condition = condition


## Whether the condition holds now. `tree` is the game's SceneTree.
func holds(tree: SceneTree) -> bool:
	var node := GameTree.find(tree, str(_condition.get("node_path", "")))
	match str(_condition["condition"]):
		"node_exists":
			return node != null
		"node_freed":
			return node == null
		"signal":
			_watch_signal(node)
			return not _emitted.is_empty()
	if node == null:
		return false
	# get_indexed also reads a component: "position:y".
	var current: Variant = node.get_indexed(NodePath(str(_condition["property"])))
	var target: Variant = _target(node)
	var previous: Variant = _last
	_last = current
	if _first == null:
		_first = current
	return met(str(_condition["condition"]), current, target, previous)


## Pure: whether `current` (and the value seen the frame before, `previous`) meets `kind` against `target`.
static func met(kind: String, current: Variant, target: Variant, previous: Variant) -> bool:
	match kind:
		"property_equals":
			if (current is float or current is int) and (target is float or target is int):
				return is_equal_approx(float(current), float(target))
			return typeof(current) == typeof(target) and current == target
		"property_above":
			return _numeric(current) and _numeric(target) and float(current) > float(target)
		"property_below":
			return _numeric(current) and _numeric(target) and float(current) < float(target)
		"property_crosses":
			if not (_numeric(current) and _numeric(target) and _numeric(previous)):
				return false
			return signf(float(previous) - float(target)) != signf(float(current) - float(target))
	return false


## What the wait saw, for the answer.
func observed() -> Dictionary:
	var seen := {}
	if _condition.has("property"):
		seen["first_value"] = ValueConverter.to_json(_first)
		seen["last_value"] = ValueConverter.to_json(_last)
	if str(_condition["condition"]) == "signal":
		seen["emissions"] = _emitted.size()
		seen["arguments"] = ValueConverter.to_json(_emitted[0]) if not _emitted.is_empty() else null
	return seen


func finish() -> void:
	if _watched != null and is_instance_valid(_watched) and _watched.is_connected(str(_condition["signal"]), _on_signal):
		_watched.disconnect(str(_condition["signal"]), _on_signal)
	_watched = null


func _target(node: Node) -> Variant:
	var value: Variant = _condition.get("value")
	if str(_condition["condition"]) != "property_equals":
		return value
	var converted := ValueConverter.to_property(node, str(_condition["property"]), value)
	return converted.get("value", value)


func _watch_signal(node: Node) -> void:
	if _watched != null or node == null:
		return
	var name := str(_condition["signal"])
	if node.has_signal(name):
		_watched = node
		# Any number of arguments: the receiver takes them as one array (Callable.unbind would drop them).
		node.connect(name, _on_signal)


## Up to four signal arguments are kept; a signal with more is still counted.
func _on_signal(a: Variant = null, b: Variant = null, c: Variant = null, d: Variant = null) -> void:
	_emitted.append([a, b, c, d])


static func _numeric(value: Variant) -> bool:
	return value is int or value is float
