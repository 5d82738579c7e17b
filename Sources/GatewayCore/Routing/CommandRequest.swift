/// A command the MCP side wants an editor to run. `reply` is called exactly once, on the service thread
/// (the one thread that owns the core, the sockets and stdio, so it need not be `Sendable`).
public struct CommandRequest {
    public var name: String
    public var params: JSONValue
    /// A client id to send to; nil routes to the first ready Godot editor.
    public var target: String?
    public var reply: (CommandOutcome) -> Void
    /// Receives the progress the editor reports for this command (forwarded at most every 100 ms).
    public var onProgress: ((CommandProgress) -> Void)?

    public init(
        name: String, params: JSONValue, target: String? = nil, onProgress: ((CommandProgress) -> Void)? = nil,
        reply: @escaping (CommandOutcome) -> Void
    ) {
        self.name = name
        self.params = params
        self.target = target
        self.onProgress = onProgress
        self.reply = reply
    }
}

/// How far an editor says it is with a command.
public struct CommandProgress: Equatable, Sendable {
    public var progress: Double
    public var total: Double?
    public var message: String?
}

/// A command sent to an editor and not yet answered.
struct PendingCommand {
    let id: String
    let name: String
    let clientId: String
    let started: Double
    /// Moved later (within a bound) while the editor reports progress.
    var deadline: Double
    let reply: (CommandOutcome) -> Void
    let onProgress: ((CommandProgress) -> Void)?
    var lastProgressForwarded = -Double.infinity
}
