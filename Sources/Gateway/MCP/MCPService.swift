import Foundation
import Logging
import MCP

/// The MCP face of the gateway: lists the catalog's tools and answers calls, forwarding editor tools to
/// `GatewayServer` and turning every failure into a tool result with `isError: true` and readable text.
/// Arguments are checked against the tool's schema first; every call is written to the audit log.
public final class MCPService: Sendable {
    let gateway: GatewayServer
    let audit: AuditLog?
    let logger: Logger
    /// The host's name and version from `initialize`, for the audit log.
    private let host = LockedState("unknown")

    public init(gateway: GatewayServer, audit: AuditLog? = nil, logger: Logger) {
        self.gateway = gateway
        self.audit = audit
        self.logger = logger
    }

    /// Starts the SDK server on `transport`. The SDK answers initialize, ping and version negotiation.
    public func start(on transport: StdioTransport) async throws -> Server {
        let server = Server(
            name: "godot-mcp-gateway", version: GatewayVersion.current,
            instructions: "Drives the Godot editors connected to this gateway. Tools act on the first ready editor.",
            capabilities: .init(tools: .init(listChanged: false)))
        let tools = ToolCatalog.all.map { entry in
            Tool(name: entry.name, description: entry.description, inputSchema: entry.inputSchema.mcpValue,
                 annotations: .init(readOnlyHint: entry.readOnly, openWorldHint: false))
        }
        await server.withMethodHandler(ListTools.self) { _ in .init(tools: tools) }
        // tools/call is answered by the transport directly (see StdioTransport.handleDirectly), which takes
        // every request that parses and has an id; this SDK handler answers whatever it passes on instead.
        await server.withMethodHandler(CallTool.self) { [self] parameters in
            let outcome = await call(parameters.name, params: JSONValue(mcp: .object(parameters.arguments ?? [:])))
            return CallTool.Result(content: [.text(text: outcome.text, annotations: nil, _meta: nil)], isError: outcome.isError)
        }
        transport.handleDirectly("tools/call") { [self] params, respond in
            guard let name = params["name"]?.stringValue else {
                respond(true) { ToolOutcome(text: "tools/call needs a tool name", isError: true).mcpResult }
                return
            }
            start(name, params: params["arguments"] ?? [:]) { [audit] outcome, finish in
                // Small and not audited (no file write): cheap enough to answer from the service thread.
                respond(audit == nil && outcome.text.utf8.count <= 2048) { finish().mcpResult }
            }
        }
        try await server.start(transport: transport) { [self] client, _ in
            host.withLock { $0 = "\(client.name) \(client.version)" }
        }
        return server
    }

    /// Runs one tool and audits it. Never throws: every failure is a result with `isError`.
    func call(_ name: String, params: JSONValue) async -> ToolOutcome {
        await withCheckedContinuation { continuation in
            start(name, params: params) { _, finish in continuation.resume(returning: finish()) }
        }
    }

    /// Starts one tool without a task. `done` is called once, from whichever thread learnt the outcome
    /// (often the service thread, which must not be held up), with the outcome and `finish`: call it where
    /// the time can be spent — it writes the audit record and returns the outcome.
    func start(
        _ name: String, params: JSONValue,
        done: @escaping @Sendable (_ outcome: ToolOutcome, _ finish: @escaping @Sendable () -> ToolOutcome) -> Void
    ) {
        let started = ContinuousClock.now
        perform(name, params: params) { [self] outcome, target, kind in
            done(outcome) { [self] in
                if let audit {
                    let elapsed = ContinuousClock.now - started
                    audit.record([
                        "event": "tool_call",
                        "host": .string(host.withLock { $0 }),
                        "tool": .string(name),
                        "target": target.map(JSONValue.string) ?? .null,
                        "argumentsSHA256": .string(Digest.sha256Hex(Array(params.jsonText.utf8))),
                        "durationMs": .double(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000),
                        "outcome": .string(kind),
                    ])
                }
                return outcome
            }
        }
    }

    /// Reports the outcome for the host, the client that ran it (if any) and the outcome kind.
    private func perform(
        _ name: String, params: JSONValue, done: @escaping @Sendable (ToolOutcome, String?, String) -> Void
    ) {
        guard let entry = ToolCatalog.entry(named: name) else {
            return done(.failure("Unknown tool '\(name)'. Call tools/list for the tools this gateway offers."), nil, "unknown_tool")
        }
        if let problem = ArgumentValidator.problem(in: params, schema: entry.inputSchema) {
            return done(.failure(CommandFailure.invalidArguments(problem).description), nil, "invalid_arguments")
        }
        if entry.isGatewayTool {
            gateway.read({ core in name == "list_clients" ? core.clientsReport : core.statisticsReport }) { report in
                guard let report else { return done(.failure(CommandFailure.gatewayStopped.description), nil, "gateway_stopped") }
                done(.success(report), nil, "success")
            }
            return
        }
        gateway.execute(name, params: params) { [logger] outcome in
            switch outcome {
            case .success(let result, let clientId):
                done(.success(result), clientId, "success")
            case .failure(let failure):
                logger.info("tool call failed", metadata: ["tool": "\(name)", "reason": "\(failure.kind)"])
                done(.failure(failure.description), failure.clientId, failure.kind)
            }
        }
    }
}

/// A tool's answer: JSON text for results, a sentence for failures.
struct ToolOutcome: Sendable {
    var text: String
    var isError: Bool

    static func success(_ value: JSONValue) -> ToolOutcome { ToolOutcome(text: value.prettyJSONText, isError: false) }
    /// An editor's result, as the editor wrote it (compact from Godot's JSON.stringify).
    static func success(_ result: JSONText) -> ToolOutcome { ToolOutcome(text: result.text, isError: false) }
    static func failure(_ message: String) -> ToolOutcome { ToolOutcome(text: message, isError: true) }

    /// The MCP `CallToolResult` object.
    var mcpResult: JSONValue {
        ["content": [["type": "text", "text": .string(text)]], "isError": .bool(isError)]
    }
}

extension JSONValue {
    /// The same document as the SDK's value type.
    var mcpValue: MCP.Value {
        switch self {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .int(let integer): Int(exactly: integer).map(MCP.Value.int) ?? .double(Double(integer))
        case .double(let number): .double(number)
        case .string(let text): .string(text)
        case .array(let items): .array(items.map(\.mcpValue))
        case .object(let members): .object(members.mapValues(\.mcpValue))
        }
    }

    /// The SDK's value as ours; binary data becomes the data URL the SDK would have sent.
    init(mcp value: MCP.Value) {
        switch value {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .int(let integer): self = .int(Int64(integer))
        case .double(let number): self = .double(number)
        case .string(let text): self = .string(text)
        case .data(let mimeType, let data):
            self = .string("data:\(mimeType ?? "application/octet-stream");base64,\(data.base64EncodedString())")
        case .array(let items): self = .array(items.map(JSONValue.init(mcp:)))
        case .object(let members): self = .object(members.mapValues(JSONValue.init(mcp:)))
        }
    }
}
