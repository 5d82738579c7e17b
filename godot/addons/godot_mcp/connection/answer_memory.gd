@tool
extends RefCounted
## The answers of commands that already ran, kept so that a command the gateway sends again after a resume
## is answered, never run twice. Bounded by bytes, not by a count: answers are kept newest first within
## `byte_budget`; an answer pushed out leaves a note (its id and size) so its command is still not run
## again. Answers and notes are forgotten `keep_seconds` after their command finished, when the gateway
## can no longer send it again.

## id -> {"text": String (the answer as sent, or "" once pushed out), "bytes": int, "at": float seconds}
var _entries := {}
## Ids in the order their answers were kept (oldest first).
var _order: Array[String] = []
var _bytes_kept := 0
var _byte_budget: int
var _keep_seconds: float


func _init(byte_budget: int = 8 * 1024 * 1024, keep_seconds: float = 600.0) -> void:
	_byte_budget = byte_budget
	_keep_seconds = keep_seconds


## Whether the command `id` already ran (its answer may have been pushed out).
func has(id: String, now: float) -> bool:
	_forget_old(now)
	return _entries.has(id)


## The answer to send for `id`, which already ran: the answer itself, or an error saying it ran but its
## answer is no longer kept.
func answer_for(id: String, now: float) -> String:
	_forget_old(now)
	var entry: Dictionary = _entries[id]
	if not str(entry["text"]).is_empty():
		return entry["text"]
	return JSON.stringify({
		"id": id, "success": false, "result": null, "timestamp": Time.get_unix_time_from_system(),
		"error": "this command already ran in the editor; its answer (%d bytes) is no longer kept, and it was not run again"
		% int(entry["bytes"]),
	})


## Keeps the answer `text` of command `id`, then pushes out the oldest answers beyond the byte budget
## (the newest one always stays, however large: it is the one most likely lost in a dropped connection).
func remember(id: String, text: String, now: float) -> void:
	_forget_old(now)
	if _entries.has(id):
		return
	var size := text.to_utf8_buffer().size()
	_entries[id] = {"text": text, "bytes": size, "at": now}
	_order.append(id)
	_bytes_kept += size
	for older in _order:
		if _bytes_kept <= _byte_budget or older == id:
			break
		var entry: Dictionary = _entries[older]
		if not str(entry["text"]).is_empty():
			_bytes_kept -= int(entry["bytes"])
			entry["text"] = ""


## Bytes of answers kept now (for tests and the budget).
func bytes_kept() -> int:
	return _bytes_kept


func _forget_old(now: float) -> void:
	while not _order.is_empty():
		var entry: Dictionary = _entries[_order[0]]
		if now - float(entry["at"]) < _keep_seconds:
			return
		if not str(entry["text"]).is_empty():
			_bytes_kept -= int(entry["bytes"])
		_entries.erase(_order.pop_front())
