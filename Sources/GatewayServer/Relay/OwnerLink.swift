import GatewayCore
import FoundationEssentials
import Glibc
import Logging

/// This process's connection to the gateway that owns the port, while this process relays its MCP
/// host's calls through it: a WebSocket client (`?type=mcp`, the same access token) on the service loop.
/// It identifies as a relay, carries the host's tools/call requests and cancellations as
/// `{"type":"mcp","message":…}` frames, and keeps the owner's latest `resume_state` for a takeover.
final class OwnerLink {
    enum State { case connecting, open, closed }

    private(set) var state = State.connecting
    private(set) var connection: Connection?
    let port: Int
    /// Where the link goes: the local port's owner, or an upstream gateway.
    let upstream: UpstreamConfiguration?
    private let token: String?
    private let logger: Logger
    /// The editors the owner last said could resume; adopted if this process takes the port over.
    private(set) var resumeState: JSONValue = []
    /// Frames to send once the link is open.
    private var waiting: [String] = []
    /// Called with each JSON-RPC message the owner sends for this process's host.
    var onMCPMessage: (JSONValue) -> Void = { _ in }
    /// Called once when the link is open, and once when it is gone (or could not be made).
    var onOpen: () -> Void = {}
    var onClosed: () -> Void = {}

    init(port: Int, token: String?, logger: Logger, upstream: UpstreamConfiguration? = nil) {
        self.port = upstream?.port ?? port
        self.upstream = upstream
        self.token = token
        self.logger = logger
    }

    /// Starts connecting to 127.0.0.1:`port` (or the upstream gateway). False when lws could not start it.
    func connect(runtime: LWSRuntime, protocolName: String) -> Bool {
        let target = upstream?.host ?? "127.0.0.1"
        let query = (upstream?.path ?? "/").contains("?") ? "&type=mcp" : "?type=mcp"
        guard let wsi = runtime.connect(
            host: target, port: port, path: (upstream?.path ?? "/") + query, secure: upstream?.secure == true, protocolName: protocolName)
        else { return false }
        connection = Connection(wsi: wsi, clientId: "owner")
        return true
    }

    /// Whether `wsi` is this link's connection.
    func owns(_ wsi: LWSConnection) -> Bool { connection?.wsi == wsi }

    /// The `Authorization` header the upgrade request carries (the access token), if any.
    var authorization: String? { token.map { "Bearer " + $0 } }

    func established(gatewayVersion: String) {
        state = .open
        send(["type": "identify", "clientType": "mcp", "clientVersion": .string(gatewayVersion),
              "relay": ["pid": .int(Int64(getpid()))]])
        if let upstream {
            logger.notice("connected to the upstream gateway; this MCP host's calls go there", metadata: ["upstream": "\(upstream.url)"])
        } else {
            logger.notice("relaying this MCP host's calls through the gateway that owns the port", metadata: ["port": "\(port)"])
        }
        onOpen()
        for frame in waiting { connection?.enqueue(.text(Array(frame.utf8))) }
        waiting.removeAll()
    }

    /// Sends one of the host's JSON-RPC messages to the owner. False when the link is not usable.
    @discardableResult
    func relay(_ message: JSONValue) -> Bool {
        guard state != .closed else { return false }
        let frame = #"{"type":"mcp","message":"# + message.jsonText + "}"
        if state == .open { connection?.enqueue(.text(Array(frame.utf8))) } else { waiting.append(frame) }
        return true
    }

    private func send(_ message: JSONValue) {
        connection?.enqueue(.text(Array(message.jsonText.utf8)))
    }

    /// A whole message from the owner.
    func received(_ payload: [UInt8]) {
        guard let message = try? JSONParser.parse(bytes: payload) else {
            logger.warning("the owning gateway sent a message that is not JSON")
            return
        }
        switch message["type"]?.stringValue {
        case "mcp": if let inner = message["message"] { onMCPMessage(inner) }
        case "resume_state": resumeState = message["editors"] ?? []
        case "heartbeat": send(["type": "heartbeat_response", "timestamp": message["timestamp"] ?? .null])
        case "error": logger.warning("the owning gateway reported an error", metadata: ["error": "\(message["error"]?.stringValue ?? "?")"])
        default: break  // handshake, heartbeat answers
        }
    }

    /// The connection closed, or could not be made (`reason`: lws' description, e.g. a refused upgrade).
    func closed(reason: String? = nil) {
        guard state != .closed else { return }
        if let reason, !reason.isEmpty {
            logger.warning("the connection to the other gateway failed", metadata: ["reason": "\(reason.prefix(200))"])
        }
        state = .closed
        connection = nil
        waiting.removeAll()
        onClosed()
    }
}
