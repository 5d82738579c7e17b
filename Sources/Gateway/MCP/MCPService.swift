import Foundation
import Logging
import MCP

/// The MCP face of the gateway: lists the catalog's tools and answers calls, forwarding editor tools to
/// `GatewayServer` and turning every failure into a tool result with `isError: true` and readable text.
public struct MCPService: Sendable {
    let gateway: GatewayServer
    let logger: Logger

    public init(gateway: GatewayServer, logger: Logger) {
        self.gateway = gateway
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
        await server.withMethodHandler(CallTool.self) { [self] parameters in
            await call(parameters.name, arguments: parameters.arguments ?? [:])
        }
        try await server.start(transport: transport)
        return server
    }

    func call(_ name: String, arguments: [String: Value]) async -> CallTool.Result {
        guard let entry = ToolCatalog.entry(named: name) else {
            return failure("Unknown tool '\(name)'. Call tools/list for the tools this gateway offers.")
        }
        if entry.isGatewayTool {
            let report = await gateway.read { core in
                name == "list_clients" ? core.clientsReport : core.statisticsReport
            }
            guard let report else { return failure(CommandFailure.gatewayStopped.description) }
            return success(report)
        }
        let params = JSONValue(mcp: .object(arguments))
        switch await gateway.execute(name, params: params) {
        case .success(let result, _):
            return success(result)
        case .failure(let failure):
            logger.info("tool call failed", metadata: ["tool": "\(name)", "reason": "\(failure.kind)"])
            return self.failure(failure.description)
        }
    }

    private func success(_ value: JSONValue) -> CallTool.Result {
        CallTool.Result(content: [.text(text: value.prettyJSONText, annotations: nil, _meta: nil)], isError: false)
    }

    private func failure(_ message: String) -> CallTool.Result {
        CallTool.Result(content: [.text(text: message, annotations: nil, _meta: nil)], isError: true)
    }
}

extension JSONValue {
    /// The same document as the SDK's value type (through JSON, which both model exactly).
    var mcpValue: MCP.Value {
        (try? JSONDecoder().decode(MCP.Value.self, from: JSONEncoder().encode(self))) ?? .null
    }

    init(mcp value: MCP.Value) {
        self = (try? JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))) ?? .null
    }
}
