import GatewayCore
import Logging

/// `tools/list` and `tools/call`.
extension MCPDispatcher {
    /// A tool call waiting for its editor: what answering it needs once the core replies.
    struct Call {
        /// The host's request id as JSON text, for the answer.
        let id: String
        var commandId: String
        let tool: String
        /// Kept for the audit record only (nil without an audit log: a smaller record to store and free).
        let arguments: CommandParameters?
        /// When it was made (the core's clock, seconds); 0 when neither the audit log nor a log level the
        /// request asked for will read it.
        let started: Double
        /// The log level a modern request asked for (nil: none, or a handshake-era request).
        var logLevel: HostLogLevel? = nil
        var modern = false
        var returnsImage = false
        /// Several editors could have answered: the result says which one did.
        var several = false
        /// The host's `_meta.progressToken`, when it wants progress.
        var progressToken: JSONValue?
    }

    var toolListResult: [UInt8] { tools().listResult }

    /// The tools offered now (all of them, for calls) and this session's `tools/list` result (its
    /// toolsets), kept until the editors' commands or the toolsets change.
    func tools() -> OfferedTools {
        if let currentTools { return currentTools }
        let entries = ToolCatalog.current(editors: core.routableEditors)
        let made = OfferedTools(entries: entries, listResult: ToolCatalog.listResult(ToolCatalog.listed(entries, toolsets: toolsets)))
        currentTools = made
        return made
    }

    /// The tool `name` with its schema: one offered now, or one of the gateway's catalog.
    func tool(named name: String) -> CalledTool? {
        // Through the optional, in place: the schema read for a first call (and the last tool called) is
        // kept in `currentTools`. One access to it when the tools are known (the common case).
        if let found = currentTools?.tool(named: name) { return found }
        if currentTools == nil {
            _ = tools()
            if let found = currentTools?.tool(named: name) { return found }
        }
        return ToolCatalog.calledTool(named: name)
    }

    /// The editors' commands (or this session's toolsets) may have changed: the host is told when its
    /// tool list did (and that the list of resources changed, since editors came or went) — a
    /// handshake-era host once initialized, a modern one on the `subscriptions/listen` streams that asked.
    package func toolsMayHaveChanged() {
        if relay == nil {
            let editors = core.routableEditors.map(\.id)
            if editors != listedEditors {
                listedEditors = editors
                announce("notifications/resources/list_changed", legacy: handshakeVersion != nil) { $0.resourcesListChanged }
                resourceUpdated(MCPResources.clients)
            }
        }
        let before = currentTools?.listResult
        currentTools = nil
        guard relay == nil, let before, tools().listResult != before else { return }
        announceToolListChanged()
    }

    func announceToolListChanged() {
        announce("notifications/tools/list_changed", legacy: handshakeVersion != nil) { $0.toolsListChanged }
    }

    func callTool(id: String, params: JSONValue, modern: ModernRequest?) {
        guard let name = params["name"]?.stringValue else {
            return write(JSONRPCLine.error(id: id, code: .invalidParams, message: "tools/call needs params.name, the tool's name."))
        }
        callTool(
            id: id, name: name, arguments: CommandParameters(params["arguments"] ?? [:]), progressToken: params["_meta"]?["progressToken"],
            modern: modern)
    }

