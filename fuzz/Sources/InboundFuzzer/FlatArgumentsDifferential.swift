@testable import GatewayCore
@testable import GatewayMCP

/// The MCP face sends flat arguments that `ArgumentValidator.certainlyFits` passes to the editor without
/// building or validating them (`MCPDispatcher.callScannedTool`). That shortcut must never pass what the
/// full check refuses: for the input as a call's arguments and each catalog tool's schema, a "certainly
/// fits" must be valid JSON that `ArgumentValidator.problem` finds nothing wrong with.
func checkFlatArgumentsAgreeWithTheValidator(_ bytes: [UInt8]) {
    let line = Array(#"{"arguments":"#.utf8) + bytes + [UInt8(ascii: "}")]
    line.withUnsafeBytes { buffer in
        guard let scan = JSONScanner.scanObject(buffer, maximumDepth: MCPDispatcher.maximumRequestDepth),
              let member = scan.members.first,
              let flat = FlatArguments(buffer, member) else { return }
        for (tool, schema) in catalogSchemas where ArgumentValidator.certainlyFits(flat, in: buffer, schema: schema) {
            guard let value = try? JSONParser.parse(bytes: bytes) else { fatalError("\(tool): invalid JSON certainly fits") }
            if let problem = ArgumentValidator.problem(in: value, schema: schema) {
                fatalError("\(tool): certainly fits, but the full check says: \(problem)")
            }
        }
    }
}

/// Every editor tool's schema as the MCP face reads it, once.
private let catalogSchemas: [(String, ArgumentSchema)] = ToolCatalog.editorTools.map { ($0.name, ArgumentSchema($0.inputSchema)) }
