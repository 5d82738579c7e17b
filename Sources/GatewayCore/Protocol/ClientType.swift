/// What kind of peer a WebSocket connection is. Only ready `godot` clients receive commands.
package enum ClientType: String, Sendable, CaseIterable {
    case godot
    case mcp
    case unknown
}
