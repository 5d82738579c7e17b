/// Everything the gateway knows about one connected client.
package struct ClientRecord: Sendable {
    package let id: String
    /// Its slot in the registry while it is there; `detached` for a record kept elsewhere (departed,
    /// another node's editor). Set by the registry when it stores the record.
    package internal(set) var handle = ClientHandle.detached
    package var type: ClientType
    /// Set by `identify`: only ready godot clients receive commands.
    package var ready: Bool = false
    /// False once the socket is closing: a client being closed is never chosen for a command.
    package var open: Bool = true
    package var clientVersion: String?
    package var godotVersion: String?
    package var details: [String: JSONValue] = [:]
    /// The commands it declared in `identify` (nil: none declared, so the original protocol's set).
    package var offeredTools: [OfferedTool]? {
        didSet { offeredNames = offeredTools.map { Set($0.map(\.name)) } }
    }
    package private(set) var offeredNames: Set<String>?
    package var remoteAddress: String
    package var userAgent: String?
    /// Position in connection order, for "first connected" routing.
    package let sequence: UInt64
    package let connectedAtMs: Int64
    package var lastActivityMs: Int64
    /// Monotonic reading of the last frame or pong, for heartbeat expiry.
    package var lastActivity: Double
    /// Who the client is (`alice`, `shared`, `cert:<cn>`, `dashboard:<name>`; see `GatewayCore+Access`),
    /// what it may do, and the secret that granted it (judged again on reload).
    package var caller: String?
    package var rights: CallerRights = .full
    var credential = Credential.unauthenticatedAccess
    /// What the editor's events said last: "scene", "selection", "playing".
    package var editorState: [String: JSONValue] = [:]
    /// The event names this client subscribed to (`*`: all); empty: none.
    package var eventSubscriptions: Set<String> = []
    /// Set when the client answers a heartbeat message; cleared by each sweep (see `sendHeartbeats`).
    package var answeredHeartbeat = false
    /// The commands sent to it and not answered, by their key in the core's `CommandsInFlight` (a
    /// number: adding and removing one per call hashes no string).
    package var inFlightCommands: Set<UInt64> = []
    /// The cluster node this editor is connected to, when it is another node's (`--cluster`); nil: here.
    package var node: String?
    /// Commands in flight on another node's editor, as its last presence said.
    package var remoteInFlight = 0
    /// The single-use token this connection's handshake carried (see `GatewayCore+Resume`).
    var resumeToken = ""
    /// Another cluster node's editor: the hash of its resume token, as that node's presence published it,
    /// so the editor may resume here if that node dies (`GatewayCore+ClusterResume`).
    var resumeTokenHash: String?
    /// Commands waiting in this editor's queue (see `GatewaySettings.editorConcurrency`).
    package var queuedCommands = 0
    package var messagesIn: UInt64 = 0
    package var messagesOut: UInt64 = 0
    package var bytesIn: UInt64 = 0
    package var bytesOut: UInt64 = 0
    package var commandsSent: UInt64 = 0
    /// False until the client presented the token (on upgrade or in `identify`); until then it may only identify.
    package var authenticated: Bool
    /// When an unauthenticated client is dropped.
    package var authDeadline: Double?
    var messageBucket: TokenBucket
    var byteBucket: TokenBucket
    /// Monotonic times at which the client went over its rate, within the abuse window.
    var rateViolations: [Double] = []
}

extension ClientRecord {
    /// The registry fields as `list_clients` reports them.
    package var summary: JSONValue {
        var fields: [String: JSONValue] = [
            "clientId": .string(id),
            "type": .string(type.rawValue),
            "ready": .bool(ready),
            "open": .bool(open),
            "remoteAddress": .string(remoteAddress),
            "connectedAt": .int(connectedAtMs),
            "lastActivity": .int(lastActivityMs),
            "inFlightCommands": .int(Int64(node == nil ? inFlightCommands.count : remoteInFlight)),
            "queuedCommands": .int(Int64(queuedCommands)),
            "messagesIn": .int(Int64(messagesIn)),
            "messagesOut": .int(Int64(messagesOut)),
            "bytesIn": .int(Int64(bytesIn)),
            "bytesOut": .int(Int64(bytesOut)),
            "commandsSent": .int(Int64(commandsSent)),
            "authenticated": .bool(authenticated),
            "caller": caller.map(JSONValue.string) ?? .null,
            "rights": .string(rights.description),
        ]
        fields["clientVersion"] = clientVersion.map(JSONValue.string) ?? .null
        fields["godotVersion"] = godotVersion.map(JSONValue.string) ?? .null
        fields["userAgent"] = userAgent.map(JSONValue.string) ?? .null
        if !details.isEmpty { fields["identity"] = .object(details) }
        if let projectName { fields["name"] = .string(projectName) }
        if let node { fields["node"] = .string(node) }
        return .object(fields)
    }
}

extension ClientRecord {
    /// May receive commands: an identified, authenticated, open Godot editor.
    package var isRoutable: Bool { type == .godot && ready && open && authenticated }

    /// Routable and offering `tool` (any tool when nil). A method rather than `tool.map(record.offers)`:
    /// that partial application boxed a copy of the whole record per editor per routed call.
    func isRoutable(offering tool: String?) -> Bool {
        guard isRoutable else { return false }
        guard let tool else { return true }
        return offers(tool)
    }
}
