import GatewayCore
import Logging

/// The core's replies to this session's tool calls, delivered by the engine: a command's outcome
/// answers its `tools/call`, its progress becomes `notifications/progress` (the same in both eras).
extension MCPDispatcher {
    package func commandEnded(call key: CallKey, _ outcome: CommandOutcome) {
        guard let call = inProgress.removeValue(forKey: key) else { return }  // cancelled by the host
        let id = call.id
        switch outcome {
        case .success(let result, let clientId) where call.returnsImage:
            requestLog(call.logLevel, .info, "\(call.tool) answered by Godot editor \(clientId)", started: call.started)
            writeImage(id: id, result: result, clientId: clientId, modern: call.modern)
            recordCall(tool: call.tool, arguments: call.arguments, target: clientId, kind: "success", started: call.started)
        case .success(let result, let clientId):
            let editor = call.several ? core.registry[clientId]?.displayName ?? clientId : nil
            requestLog(call.logLevel, .info, "\(call.tool) answered by Godot editor \(editor ?? clientId)", started: call.started)
            write(JSONRPCLine.toolResult(
                id: id, text: result.text, isError: false, structured: structuredContent(result, modern: call.modern),
                note: editor.map { "(Answered by Godot editor \($0).)" },
                meta: call.several ? ["godot-mcp/clientId": .string(clientId)] : nil, modern: call.modern))
            recordCall(tool: call.tool, arguments: call.arguments, target: clientId, kind: "success", started: call.started)
        case .failure(let failure):
            logger.info("tool call failed", metadata: ["tool": "\(call.tool)", "reason": "\(failure.kind)"])
            requestLog(call.logLevel, .warning, "\(call.tool) failed (\(failure.kind))", started: call.started)
            write(JSONRPCLine.toolResult(id: id, text: failure.description, isError: true, modern: call.modern))
            recordCall(tool: call.tool, arguments: call.arguments, target: failure.clientId, kind: failure.kind, started: call.started)
        }
    }

    package func commandProgress(call key: CallKey, _ update: CommandProgress) {
        guard let token = inProgress[key]?.progressToken else { return }
        var params: [String: JSONValue] = ["progressToken": token, "progress": .double(update.progress)]
        if let total = update.total { params["total"] = .double(total) }
        if let message = update.message { params["message"] = .string(message) }
        write(JSONRPCLine.notification(method: "notifications/progress", params: .object(params)))
    }
}
