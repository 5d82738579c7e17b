/// A command the MCP side wants an editor to run. `reply` is called exactly once, on the service thread
/// (the one thread that owns the core, the sockets and stdio, so it need not be `Sendable`).
public struct CommandRequest {
    public var name: String
    public var params: JSONValue
    /// A client id to send to; nil routes to the first ready Godot editor.
    public var target: String?
    public var reply: (CommandOutcome) -> Void

    public init(name: String, params: JSONValue, target: String? = nil, reply: @escaping (CommandOutcome) -> Void) {
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
    let reply: (CommandOutcome) -> Void
}
