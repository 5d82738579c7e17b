import GatewayCore

/// Everything the gateway asks the world to do, in order, as `GatewayEngine.handle` returns it.
package enum EngineAction: Equatable {
    /// A line (without its newline) for the MCP host on stdout.
    case writeHost([UInt8])
    /// Read stdin, or stop reading it while the host does not take its answers (backpressure).
    case setHostReading(Bool)
    /// Actions on a connection name its handle; the socket layer files connections by slot.
    case send(client: ClientHandle, text: String)
    case ping(client: ClientHandle)
    case close(client: ClientHandle, code: UInt16, reason: String)
    /// The connection is known as `id` from now on (a client resumed an earlier id on it), for logs.
    case rename(client: ClientHandle, id: String)
    /// The client relays another host's MCP session: its messages may be as large as the host's lines.
    case allowLargeMessages(client: ClientHandle)
    /// The answer to `.requestArrived`.
    case admitted(UpgradeGuard.Verdict)
    /// The answer to `.connectionOpened`: the new client's id and handle, or nil when the gateway refuses it.
    case accepted(AcceptedClient?)
    /// The answer to `.httpRequest`.
    case httpResponse(HTTPAnswer)
    case audit([String: JSONValue])
    /// Forward a call to another cluster node, or answer one another node forwarded here.
    case clusterForward(node: String, call: String)
    case clusterReply(to: String, text: String)
    /// This node's editors changed: publish its presence to the cluster if it did.
    case presenceMayHaveChanged
    /// Wake the engine with `.timerDue` at this monotonic time (infinity: no deadline).
    case wakeAt(Double)
    /// Shutdown reached its end: every connection was told to close.
    case closing
}

/// A complete HTTP response.
package struct HTTPAnswer: Equatable, Sendable {
    package var status: UInt32
    package var contentType: String
    package var body: [UInt8]
    package var headers: [Header] = []
    /// Written by hand, before the HTTP version is settled (a refusal of an upgrade or request).
    package var isRefusal = false

    package struct Header: Equatable, Sendable {
        package var name: String
        package var value: String
    }
}
