/// What the protocol core asks the socket layer to do. The core never touches a socket or a file
/// itself, which is what lets it run in unit tests with an injected clock.
package enum CoreEffect: Equatable, Sendable {
    /// Connections are addressed by handle: the socket layer files them by slot, so a message out
    /// hashes no id (a handle whose slot moved on to another connection is not acted on).
    case send(client: ClientHandle, text: String)
    case ping(client: ClientHandle)
    case close(client: ClientHandle, code: UInt16, reason: String)
    /// The connection is known as `id` from now on (a client resumed an earlier id on it), for logs.
    case rename(client: ClientHandle, id: String)
    /// A security event for the audit log (only when the core was created with auditing on).
    case audit([String: JSONValue])
    /// An event worth telling the MCP host (an editor came or went, a connection was refused).
    case hostLog(level: HostLogLevel, message: String)
    /// A JSON-RPC message from an MCP host relayed by another gateway process (client `clientId`).
    case relayedRequest(clientId: String, client: ClientHandle, message: JSONValue)
    /// A relaying client left: its MCP session ends.
    case sessionEnded(clientId: String)
    /// The editors' commands may have changed (one identified, resumed or left), settled for a moment:
    /// the MCP side recomputes its tool list and tells hosts if it differs.
    case toolsChanged
    /// A call for an editor on another cluster node, to send to that node (`GatewayCore+Cluster`).
    case forward(node: String, call: String)
    /// An editor reported an event (its state, and the recent events, changed).
    case editorEvent(clientId: String, name: String)
}

/// Severities of MCP logging (the syslog names of RFC 5424), lowest first.
package enum HostLogLevel: Int, Comparable, Sendable, CaseIterable {
    case debug, info, notice, warning, error, critical, alert, emergency

    package var name: String { String(describing: self) }

    package init?(name: String) {
        guard let level = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = level
    }

    package static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// WebSocket close codes the gateway uses (RFC 6455 §7.4.1).
package enum CloseCode {
    package static let goingAway: UInt16 = 1001
    package static let policyViolation: UInt16 = 1008
    package static let messageTooBig: UInt16 = 1009
    /// The gateway is at its client limit; the client may try again later.
    package static let tryAgainLater: UInt16 = 1013
    /// A resume token presented a second time.
    package static let duplicate: UInt16 = 4001
    /// No frame or pong for the heartbeat timeout.
    package static let stale: UInt16 = 4002
    /// The client resumed its id on another connection.
    package static let replaced: UInt16 = 4003
}
