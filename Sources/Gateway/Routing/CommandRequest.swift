/// A command the MCP side wants an editor to run. `reply` is called exactly once, on the service thread.
public struct CommandRequest: Sendable {
    public var name: String
    public var params: JSONValue
    /// A client id to send to; nil routes to the first ready Godot editor.
    public var target: String?
    public var reply: @Sendable (CommandOutcome) -> Void

    public init(name: String, params: JSONValue, target: String? = nil, reply: @escaping @Sendable (CommandOutcome) -> Void) {
        self.name = name
        self.params = params
        self.target = target
        self.reply = reply
    }
}

/// A command sent to an editor and not yet answered.
struct PendingCommand {
    let id: String
    let name: String
    let clientId: String
    let deadline: Double
    let reply: @Sendable (CommandOutcome) -> Void
}
