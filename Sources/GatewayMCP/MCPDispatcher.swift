import GatewayCore
import FoundationEssentials
import Glibc
import Logging

/// The MCP face of the gateway: answers the host's JSON-RPC requests, one line at a time, on the
/// service thread that owns the core. `tools/call` of an editor tool is routed through the core and
/// answered when its command ends; everything else is answered at once. Every failure of a tool is a
/// result with `isError: true` and a sentence a person can act on; every call is audited.
package final class MCPDispatcher {
    let core: GatewayCore
    /// Writes an audit record; nil when no audit log is configured.
    private let audit: (([String: JSONValue]) -> Void)?
    /// SHA-256 of the arguments as hex, for audit records (the arguments themselves are never logged).
    private let hash: ([UInt8]) -> String
    private let logger: Logger
    private let maxLineSize: Int
    /// Writes one response line (without its newline) to the host.
    let write: ([UInt8]) -> Void
    /// The host's name and version from `initialize`, for the audit log.
    var host = "unknown"
    /// Tool calls routed to editors and not answered yet, by the host's request id (as JSON text).
    private var inProgress: [String: Call] = [:]
    package var callsInProgress: Int { inProgress.count + relayed.count }

    /// The session is over (its relaying client left): calls still routed to editors are cancelled.
    package func endSession() {
        for call in inProgress.values where !call.commandId.isEmpty { core.cancel(call.commandId) }
        inProgress.removeAll()
    }
    /// The protocol version agreed in `initialize`; nothing is sent unasked before it.
    private var protocolVersion: String?
    /// Events below this level are not sent to the host (`logging/setLevel`).
    private var logLevel = HostLogLevel.warning
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
    /// Tool calls relayed and not answered yet, by the host's request id (as JSON text).
    private var relayed: [String: (tool: String, started: ContinuousClock.Instant)] = [:]
    /// Resources this session subscribed to, and the editors its resource list last had.
    var subscriptions: Set<String> = []
    var listedEditors: [String] = []
    /// The host's `initialize` params, replayed to each gateway this process relays through.
    private var initializeParams: JSONValue?
    /// Ids of the requests this process makes of the gateway it relays through; their answers are its own.
    static let relaySetupPrefix = "godot-mcp-relay-"

    static let supportedProtocolVersions = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]
    static let instructions = "Drives the Godot editors connected to this gateway. Tools act on the first ready editor."
    /// Nesting a request from the host may have; tool arguments are flat objects in practice.
    static let maximumRequestDepth = 64

    package init(
        core: GatewayCore, maxLineSize: Int, logger: Logger, audit: (([String: JSONValue]) -> Void)?, hash: @escaping ([UInt8]) -> String,
        session: String = "", write: @escaping ([UInt8]) -> Void
    ) {
        self.session = session
        self.core = core
        self.audit = audit
        self.hash = hash
        self.maxLineSize = maxLineSize
        self.logger = logger
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
        guard let name = method.stringValue else {
            return write(JSONRPCLine.error(id: idText, code: .invalidRequest, message: "Invalid request: method must be a string."))
        }
        let params = object["params"] ?? [:]
        if Self.relayedMethods.contains(name), let relay {
            return relayCall(id: idText, tool: params["name"]?.stringValue ?? "", message: message, relay: relay)
        }
        switch name {
        case "tools/call": callTool(id: idText, params: params)
        case "tools/list": write(JSONRPCLine.result(id: idText, resultJSON: toolListResult))
        case "ping": write(JSONRPCLine.result(id: idText, resultJSON: Array("{}".utf8)))
        case "initialize": initialize(id: idText, params: params)
        case "logging/setLevel": setLogLevel(id: idText, params: params)
        case "resources/list": write(JSONRPCLine.result(id: idText, resultJSON: Array(MCPResources.list(core: core).jsonText.utf8)))
        case "resources/templates/list": write(JSONRPCLine.result(id: idText, resultJSON: Array(#"{"resourceTemplates":[]}"#.utf8)))
        case "resources/read": readResource(id: idText, params: params)
        case "resources/subscribe", "resources/unsubscribe": subscribe(id: idText, params: params, on: name == "resources/subscribe")
        default:
            write(JSONRPCLine.error(id: idText, code: .methodNotFound, message: "Method not found: \(name.prefix(100))"))
        }
    }

    private func notification(_ method: String, params: JSONValue) {
        switch method {
        case "notifications/cancelled" where relay != nil:
            guard let requestId = params["requestId"], relayed.removeValue(forKey: requestId.jsonText) != nil else { return }
            _ = relay?(["jsonrpc": "2.0", "method": .string(method), "params": params])
        case "notifications/cancelled":
            // The host will not read an answer to this request: end its command and send nothing.
            guard let requestId = params["requestId"], let call = inProgress.removeValue(forKey: requestId.jsonText) else {
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

    /// Tells the host about a gateway event, when it is at or above the level the host asked for.
    package func log(_ level: HostLogLevel, _ message: String) {
        guard protocolVersion != nil, level >= logLevel else { return }
        write(JSONRPCLine.notification(
            method: "notifications/message",
            params: ["level": .string(level.name), "logger": "godot-mcp-gateway", "data": .string(message)]))
    }

    private func initialize(id: String, params: JSONValue) {
        let requested = params["protocolVersion"]?.stringValue ?? ""
        let version = Self.supportedProtocolVersions.contains(requested) ? requested : Self.supportedProtocolVersions[0]
        protocolVersion = version
        initializeParams = params
        if relay != nil { _ = relay?(initializeRequest) }
        if let info = params["clientInfo"] {
            host = "\(info["name"]?.stringValue ?? "unknown") \(info["version"]?.stringValue ?? "")"
        }
        let result: JSONValue = [
            "protocolVersion": .string(version),
            "capabilities": ["tools": ["listChanged": true], "logging": [:], "resources": ["subscribe": true, "listChanged": true]],
            "serverInfo": ["name": "godot-mcp-gateway", "version": .string(GatewayVersion.current)],
            "instructions": .string(Self.instructions),
        ]
        write(JSONRPCLine.result(id: id, resultJSON: Array(result.jsonText.utf8)))
    }

    /// The tools offered now and their `tools/list` result, kept until the editors' commands change.
    private var currentTools: (entries: [ToolCatalog.Entry], listResult: [UInt8])?

    private var toolListResult: [UInt8] { tools().listResult }

    private func tools() -> (entries: [ToolCatalog.Entry], listResult: [UInt8]) {
        if let currentTools { return currentTools }
        let entries = ToolCatalog.current(editors: core.routableEditors)
        let made = (entries, ToolCatalog.listResult(entries))
        currentTools = made
        return made
    }

    /// The editors' commands may have changed: the host is told when its tool list did (and that the
    /// list of resources changed, since editors came or went).
    package func toolsMayHaveChanged() {
        if relay == nil, protocolVersion != nil {
            let editors = core.routableEditors.map(\.id)
            if editors != listedEditors {
                listedEditors = editors
                write(JSONRPCLine.notification(method: "notifications/resources/list_changed", params: [:]))
                if subscriptions.contains(MCPResources.clients) { resourceUpdated(MCPResources.clients) }
            }
        }
        let before = currentTools?.listResult
        currentTools = nil
        guard relay == nil, let before, tools().listResult != before, protocolVersion != nil else { return }
        write(JSONRPCLine.notification(method: "notifications/tools/list_changed", params: [:]))
    }

    // MARK: tools/call

    /// A tool call waiting for its editor.
    private struct Call {
        let commandId: String
        let tool: String
        let arguments: JSONValue
        let started: ContinuousClock.Instant
    }

    private func callTool(id: String, params: JSONValue) {
        guard let name = params["name"]?.stringValue else {
            return write(JSONRPCLine.error(id: id, code: .invalidParams, message: "tools/call needs params.name, the tool's name."))
        }
        let arguments = params["arguments"] ?? [:]
        let started = ContinuousClock.now
        let answer: (String, Bool, String?, String) -> Void = { [self] text, isError, target, kind in
            write(JSONRPCLine.toolResult(id: id, text: text, isError: isError))
            recordCall(tool: name, arguments: arguments, target: target, kind: kind, started: started)
        }
        guard let entry = tools().entries.first(where: { $0.name == name }) ?? ToolCatalog.entry(named: name) else {
            return answer("Unknown tool '\(name.prefix(100))'. Call tools/list for the tools this gateway offers.", true, nil, "unknown_tool")
        }
        // Rights: a read-only caller's call runs only where the tool reads — the gateway judges its own
        // tools here, the target editor judges the tools it declared once the call reaches it (core).
        let caller = core.registry[session]
        let readOnlyCaller = caller.flatMap { $0.rights < .full ? ($0.caller ?? "This caller") : nil }
        let readsOnlyByGateway = entry.isGatewayTool ? entry.readOnly : ToolCatalog.builtInReadOnly[name]
        if let caller, caller.rights == .dashboardView {
            return answer("\(caller.caller ?? "This caller") signed in to the dashboard, which only views; it calls no tools.", true, nil, "read_only_caller")
        }
        if let readOnlyCaller, readsOnlyByGateway == false {
            return answer(CommandFailure.readOnlyCaller(caller: readOnlyCaller, tool: name, clientId: nil).description, true, nil, "read_only_caller")
        }
        if let problem = ArgumentValidator.problem(in: arguments, schema: entry.inputSchema) {
            return answer(CommandFailure.invalidArguments(problem).description, true, nil, "invalid_arguments")
        }
        if entry.isGatewayTool {
            switch name {
            case "select_client": return selectClient(arguments["client"]?.stringValue, answer: answer)
            case "list_clients": return answer(core.clientsReport.prettyJSONText, false, nil, "success")
            case "lock_scene", "unlock_scene":
                return lockScene(arguments["scene"]?.stringValue ?? "", locking: name == "lock_scene", answer: answer)
            default: return answer(core.statisticsReport.prettyJSONText, false, nil, "success")
            }
        }
        var forwarded = arguments
        var target: String?
        var waitSeconds: Double?
        if case .object(var members) = arguments {
            target = members.removeValue(forKey: ToolCatalog.clientArgument)?.stringValue
            waitSeconds = members.removeValue(forKey: ToolCatalog.waitArgument)?.doubleValue
            forwarded = .object(members)
        }
        // When another editor could have answered, the result says which one did.
        let several = target == nil && core.registry.routableCount(offering: name) > 1
        var request = CommandRequest(
            name: name, params: forwarded, target: target, session: session, onProgress: progressReporter(token: params["_meta"]?["progressToken"])
        ) { [self, logger] outcome in
            guard inProgress.removeValue(forKey: id) != nil else { return }
            switch outcome {
            case .success(let result, let clientId) where entry.returnsImage:
                writeImage(id: id, result: result, clientId: clientId)
                recordCall(tool: name, arguments: arguments, target: clientId, kind: "success", started: started)
            case .success(let result, let clientId):
                let editor = several ? core.registry[clientId]?.displayName ?? clientId : nil
                write(JSONRPCLine.toolResult(
                    id: id, text: result.text, isError: false, structured: structuredContent(result),
                    note: editor.map { "(Answered by Godot editor \($0).)" },
                    meta: several ? ["godot-mcp/clientId": .string(clientId)] : nil))
                recordCall(tool: name, arguments: arguments, target: clientId, kind: "success", started: started)
            case .failure(let failure):
                logger.info("tool call failed", metadata: ["tool": "\(name)", "reason": "\(failure.kind)"])
                answer(failure.description, true, failure.clientId, failure.kind)
            }
        }
        request.waitSeconds = waitSeconds
        request.readOnlyCaller = readOnlyCaller
        request.readsOnlyByGateway = readsOnlyByGateway
        // Registered before submitting: an immediate failure completes (and unregisters) inside submit.
        inProgress[id] = Call(commandId: "", tool: name, arguments: arguments, started: started)
        if let commandId = core.submit(request), inProgress[id] != nil {
            inProgress[id] = Call(commandId: commandId, tool: name, arguments: arguments, started: started)
        }
    }

    /// `select_client`: pins this session's calls that name no editor, or unpins them.
    private func selectClient(_ name: String?, answer: (String, Bool, String?, String) -> Void) {
        guard let name else {
            core.pin(nil, session: session)
            return answer("Calls that name no editor go to the default routing again.", false, nil, "success")
        }
        switch TargetResolution.resolve(name, among: core.routableEditors) {
        case .found(let clientId):
            core.pin(clientId, session: session)
            let editor = core.registry[clientId]?.displayName ?? clientId
            answer("Calls that name no editor now go to Godot editor \(editor).", false, clientId, "success")
        case .unknown(let editors):
            answer(CommandFailure.unknownTarget(name: name, editors: editors).description, true, nil, "unknown_target")
        case .ambiguous(let matches):
            answer(CommandFailure.ambiguousTarget(name: name, matches: matches).description, true, nil, "ambiguous_target")
        }
    }

    /// Sends the editor's progress to the host as `notifications/progress`, when the host asked for it.
    private func progressReporter(token: JSONValue?) -> ((CommandProgress) -> Void)? {
        guard let token, token.isValidRequestID else { return nil }
        return { [self] update in
            var params: [String: JSONValue] = ["progressToken": token, "progress": .double(update.progress)]
            if let total = update.total { params["total"] = .double(total) }
            if let message = update.message { params["message"] = .string(message) }
            write(JSONRPCLine.notification(method: "notifications/progress", params: .object(params)))
        }
    }

    /// An editor's result that is a JSON object is also the call's `structuredContent` (MCP 2025-06-18 on),
    /// unless it is large or deep: then it would double what the host reads, and hosts' JSON parsers stop
    /// at a few hundred levels (the official Python SDK refused a 300-node-deep scene tree whole), while
    /// the text form carries any depth inside a string.
    private func structuredContent(_ result: JSONText) -> String? {
        guard let protocolVersion, protocolVersion >= "2025-06-18", result.text.utf8.count <= Self.structuredContentLimit,
              result.text.utf8.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) == UInt8(ascii: "{")
        else { return nil }
        var text = result.text
        let shallow = text.withUTF8 { NestingDepth.isWithin(UnsafeRawBufferPointer($0), limit: Self.maximumRequestDepth) }
        return shallow ? text : nil
    }

    static let structuredContentLimit = 256 * 1024

    /// Who made a call, for the audit log: the relaying connection's caller, or the host on stdio.
    private var callerForAudit: JSONValue {
        guard !session.isEmpty else { return "stdio host" }
        guard let record = core.registry[session] else { return .null }
        return record.caller.map(JSONValue.string) ?? (core.security.requiresToken ? .null : "anonymous (--no-auth)")
    }

    private func recordCall(tool: String, arguments: JSONValue, target: String?, kind: String, started: ContinuousClock.Instant) {
        guard let audit else { return }
        let elapsed = ContinuousClock.now - started
        audit([
            "event": "tool_call",
            "host": .string(host),
            "caller": callerForAudit,
            "tool": .string(tool),
            "target": target.map(JSONValue.string) ?? .null,
            "argumentsSHA256": .string(hash(Array(arguments.jsonText.utf8))),
            "durationMs": .double(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000),
            "outcome": .string(kind),
        ])
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

/// Relaying: this process's host is served by the gateway that owns the port (see `relay`).
extension MCPDispatcher {
    private var initializeRequest: JSONValue {
        ["jsonrpc": "2.0", "id": .string(Self.relaySetupPrefix + "initialize"), "method": "initialize",
         "params": initializeParams ?? ["protocolVersion": .string(protocolVersion ?? Self.supportedProtocolVersions[0])]]
    }

    private var setLevelRequest: JSONValue {
        ["jsonrpc": "2.0", "id": .string(Self.relaySetupPrefix + "setLevel"), "method": "logging/setLevel",
         "params": ["level": .string(logLevel.name)]]
    }

    /// What a newly attached gateway must hear first to serve this host as it expects (its protocol
    /// version and log level).
    package var relaySetupMessages: [JSONValue] {
        protocolVersion == nil ? [] : [initializeRequest, setLevelRequest]
    }

    func relayCall(id: String, tool: String, message: JSONValue, relay: (JSONValue) -> Bool) {
        relayed[id] = (tool, ContinuousClock.now)
        guard relay(message) else {
            relayed[id] = nil
            write(JSONRPCLine.toolResult(id: id, text: relayUnavailableMessage, isError: true))
            return
        }
    }

    /// A JSON-RPC message from the gateway this process relays through: answers to the host's calls and
    /// notifications go to the host; answers to this process's own setup requests are dropped.
    package func receiveFromOwner(_ message: JSONValue) {
        if let id = message["id"], message["method"] == nil {
            guard let call = relayed.removeValue(forKey: id.jsonText) else { return }
            write(Array(message.jsonText.utf8))
            let isError = message["result"]?["isError"]?.boolValue ?? (message["error"] != nil)
            recordCall(tool: call.tool, arguments: [:], target: nil, kind: isError ? "relayed_error" : "relayed", started: call.started)
            return
        }
        if message["method"] != nil { write(Array(message.jsonText.utf8)) }
    }

    /// The link to the owning gateway broke: every call relayed and not answered ends now, clearly.
    package func relayLost() {
        let lost = relayed
        relayed.removeAll()
        for (id, call) in lost.sorted(by: { $0.key < $1.key }) {
            write(JSONRPCLine.toolResult(id: id, text: relayLostMessage, isError: true))
            recordCall(tool: call.tool, arguments: [:], target: nil, kind: "relay_lost", started: call.started)
        }
    }

    package var relayedCallsInProgress: Int { relayed.count }
}

/// Resources (the gateway's state) and scene locks.
extension MCPDispatcher {
    /// Methods a relaying process passes to the gateway that owns the editors.
    static let relayedMethods: Set<String> = [
        "tools/call", "tools/list", "resources/list", "resources/templates/list", "resources/read", "resources/subscribe",
        "resources/unsubscribe",
    ]

    func readResource(id: String, params: JSONValue) {
        guard let uri = params["uri"]?.stringValue else {
            return write(JSONRPCLine.error(id: id, code: .invalidParams, message: "resources/read needs params.uri"))
        }
        guard let content = MCPResources.read(uri, core: core) else {
            return write(JSONRPCLine.error(id: id, code: .resourceNotFound, message: "Resource not found: \(uri.prefix(200))"))
        }
        let result: JSONValue = ["contents": [["uri": .string(uri), "mimeType": "application/json", "text": .string(content.prettyJSONText)]]]
        write(JSONRPCLine.result(id: id, resultJSON: Array(result.jsonText.utf8)))
    }

    func subscribe(id: String, params: JSONValue, on: Bool) {
        guard let uri = params["uri"]?.stringValue else {
            return write(JSONRPCLine.error(id: id, code: .invalidParams, message: "needs params.uri"))
        }
        if on { subscriptions.insert(uri) } else { subscriptions.remove(uri) }
        write(JSONRPCLine.result(id: id, resultJSON: Array("{}".utf8)))
    }

    /// An editor reported an event: subscribed resources it changed are announced.
    package func editorEvent(clientId: String, name: String) {
        guard relay == nil, !subscriptions.isEmpty else { return }
        for uri in MCPResources.updated(by: name, of: clientId) where subscriptions.contains(uri) { resourceUpdated(uri) }
    }

    func resourceUpdated(_ uri: String) {
        write(JSONRPCLine.notification(method: "notifications/resources/updated", params: ["uri": .string(uri)]))
    }

    func lockScene(_ scene: String, locking: Bool, answer: (String, Bool, String?, String) -> Void) {
        guard !scene.isEmpty else { return answer("Name the scene: scene (a res:// path).", true, nil, "invalid_arguments") }
        guard locking else {
            return core.unlock(scene: scene, session: session)
                ? answer("Unlocked \(scene).", false, nil, "success")
                : answer("This session holds no lock on \(scene).", true, nil, "not_locked")
        }
        switch core.lock(scene: scene, session: session, holder: host + (session.isEmpty ? "" : " (via another gateway)")) {
        case .success(let lock):
            answer("Locked \(scene) for this session for \(Int(core.settings.lockTimeout)) s (lock_scene again to renew). "
                + "Other sessions' editing calls on it are refused until unlock_scene.", false, nil, "success")
            _ = lock
        case .failure(let failure):
            answer(failure.description, true, nil, failure.kind)
        }
    }
}

/// Image results: a tool the editor declares `returnsImage` answers `{"image_data": <base64>,
/// "image_mime_type": …, …}`; the host gets MCP image content, and the other fields as text.
extension MCPDispatcher {
    func writeImage(id: String, result: JSONText, clientId: String) {
        guard case .object(var fields)? = try? JSONParser.parse(bytes: Array(result.text.utf8)),
              let data = fields.removeValue(forKey: "image_data")?.stringValue,
              let mimeType = fields.removeValue(forKey: "image_mime_type")?.stringValue, mimeType.hasPrefix("image/")
        else {
            return write(JSONRPCLine.toolResult(
                id: id, text: "The Godot editor \(clientId) answered without an image (image_data, image_mime_type).", isError: true))
        }
        write(JSONRPCLine.imageResult(
            id: id, data: data, mimeType: mimeType, text: JSONValue.object(fields).jsonText,
            meta: ["godot-mcp/clientId": .string(clientId)]))
    }
}
