import GatewayCore
import Logging

/// The MCP face of the gateway: answers the host's JSON-RPC requests, one line at a time, on the
/// service thread that owns the core. Both eras of MCP are spoken on the same line: a request naming
/// 2026-07-28 in its `_meta` is served as that era (no handshake, `resultType` on every result), any
/// other as the handshake era. `tools/call` of an editor tool is routed through the core and answered
/// when its command ends; everything else is answered at once. Every failure of a tool is a result
/// with `isError: true` and a sentence a person can act on; every call is audited.
package final class MCPDispatcher {
    let core: GatewayCore
    /// Writes an audit record; nil when no audit log is configured.
    let audit: (([String: JSONValue]) -> Void)?
    /// SHA-256 of the arguments as hex, for audit records (the arguments themselves are never logged).
    let hash: ([UInt8]) -> String
    let logger: Logger
    private let maxLineSize: Int
    /// Writes one response line (without its newline) to the host.
    let write: ([UInt8]) -> Void
    /// The host's name and version (from `initialize`, or a modern request's clientInfo), for the audit log.
    var host = "unknown"
    /// Tool calls routed to editors and not answered yet, by the host's request id (`CallKey`: an
    /// integer id is placed by one multiplication, on each call's way in and out; see `CallTable`).
    var inProgress = CallTable<Call>()
    package var callsInProgress: Int { inProgress.count + relayed.count }

    /// The session is over (its relaying client left): calls still routed to editors are cancelled.
    package func endSession() {
        for call in inProgress.values where !call.commandId.isEmpty { core.cancel(call.commandId) }
        inProgress.removeAll()
        listens.removeAll()
    }
    /// The protocol version agreed in `initialize`; until then nothing is sent unasked in the handshake era.
    var handshakeVersion: String? {
        didSet { handshakeHasStructuredContent = (handshakeVersion ?? "") >= "2025-06-18" }
    }
    /// Whether the agreed version has `structuredContent` (2025-06-18 on): judged once, not per answer.
    private(set) var handshakeHasStructuredContent = false
    /// Events below this level are not sent to a handshake-era host (`logging/setLevel`).
    var logLevel = HostLogLevel.warning
    /// The MCP session this dispatcher answers: "" for the host on stdio, else a relaying client's id.
    package let session: String
    /// Set while this process relays its host's calls through the gateway that owns the port: tools/call
    /// and cancellations go there (false: the link is down). Everything else is answered here.
    package var relay: ((JSONValue) -> Bool)?
    /// What a call in flight hears when the relay link breaks.
    package var relayLostMessage = "The gateway process that owned the Godot editors exited during this call; the command may or "
        + "may not have run. This gateway is taking over; try again in a moment."
    /// What a call hears when the relay link is down.
    package var relayUnavailableMessage = "The gateway that serves the Godot editors is changing over (the process that owned the port "
        + "exited); try again in a moment."
    /// Requests relayed and not answered yet, by the host's request id (`CallKey`, as `inProgress`).
    var relayed: [CallKey: Relayed] = [:]
    /// `subscriptions/listen` requests relayed: open until the host cancels them or the link breaks.
    var relayedListens: [CallKey: (id: JSONValue, filter: ListenFilter)] = [:]
    /// Resources this session subscribed to in the handshake era, and the editors its resource list last had.
    var subscriptions: Set<String> = []
    var listedEditors: [String] = []
    /// The modern era's open `subscriptions/listen` streams, by request id.
    var listens: [CallKey: (id: JSONValue, filter: ListenFilter)] = [:]
    /// The host's `initialize` params, replayed to each gateway this process relays through.
    var initializeParams: JSONValue?
    /// The tools offered now and this session's `tools/list` result, kept until either changes.
    var currentTools: OfferedTools?
    /// The toolsets this session's `tools/list` shows.
    package internal(set) var toolsets: Set<String>
    /// Ids of the requests this process makes of the gateway it relays through; their answers are its own.
    static let relaySetupPrefix = "godot-mcp-relay-"

    static let supportedProtocolVersions = ProtocolEra.handshakeVersions
    static let instructions = "Drives the Godot editors connected to this gateway. Tools act on the first ready editor. "
        + "Tools come in toolsets; list_toolsets shows them all, enable_toolset lists more."
    /// Nesting a request from the host may have; tool arguments are flat objects in practice.
    static let maximumRequestDepth = 64

    package init(
        core: GatewayCore, maxLineSize: Int, logger: Logger, audit: (([String: JSONValue]) -> Void)?, hash: @escaping ([UInt8]) -> String,
        session: String = "", toolsets: Set<String> = Toolsets.defaultSelection, write: @escaping ([UInt8]) -> Void
    ) {
        self.session = session
        self.core = core
        self.audit = audit
        self.hash = hash
        self.maxLineSize = maxLineSize
        self.logger = logger
        self.toolsets = toolsets
        self.write = write
    }

    package func handle(_ line: LineSplitter.Line) {
        switch line {
        case .oversize(let head, let length):
            let id = LeadingIdentifier.find(in: head)?.jsonText ?? "null"
            logger.warning("request from the MCP host over the size limit refused", metadata: ["bytes": "\(length)"])
            write(JSONRPCLine.error(
                id: id, code: .invalidRequest,
                message: "Request of \(length) bytes exceeds the gateway's limit of \(maxLineSize) bytes (see --max-message-size)."))
        case .message(let bytes):
            handle(message: bytes)
        }
    }

    private func handle(message bytes: [UInt8]) {
        // Most lines are tools/call: scanned, not parsed (see `callScannedTool`); a relayed session's calls
        // go on whole, and any other or unusual request takes the full path below.
        if relay == nil, bytes.withUnsafeBytes({ callScannedTool($0) }) { return }
        let depthOK = bytes.withUnsafeBytes { NestingDepth.isWithin($0, limit: Self.maximumRequestDepth) }
        guard depthOK else {
            let id = LeadingIdentifier.find(in: bytes)?.jsonText ?? "null"
            return write(JSONRPCLine.error(
                id: id, code: .invalidRequest, message: "Request nests deeper than \(Self.maximumRequestDepth) levels."))
        }
        guard let message = try? JSONParser.parse(bytes: bytes) else {
            // JSON-RPC 2.0 §5: when the id cannot be known, it is null.
            return write(JSONRPCLine.error(id: "null", code: .parseError, message: "Parse error: the line is not valid JSON."))
        }
        guard case .object(let object) = message else {
            let what = if case .array = message { "batches are not supported" } else { "a request must be a JSON object" }
            return write(JSONRPCLine.error(id: "null", code: .invalidRequest, message: "Invalid request: \(what)."))
        }
        guard let method = object["method"] else {
            // A response to a request of ours; the gateway sends none, so there is nothing to match.
            logger.debug("message without a method from the MCP host ignored")
            return
        }
        guard let id = object["id"] else {
            return notification(method.stringValue ?? "", params: object["params"] ?? [:])
        }
        let idText = id.jsonText
        guard id.isValidRequestID else {
            return write(JSONRPCLine.error(id: "null", code: .invalidRequest, message: "Invalid request: id must be a string or a number."))
        }
        // MCP's ids are strings or integers. A fraction, an exponent or an integer past 64 bits would be
        // written back rounded (71.0 as 71): the answer would carry an id the host never sent, or the id
        // of another call in flight.
        if case .double = id {
            return write(JSONRPCLine.error(
                id: "null", code: .invalidRequest,
                message: "Invalid request: a numeric id must be an integer within 64 bits, written without a fraction or an exponent."))
        }
        guard let name = method.stringValue else {
            return write(JSONRPCLine.error(id: idText, code: .invalidRequest, message: "Invalid request: method must be a string."))
        }
        let params = object["params"] ?? [:]
        let modern: ModernRequest?
        switch RequestJudgement.judge(params) {
        case .refused(let code, let text, let data): return write(JSONRPCLine.error(id: idText, code: code, message: text, data: data))
        case .modern(let request): modern = request
        case .handshake: modern = nil
        }
        if Self.relayedMethods.contains(name), let relay, !isToolsetCall(name, params) {
            return relayCall(id: id, method: name, params: params, message: message, modern: modern != nil, relay: relay)
        }
        if let modern { return handleModern(name, id: id, params: params, request: modern) }
        switch name {
        case "tools/call": callTool(id: idText, params: params, modern: nil)
        case "tools/list": write(JSONRPCLine.result(id: idText, resultJSON: toolListResult))
        case "ping": write(JSONRPCLine.result(id: idText, resultJSON: Array("{}".utf8)))
        case "initialize": initialize(id: idText, params: params)
        case "server/discover": write(JSONRPCLine.result(id: idText, resultJSON: ModernResult.discover))
        case "logging/setLevel": setLogLevel(id: idText, params: params)
        case "resources/list": write(JSONRPCLine.result(id: idText, resultJSON: Array(MCPResources.list(core: core).jsonText.utf8)))
        case "resources/templates/list": write(JSONRPCLine.result(id: idText, resultJSON: Array(#"{"resourceTemplates":[]}"#.utf8)))
        case "resources/read": readResource(id: idText, params: params, modern: false)
        case "resources/subscribe", "resources/unsubscribe": subscribe(id: idText, params: params, on: name == "resources/subscribe")
        case Self.toolsetsSetupMethod: adoptToolsets(id: idText, params: params)
        default:
            write(JSONRPCLine.error(id: idText, code: .methodNotFound, message: "Method not found: \(name.prefix(100))"))
        }
    }

    /// A request of the 2026-07-28 era. `ping`, `logging/setLevel`, `resources/subscribe` and `initialize`
    /// are not methods of this era.
    private func handleModern(_ name: String, id: JSONValue, params: JSONValue, request: ModernRequest) {
        let idText = id.jsonText
        if let client = request.client { host = client }
        switch name {
        case "tools/call": callTool(id: idText, params: params, modern: request)
        case "tools/list": write(JSONRPCLine.modernResult(id: idText, resultJSON: ModernResult.cacheable(toolListResult, ttlMs: 0, scope: "private")))
        case "server/discover": write(JSONRPCLine.result(id: idText, resultJSON: ModernResult.discover))
        case "resources/list":
            let list = Array(MCPResources.list(core: core).jsonText.utf8)
            write(JSONRPCLine.modernResult(id: idText, resultJSON: ModernResult.cacheable(list, ttlMs: 0, scope: "private")))
        case "resources/templates/list":
            let list = Array(#"{"resourceTemplates":[]}"#.utf8)
            write(JSONRPCLine.modernResult(id: idText, resultJSON: ModernResult.cacheable(list, ttlMs: 3_600_000, scope: "public")))
        case "resources/read": readResource(id: idText, params: params, modern: true)
        case "subscriptions/listen": listen(id: id, params: params)
        default:
            write(JSONRPCLine.error(id: idText, code: .methodNotFound, message: "Method not found in MCP \(request.version): \(name.prefix(100))"))
        }
    }

    private func notification(_ method: String, params: JSONValue) {
        switch method {
        case "notifications/cancelled" where relay != nil:
            guard let requestId = params["requestId"] else { return }
            let key = CallKey(idText: requestId.jsonText)
            guard relayed.removeValue(forKey: key) != nil || relayedListens.removeValue(forKey: key) != nil else { return }
            _ = relay?(["jsonrpc": "2.0", "method": .string(method), "params": params])
        case "notifications/cancelled":
            // The host will not read an answer to this request: end its command (or stream) and send nothing.
            guard let requestId = params["requestId"] else { return }
            if listens.removeValue(forKey: CallKey(idText: requestId.jsonText)) != nil { return }
            guard let call = inProgress.removeValue(forKey: CallKey(idText: requestId.jsonText)) else {
                return  // unknown or already answered: ignored, as the specification says
            }
            core.cancel(call.commandId)
            recordCall(tool: call.tool, arguments: call.arguments, target: nil, kind: "cancelled", started: call.started)
        default:
            // notifications/initialized and others need no answer.
            logger.debug("notification from the MCP host", metadata: ["method": "\(method.prefix(100))"])
        }
    }

    private func setLogLevel(id: String, params: JSONValue) {
        guard let name = params["level"]?.stringValue, let level = HostLogLevel(name: name) else {
            let names = HostLogLevel.allCases.map(\.name).joined(separator: ", ")
            return write(JSONRPCLine.error(id: id, code: .invalidParams, message: "level must be one of \(names)"))
        }
        logLevel = level
        write(JSONRPCLine.result(id: id, resultJSON: Array("{}".utf8)))
        _ = relay?(setLevelRequest)
    }

    /// Tells the host about a gateway event: a handshake-era host at or above the level it set; in the
    /// modern era only while a request that asked for this level is being answered (the spec forbids
    /// log notifications nobody asked for).
    package func log(_ level: HostLogLevel, _ message: String) {
        let wanted: HostLogLevel? = if handshakeVersion != nil { logLevel } else { inProgress.values.compactMap(\.logLevel).min() }
        guard let wanted, level >= wanted else { return }
        writeLog(level, message)
    }

    func writeLog(_ level: HostLogLevel, _ message: String) {
        write(JSONRPCLine.notification(
            method: "notifications/message",
            params: ["level": .string(level.name), "logger": "godot-mcp-gateway", "data": .string(message)]))
    }

    private func initialize(id: String, params: JSONValue) {
        let requested = params["protocolVersion"]?.stringValue ?? ""
        let version = Self.supportedProtocolVersions.contains(requested) ? requested : Self.supportedProtocolVersions[0]
        handshakeVersion = version
        initializeParams = params
        if relay != nil { _ = relay?(initializeRequest) }
        if let info = params["clientInfo"] {
            host = "\(info["name"]?.stringValue ?? "unknown") \(info["version"]?.stringValue ?? "")"
        }
        let result: JSONValue = [
            "protocolVersion": .string(version),
            "capabilities": ["tools": ["listChanged": true], "logging": [:], "resources": ["subscribe": true, "listChanged": true]],
            "serverInfo": ModernResult.serverInfo,
            "instructions": .string(Self.instructions),
        ]
        write(JSONRPCLine.result(id: id, resultJSON: Array(result.jsonText.utf8)))
    }
}

extension JSONValue {
    /// JSON-RPC ids are strings or numbers (null is allowed by the letter of 2.0 but matches nothing).
    var isValidRequestID: Bool {
        switch self {
        case .string, .int, .double: true
        default: false
        }
    }
}
