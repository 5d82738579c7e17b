import GatewayCore
import GatewayMCP
import Logging

/// The MCP sessions of hosts whose gateway process relays through this one (the owner of the port):
/// one dispatcher per relaying client, answering into that client's WebSocket. Pins, log level and
/// calls in progress are per session; a session ends (its calls cancelled) when its client leaves.
package final class RelaySessions {
    private var sessions: [String: MCPDispatcher] = [:]
    private let core: GatewayCore
    private let maxLineSize: Int
    private let logger: Logger
    private let audit: (([String: JSONValue]) -> Void)?
    private let hash: ([UInt8]) -> String
    /// What a session lists until it (or the gateway it relays for) says otherwise.
    private let toolsets: Set<String>

    init(core: GatewayCore, maxLineSize: Int, logger: Logger, audit: (([String: JSONValue]) -> Void)?, hash: @escaping ([UInt8]) -> String,
         toolsets: Set<String> = Toolsets.defaultSelection) {
        self.hash = hash
        self.toolsets = toolsets
        self.core = core
        self.maxLineSize = maxLineSize
        self.logger = logger
        self.audit = audit
    }

    var count: Int { sessions.count }

    /// The MCP session relayed by client `clientId`, if it is open.
    func session(_ clientId: String) -> MCPDispatcher? { sessions[clientId] }

    /// A JSON-RPC message relayed by client `clientId`.
    func handle(_ message: JSONValue, from clientId: String) {
        let session = sessions[clientId] ?? open(clientId)
        session.handle(.message(Array(message.jsonText.utf8)))
    }

    private func open(_ clientId: String) -> MCPDispatcher {
        logger.info("an MCP host relayed by another gateway process joined", metadata: ["client": "\(clientId)"])
        let core = core
        let session = MCPDispatcher(
            core: core, maxLineSize: maxLineSize, logger: logger, audit: audit, hash: hash, session: clientId,
            toolsets: toolsets
        ) { line in
            core.sendText(#"{"type":"mcp","message":"# + String(decoding: line, as: UTF8.self) + "}", to: clientId)
        }
        sessions[clientId] = session
        return session
    }

    /// The relaying client left: its calls still in progress are cancelled.
    func ended(_ clientId: String) {
        guard let session = sessions.removeValue(forKey: clientId) else { return }
        session.endSession()
        logger.info("a relayed MCP host left", metadata: ["client": "\(clientId)"])
    }

    func editorEvent(clientId: String, name: String) {
        for session in sessions.values { session.editorEvent(clientId: clientId, name: name) }
    }

    func toolsMayHaveChanged() {
        for session in sessions.values { session.toolsMayHaveChanged() }
    }

    /// A gateway event, told to every relayed host at the level it chose.
    func log(_ level: HostLogLevel, _ message: String) {
        for session in sessions.values { session.log(level, message) }
    }
}
