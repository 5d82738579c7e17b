/// Everything the gateway knows about one connected client.
public struct ClientRecord: Sendable {
    public let id: String
    public var type: ClientType
    /// Set by `identify`: only ready godot clients receive commands.
    public var ready: Bool = false
    /// False once the socket is closing: a client being closed is never chosen for a command.
    public var open: Bool = true
    public var clientVersion: String?
    public var godotVersion: String?
    public var details: [String: JSONValue] = [:]
    public let remoteAddress: String
    public let userAgent: String?
    /// Position in connection order, for "first connected" routing.
    public let sequence: UInt64
    public let connectedAtMs: Int64
    public var lastActivityMs: Int64
    /// Monotonic reading of the last frame or pong, for heartbeat expiry.
    public var lastActivity: Double
    public var inFlightCommands: Set<String> = []
    public var messagesIn: UInt64 = 0
    public var messagesOut: UInt64 = 0
    public var bytesIn: UInt64 = 0
    public var bytesOut: UInt64 = 0
    public var commandsSent: UInt64 = 0
    /// False until the client presented the token (on upgrade or in `identify`); until then it may only identify.
    public var authenticated: Bool
    /// When an unauthenticated client is dropped.
    public var authDeadline: Double?
    var messageBucket: TokenBucket
    var byteBucket: TokenBucket
    /// Monotonic times at which the client went over its rate, within the abuse window.
    var rateViolations: [Double] = []
}

extension ClientRecord {
    /// The registry fields as `list_clients` reports them.
    public var summary: JSONValue {
        var fields: [String: JSONValue] = [
            "clientId": .string(id),
            "type": .string(type.rawValue),
            "ready": .bool(ready),
            "open": .bool(open),
            "remoteAddress": .string(remoteAddress),
            "connectedAt": .int(connectedAtMs),
            "lastActivity": .int(lastActivityMs),
            "inFlightCommands": .int(Int64(inFlightCommands.count)),
            "messagesIn": .int(Int64(messagesIn)),
            "messagesOut": .int(Int64(messagesOut)),
            "bytesIn": .int(Int64(bytesIn)),
            "bytesOut": .int(Int64(bytesOut)),
            "commandsSent": .int(Int64(commandsSent)),
            "authenticated": .bool(authenticated),
        ]
        fields["clientVersion"] = clientVersion.map(JSONValue.string) ?? .null
        fields["godotVersion"] = godotVersion.map(JSONValue.string) ?? .null
        fields["userAgent"] = userAgent.map(JSONValue.string) ?? .null
        if !details.isEmpty { fields["identity"] = .object(details) }
        return .object(fields)
    }
}
