extends Node
## Runs inside the game the editor starts (the addon adds it as the autoload GodotMCPGame) and answers
## the editor's requests over Godot's own debugger connection: a screenshot of the game's window, which
## the editor cannot take itself because the game is another process. In a game that was not started
## from the editor (an exported build, a run without the debugger) it does nothing.

const PREFIX := "godot_mcp"


func _ready() -> void:
	if EngineDebugger.is_active() and not EngineDebugger.has_capture(PREFIX):
		EngineDebugger.register_message_capture(PREFIX, _on_editor_message)


func _exit_tree() -> void:
	if EngineDebugger.is_active() and EngineDebugger.has_capture(PREFIX):
		EngineDebugger.unregister_message_capture(PREFIX)


## The debugger hands over the message without its "godot_mcp:" prefix.
func _on_editor_message(message: String, data: Array) -> bool:
	if message == "screenshot" and data.size() == 2:
		_send_screenshot(int(data[0]), int(data[1]))
		return true
	return false


func _send_screenshot(request_id: int, longest: int) -> void:
	# The picture of a frame that has been drawn completely, not one half way through.
	await RenderingServer.frame_post_draw
	var image := get_viewport().get_texture().get_image()
	if image == null or image.is_empty():
		EngineDebugger.send_message(PREFIX + ":screenshot", [request_id, PackedByteArray(), 0, 0])
		return
	if maxi(image.get_width(), image.get_height()) > longest:
		var ratio := float(longest) / maxi(image.get_width(), image.get_height())
		image.resize(maxi(1, int(image.get_width() * ratio)), maxi(1, int(image.get_height() * ratio)))
	var png := image.save_png_to_buffer()
	EngineDebugger.send_message(PREFIX + ":screenshot", [request_id, png, image.get_width(), image.get_height()])
