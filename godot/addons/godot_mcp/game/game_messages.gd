@tool
extends RefCounted
## How the editor and the game the editor runs talk over Godot's debugger connection
## (`EngineDebugger.send_message` in the game, `EditorDebuggerSession.send_message` in the editor).
## Pure functions, used on both sides.
##
## The debugger's TCP peer encodes each message into a buffer of 8 MiB and skips, without a word, any
## message that does not fit (core/debugger/remote_debugger_peer.cpp, RemoteDebuggerPeerTCP::_write_out:
## `ERR_CONTINUE(err != OK || size > out_buf.size() - 4)`; get_max_message_size() is 8 << 20). So every
## answer is encoded once (var_to_bytes) and sent in parts well under that limit; the editor joins them.

const PREFIX := "godot_mcp"
## Editor → game: [request_id, kind, params]. Kinds: see game_bridge.gd KINDS.
const REQUEST := "request"
## Editor → game: [] — "are you there?"; the game answers READY.
const HELLO := "hello"
## Game → editor: [] — the bridge listens (sent when it starts and in answer to HELLO).
const READY := "ready"
## Game → editor: [request_id, part_index, part_count, PackedByteArray] — one part of an encoded answer.
const ANSWER := "answer"
## Game → editor: [request_id, done, total, message] — how far a long request (wait_for_game) is.
const PROGRESS := "progress"
## Bytes of answer per message: an eighth of the peer's 8 MiB buffer, leaving room for the envelope.
const PART_BYTES := 1 << 20
## Parts sent per frame, so a large answer does not fill the peer's queue of
## network/limits/debugger/max_queued_messages (default 2048) in one go.
const PARTS_PER_FRAME := 4


## The messages (without prefix) that carry `answer` for `request_id`: [[request_id, index, count, bytes]…].
static func split_answer(request_id: int, answer: Dictionary, part_bytes: int = PART_BYTES) -> Array:
	var encoded := var_to_bytes(answer)
	var count := maxi(1, ceili(float(encoded.size()) / part_bytes))
	var parts: Array = []
	for index in count:
		parts.append([request_id, index, count, encoded.slice(index * part_bytes, (index + 1) * part_bytes)])
	return parts


## Adds one part to `pending` (request_id -> {"count", "parts": {index: bytes}}). Returns the whole answer
## once every part is there, {"error": …} for a part that does not fit, else an empty Dictionary.
static func add_part(pending: Dictionary, data: Array) -> Dictionary:
	if data.size() != 4 or not data[3] is PackedByteArray:
		return {"error": "a malformed answer part came from the game"}
	var request_id := int(data[0])
	var index := int(data[1])
	var count := int(data[2])
	if count < 1 or index < 0 or index >= count:
		return {"error": "answer part %d of %d is out of range" % [index, count]}
	var entry: Dictionary = pending.get(request_id, {"count": count, "parts": {}})
	entry["parts"][index] = data[3]
	pending[request_id] = entry
	if (entry["parts"] as Dictionary).size() < count:
		return {}
	pending.erase(request_id)
	var joined := PackedByteArray()
	for part_index in count:
		joined.append_array(entry["parts"][part_index])
	# bytes_to_var, not bytes_to_var_with_objects: an answer never carries objects, so none is decoded.
	var answer: Variant = bytes_to_var(joined)
	if not answer is Dictionary:
		return {"error": "the game's answer could not be decoded"}
	return {"request_id": request_id, "answer": answer}
