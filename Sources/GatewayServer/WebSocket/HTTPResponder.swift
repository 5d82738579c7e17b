import GatewayEngine

/// Writes the engine's HTTP answers (`HTTPRoutes`) on their connection: a refusal as raw bytes (before
/// an upgrade is confirmed lws has not settled the HTTP version), anything else through lws' headers.
enum HTTPResponder {
    static func write(_ answer: HTTPAnswer, to connection: LWSConnection) -> LWSCallbackResult {
        if answer.isRefusal {
            connection.writeRawResponse(HTTPRoutes.rawText(of: answer))
            return .finished
        }
        let written = connection.respond(
            status: answer.status, contentType: answer.contentType, payload: answer.body, headers: answer.headers.map { ($0.name, $0.value) })
        guard written else { return .close }
        return connection.completeHTTPTransaction() ? .proceed : .close
    }
}
