import GatewayCore

/// What the gateway answers to plain HTTP on its port — `GET /health`, the dashboard and its sign-in,
/// `/metrics`, 404 for anything else — and the refusals of the security checks. Every request gets a
/// complete answer.
package enum HTTPRoutes {
    static func answer(_ request: ConnectionRequest, path: String, isPost: Bool, overTLS: Bool, core: GatewayCore) -> HTTPAnswer {
        if case .deny(let status, let reason) = core.admit(request, isUpgrade: false) { return refusal(status: status, reason: reason) }
        switch path {
        case "/session" where isPost:
            // The sign-in form sends the token here once, in a header; the answer is the session cookie.
            guard let cookie = core.startDashboardSession(request) else { return refusal(status: 401, reason: "wrong or missing access token") }
            let secure = overTLS ? "; Secure" : ""
            return HTTPAnswer(
                status: 200, contentType: "application/json", body: Array(#"{"signedIn":true}"#.utf8),
                headers: [
                    .init(name: "set-cookie:", value: "\(DashboardCookie.name)=\(cookie); HttpOnly; SameSite=Strict; Path=/; Max-Age=43200\(secure)"),
                    .init(name: "cache-control:", value: "no-store"),
                ])
        case "/", "/index.html":
            let page = core.hasDashboardSession(request) ? DashboardPages.dashboard : DashboardPages.signIn
            return HTTPAnswer(
                status: 200, contentType: "text/html; charset=utf-8", body: Array(page.utf8),
                headers: DashboardCookie.pageHeaders.map { HTTPAnswer.Header(name: $0.0, value: $0.1) })
        case "/metrics":
            // Counters of the whole gateway: behind the access token when there is one (Prometheus sends
            // it as `Authorization: Bearer`).
            guard core.authorizes(request) else { return refusal(status: 401, reason: "send the access token as Authorization: Bearer") }
            return HTTPAnswer(status: 200, contentType: "text/plain; version=0.0.4", body: Array(core.prometheusText.utf8))
        case "/health", "/health/":
            return HTTPAnswer(status: 200, contentType: "application/json", body: Array(core.healthReport.jsonText.utf8))
        default:
            let body: JSONValue = ["error": "not found", "hint": "connect with WebSocket, or GET /health (or /metrics with the token)"]
            return HTTPAnswer(status: 404, contentType: "application/json", body: Array(body.jsonText.utf8))
        }
    }

    /// A refusal with its status and reason, written whole before the connection ends. Written by hand:
    /// before an upgrade is confirmed lws has not settled the HTTP version and would answer HTTP/1.0,
    /// which WebSocket clients reject as a protocol error instead of reading the status.
    package static func refusal(status: UInt32, reason: String) -> HTTPAnswer {
        HTTPAnswer(
            status: status, contentType: "application/json", body: Array(JSONValue.object(["error": .string(reason)]).jsonText.utf8),
            isRefusal: true)
    }

    /// The status line and headers of a refusal, followed by its body.
    package static func rawText(of answer: HTTPAnswer) -> String {
        "HTTP/1.1 \(answer.status) \(reasonPhrase(answer.status))\r\ncontent-type: \(answer.contentType)\r\n"
            + "content-length: \(answer.body.count)\r\nconnection: close\r\n\r\n" + String(decoding: answer.body, as: UTF8.self)
    }

    private static func reasonPhrase(_ status: UInt32) -> String {
        switch status {
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 429: "Too Many Requests"
        case 503: "Service Unavailable"
        default: "Error"
        }
    }
}