    /// `arguments`: as a value, with its text (without the gateway's own `client` and `wait_seconds`, as
    /// the host wrote them) when the request was scanned; or as text alone when `fittingTool` is given:
    /// flat arguments without the gateway's own that `ArgumentValidator.certainlyFits` passed for that
    /// tool, this one (looked up once, by the caller). The text is sent to the editor instead of
    /// writing the value out again.
    func callTool(
        id: String, name: String, arguments: CommandParameters, fittingTool: CalledTool? = nil, progressToken: JSONValue?,
        modern: ModernRequest?
    ) {
        let key = CallKey(idText: id)
        // Two calls in flight under one id could not be told apart: the second would take the first's place
        // and its answer. The first goes on; the second is refused.
        guard !inProgress.contains(key) else {
            return write(JSONRPCLine.error(
                id: id, code: .invalidRequest, message: "Invalid request: a call with id \(id.prefix(100)) is already in progress; each request needs its own id."))
        }
        // When the call was made serves the audit record and a modern request's log messages only: the
        // clock (behind a protocol) is read for those alone.
        let started = audit != nil || modern?.logLevel != nil ? core.clock.monotonicSeconds() : 0
        let argumentsFit = fittingTool != nil
        let isModern = modern != nil
        let answer: (String, Bool, String?, String) -> Void = { [self] text, isError, target, kind in
            write(JSONRPCLine.toolResult(id: id, text: text, isError: isError, modern: isModern))
            recordCall(tool: name, arguments: arguments, target: target, kind: kind, started: started)
        }
        guard let tool = fittingTool ?? tool(named: name) else {
            return answer("Unknown tool '\(name.prefix(100))'. Call tools/list for the tools this gateway offers.", true, nil, "unknown_tool")
        }
        // Rights: a read-only caller's call runs only where the tool reads — the gateway judges its own
        // tools here, the target editor judges the tools it declared once the call reaches it (core).
        // The host on stdio (session "") has no record in the registry: it is not looked up.
        let caller = session.isEmpty ? nil : core.registry[session]
        let readOnlyCaller = caller.flatMap { $0.rights < .full ? ($0.caller ?? "This caller") : nil }
        let readsOnlyByGateway = tool.isGatewayTool || tool.isBuiltIn ? tool.readOnly : nil
        if let caller, caller.rights == .dashboardView {
            return answer("\(caller.caller ?? "This caller") signed in to the dashboard, which only views; it calls no tools.", true, nil, "read_only_caller")
        }
        if let readOnlyCaller, readsOnlyByGateway == false {
            return answer(CommandFailure.readOnlyCaller(caller: readOnlyCaller, tool: name, clientId: nil).description, true, nil, "read_only_caller")
        }
        if !argumentsFit, let problem = ArgumentValidator.problem(in: arguments.jsonValue, schema: tool.schema) {
            return answer(CommandFailure.invalidArguments(problem).description, true, nil, "invalid_arguments")
        }
        if tool.isGatewayTool {
            let arguments = arguments.jsonValue
            switch name {
            case "select_client": return selectClient(arguments["client"]?.stringValue, answer: answer)
            case "list_clients": return answer(core.clientsReport.prettyJSONText, false, nil, "success")
            case "lock_scene", "unlock_scene":
                return lockScene(arguments["scene"]?.stringValue ?? "", locking: name == "lock_scene", answer: answer)
            case "list_toolsets": return answer(toolsetsReport.prettyJSONText, false, nil, "success")
            case "enable_toolset", "disable_toolset":
                return switchToolset(arguments["toolset"]?.stringValue ?? "", on: name == "enable_toolset", answer: answer)
            default: return answer(core.statisticsReport.prettyJSONText, false, nil, "success")
            }
        }
        var forwarded = arguments
        var target: String?
        var waitSeconds: Double?
        // Copied only when there is something to take out (the copy is a whole dictionary); arguments that
        // fit hold neither.
        if !argumentsFit, case .object(var members) = arguments.jsonValue,
           members[ToolCatalog.clientArgument] != nil || members[ToolCatalog.waitArgument] != nil {
            target = members.removeValue(forKey: ToolCatalog.clientArgument)?.stringValue
            waitSeconds = members.removeValue(forKey: ToolCatalog.waitArgument)?.doubleValue
            forwarded = CommandParameters(.object(members), text: arguments.text)
        }
        // `_meta.progressToken` as sent: only a string or a number is one.
        let progressToken = progressToken.flatMap { $0.isValidRequestID ? $0 : nil }
        var request = CommandRequest(
            name: name, parameters: forwarded, target: target, session: session, callKey: key, wantsProgress: progressToken != nil)
        request.waitSeconds = waitSeconds
        request.readOnlyCaller = readOnlyCaller
        request.readsOnlyByGateway = readsOnlyByGateway
        // The outcome comes back later through `commandEnded` (the engine delivers the core's replies),
        // even when the call fails at once.
        var call = Call(
            id: id, commandId: "", tool: name, arguments: audit == nil ? nil : arguments, started: started, logLevel: modern?.logLevel, modern: isModern,
            returnsImage: tool.returnsImage, several: target == nil && core.routesToSeveralEditors(offering: name),
            progressToken: progressToken)
        if let commandId = core.submit(request) { call.commandId = commandId }
        inProgress.insert(call, for: key)
    }

    /// A log message about this request, sent before its answer when the (modern) request asked for
    /// messages at this level.
    /// (`message` is an autoclosure: a call that asked for no log builds no text on the hot path.)
    func requestLog(_ wanted: HostLogLevel?, _ level: HostLogLevel, _ message: @autoclosure () -> String, started: Double) {
        guard let wanted, level >= wanted else { return }
        let milliseconds = (core.clock.monotonicSeconds() - started) * 1000
        writeLog(level, "\(message()) in \(Int(milliseconds.rounded())) ms.")
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

    /// An editor's result that is a JSON object is also the call's `structuredContent` (MCP 2025-06-18 on),
    /// unless it is large or deep: then it would double what the host reads, and hosts' JSON parsers stop
    /// at a few hundred levels (the official Python SDK refused a 300-node-deep scene tree whole), while
    /// the text form carries any depth inside a string.
    func structuredContent(_ result: JSONText, modern: Bool) -> String? {
        guard modern || handshakeHasStructuredContent, result.text.utf8.count <= Self.structuredContentLimit,
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

    /// `arguments` as `CommandParameters`: arguments known only as text are parsed here, with an audit log
    /// only.
    func recordCall(tool: String, arguments: CommandParameters?, target: String?, kind: String, started: Double) {
        // Every call keeps its arguments while an audit log is written (`Call.arguments`).
        guard let audit, let arguments = arguments?.jsonValue else { return }
        audit([
            "event": "tool_call",
            "host": .string(host),
            "caller": callerForAudit,
            "tool": .string(tool),
            "target": target.map(JSONValue.string) ?? .null,
            "argumentsSHA256": .string(hash(Array(arguments.jsonText.utf8))),
            "durationMs": .double((core.clock.monotonicSeconds() - started) * 1000),
            "outcome": .string(kind),
        ])
    }
}
