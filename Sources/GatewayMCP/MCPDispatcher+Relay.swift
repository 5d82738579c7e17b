import GatewayCore

/// Relaying: this process's host is served by the gateway that owns the port (see `relay`). A modern
/// request goes as it came, its `_meta` judged again there; a handshake-era host's `initialize` and log
/// level are replayed to each gateway the link reaches, and the session's toolsets always are.
extension MCPDispatcher {
    /// A request relayed and not answered yet.
    struct Relayed {
        /// The host's request id as JSON text.
        let id: String
        let method: String
        let tool: String
        let started: Double
        let modern: Bool
    }

    /// Methods a relaying process passes to the gateway that owns the editors.
    static let relayedMethods: Set<String> = [
        "tools/call", "tools/list", "resources/list", "resources/templates/list", "resources/read", "resources/subscribe",
        "resources/unsubscribe", "subscriptions/listen",
    ]

    /// The gateway-private request that tells the owner which toolsets a relayed session lists.
    static let toolsetsSetupMethod = "godot-mcp/toolsets"

    var initializeRequest: JSONValue {
        ["jsonrpc": "2.0", "id": .string(Self.relaySetupPrefix + "initialize"), "method": "initialize",
         "params": initializeParams ?? ["protocolVersion": .string(handshakeVersion ?? Self.supportedProtocolVersions[0])]]
    }

    var setLevelRequest: JSONValue {
        ["jsonrpc": "2.0", "id": .string(Self.relaySetupPrefix + "setLevel"), "method": "logging/setLevel",
         "params": ["level": .string(logLevel.name)]]
    }

    var toolsetsRequest: JSONValue {
        ["jsonrpc": "2.0", "id": .string(Self.relaySetupPrefix + "toolsets"), "method": .string(Self.toolsetsSetupMethod),
         "params": ["toolsets": .array(toolsets.sorted().map(JSONValue.string))]]
    }

    /// What a newly attached gateway must hear first to serve this host as it expects (its protocol
    /// version and log level in the handshake era, and the toolsets it lists).
    package var relaySetupMessages: [JSONValue] {
        (handshakeVersion == nil ? [] : [initializeRequest, setLevelRequest]) + [toolsetsRequest]
    }

    /// The toolset tools change what this session lists: a relaying process answers them itself (and
    /// tells the owner), so its choice outlives a change of owner.
    func isToolsetCall(_ method: String, _ params: JSONValue) -> Bool {
        method == "tools/call" && Toolsets.alwaysListed.contains(params["name"]?.stringValue ?? "")
    }

    func relayCall(id: JSONValue, method: String, params: JSONValue, message: JSONValue, modern: Bool, relay: (JSONValue) -> Bool) {
        let key = id.jsonText
        let tool = params["name"]?.stringValue ?? ""
        let callKey = CallKey(idText: key)
        guard relayed[callKey] == nil, relayedListens[callKey] == nil else {
            return write(JSONRPCLine.error(
                id: key, code: .invalidRequest, message: "Invalid request: a request with id \(key.prefix(100)) is already in progress; each request needs its own id."))
        }
        if method == "subscriptions/listen" {
            relayedListens[callKey] = (id, ListenFilter(params["notifications"]))
        } else {
            relayed[callKey] = Relayed(id: key, method: method, tool: tool, started: core.clock.monotonicSeconds(), modern: modern)
        }
        guard relay(message) else {
            relayed[callKey] = nil
            relayedListens[callKey] = nil
            return write(unavailable(id: key, method: method, modern: modern, text: relayUnavailableMessage))
        }
    }

    /// What a relayed request hears when the link cannot carry it: a tool result for a call, an error otherwise.
    private func unavailable(id: String, method: String, modern: Bool, text: String) -> [UInt8] {
        method == "tools/call"
            ? JSONRPCLine.toolResult(id: id, text: text, isError: true, modern: modern)
            : JSONRPCLine.error(id: id, code: JSONRPCLine.ErrorCode.internalError.rawValue, message: text, data: nil)
    }

    /// A JSON-RPC message from the gateway this process relays through: answers to the host's calls and
    /// notifications go to the host; answers to this process's own setup requests are dropped.
    package func receiveFromOwner(_ message: JSONValue) {
        if let id = message["id"], message["method"] == nil {
            let key = CallKey(idText: id.jsonText)
            if relayedListens.removeValue(forKey: key) != nil { return write(Array(message.jsonText.utf8)) }
            guard let call = relayed.removeValue(forKey: key) else { return }
            write(Array(message.jsonText.utf8))
            guard call.method == "tools/call" else { return }
            let isError = message["result"]?["isError"]?.boolValue ?? (message["error"] != nil)
            recordCall(tool: call.tool, arguments: CommandParameters([:]), target: nil, kind: isError ? "relayed_error" : "relayed", started: call.started)
            return
        }
        if message["method"] != nil { write(Array(message.jsonText.utf8)) }
    }

    /// The link to the owning gateway broke: every request relayed and not answered ends now, clearly,
    /// and each listen stream is ended the way the modern era says a server ends one.
    package func relayLost() {
        let lost = relayed
        relayed.removeAll()
        for call in lost.values.sorted(by: { $0.id < $1.id }) {
            write(unavailable(id: call.id, method: call.method, modern: call.modern, text: relayLostMessage))
            if call.method == "tools/call" {
                recordCall(tool: call.tool, arguments: CommandParameters([:]), target: nil, kind: "relay_lost", started: call.started)
            }
        }
        let streams = relayedListens
        relayedListens.removeAll()
        for stream in streams.values.sorted(by: { $0.id.jsonText < $1.id.jsonText }) {
            write(JSONRPCLine.notification(
                method: "notifications/cancelled", params: ["requestId": stream.id, "reason": .string(relayLostMessage)]))
        }
    }

    package var relayedCallsInProgress: Int { relayed.count }
}
