import GatewayCore

/// `tools/call` on the hot path: the scanner (`ScannedToolCall`) checks the whole line and reads the
/// envelope from its bytes; of `_meta`, only the members the gateway must look into (era, progress
/// token) are built as values (`RequestMeta`). Flat arguments that certainly fit the tool's schema (`FlatArguments`) are not built
/// at all; others are, to be validated. The arguments then go to the editor as the host's bytes. The
/// outcome is the one the full path gives the same line.
extension MCPDispatcher {
    /// Answers the line when it is a tools/call of the common shape; false (nothing done) otherwise.
    func callScannedTool(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let call = ScannedToolCall.scan(bytes, maximumDepth: Self.maximumRequestDepth) else { return false }
        var meta: RequestMeta?
        if let span = call.meta {
            guard let scanned = RequestMeta(scanning: bytes, span, maximumDepth: Self.maximumRequestDepth) else { return false }
            meta = scanned
        }
        var arguments: CommandParameters?
        var fittingTool: CalledTool?
        if let member = call.arguments {
            if let flat = FlatArguments(bytes, member),
               let tool = tool(named: call.name), !tool.isGatewayTool,
               ArgumentValidator.certainlyFits(flat, in: bytes, schema: tool.schema) {
                arguments = CommandParameters(text: flat.text)
                fittingTool = tool
            } else {
                guard let value = try? JSONParser.parse(bytes: Array(bytes[member.value])) else { return false }
                let forwardedText = ScannedToolCall.forwardedArguments(
                    bytes, member, value: value, removing: [ToolCatalog.clientArgument, ToolCatalog.waitArgument])
                arguments = CommandParameters(value, text: forwardedText)
            }
        }
        // Made only when there are none (an empty object), not first and then replaced.
        let parameters = arguments ?? CommandParameters([:])
        // The era is judged from `_meta` alone, as for any request; without one it is the handshake era
        // (what `judge` finds in an empty `_meta`), and there is no progress token.
        guard let meta else {
            callTool(id: call.id, name: call.name, arguments: parameters, fittingTool: fittingTool, progressToken: nil, modern: nil)
            return true
        }
        switch RequestJudgement.judge(meta) {
        case .refused(let code, let text, let data):
            write(JSONRPCLine.error(id: call.id, code: code, message: text, data: data))
        case .modern(let request):
            if let client = request.client { host = client }
            callTool(id: call.id, name: call.name, arguments: parameters, fittingTool: fittingTool, progressToken: meta.progressToken, modern: request)
        case .handshake:
            callTool(id: call.id, name: call.name, arguments: parameters, fittingTool: fittingTool, progressToken: meta.progressToken, modern: nil)
        }
        return true
    }
}
