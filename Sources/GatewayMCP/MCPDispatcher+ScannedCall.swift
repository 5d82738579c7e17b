import GatewayCore

/// `tools/call` on the hot path: the scanner (`ScannedToolCall`) checks the whole line and reads the
/// envelope from its bytes; only `_meta` and the arguments, which the gateway must look into (era,
/// progress token, the tool's schema), are built as values. The arguments then go to the editor as the
/// host's bytes. The outcome is the one the full path gives the same line.
extension MCPDispatcher {
    /// Answers the line when it is a tools/call of the common shape; false (nothing done) otherwise.
    func callScannedTool(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let call = ScannedToolCall.scan(bytes, maximumDepth: Self.maximumRequestDepth) else { return false }
        var meta: JSONValue?
        if let span = call.meta {
            guard let value = try? JSONParser.parse(bytes: Array(bytes[span])) else { return false }
            meta = value
        }
        var arguments: JSONValue = [:]
        var forwardedText: JSONText?
        if let member = call.arguments {
            guard let value = try? JSONParser.parse(bytes: Array(bytes[member.value])) else { return false }
            arguments = value
            forwardedText = ScannedToolCall.forwardedArguments(
                bytes, member, value: value, removing: [ToolCatalog.clientArgument, ToolCatalog.waitArgument])
        }
        // The era is judged from `_meta` alone, as for any request.
        switch RequestJudgement.judge(meta.map { ["_meta": $0] } ?? [:]) {
        case .refused(let code, let text, let data):
            write(JSONRPCLine.error(id: call.id, code: code, message: text, data: data))
        case .modern(let request):
            if let client = request.client { host = client }
            callTool(id: call.id, name: call.name, arguments: arguments, meta: meta, forwardedText: forwardedText, modern: request)
        case .handshake:
            callTool(id: call.id, name: call.name, arguments: arguments, meta: meta, forwardedText: forwardedText, modern: nil)
        }
        return true
    }
}
