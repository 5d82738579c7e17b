import GatewayCore
import FoundationEssentials

/// Answers plain HTTP on the WebSocket port — `GET /health`, the dashboard, `/metrics`, 404 for anything
/// else — and writes the refusals of the security checks. Every request gets a complete answer; none is
/// left hanging.
enum HTTPResponder {
    static func respond(_ connection: LWSConnection, path: String, loop: ServiceLoop) -> LWSCallbackResult {
        let request = UpgradeRequestReader.read(connection)
        if case .deny(let status, let reason) = loop.core.admit(request, isUpgrade: false) {
            return refuse(connection, status: status, reason: reason)
        }
        let written: Bool
        switch path {
        case "/session" where connection.isPost:
            // The sign-in form sends the token here once, in a header; the answer is the session cookie.
            guard let cookie = loop.core.startDashboardSession(request) else {
                return refuse(connection, status: 401, reason: "wrong or missing access token")
            }
            let secure = loop.listenSettings?.tls != nil ? "; Secure" : ""
            let setCookie = "\(DashboardCookie.name)=\(cookie); HttpOnly; SameSite=Strict; Path=/; Max-Age=43200\(secure)"
            written = connection.respond(
                status: 200, contentType: "application/json", payload: Array(#"{"signedIn":true}"#.utf8),
                headers: [("set-cookie:", setCookie), ("cache-control:", "no-store")])
        case "/", "/index.html":
            let page = loop.core.hasDashboardSession(request) ? DashboardPages.dashboard : DashboardPages.signIn
            written = connection.respond(
                status: 200, contentType: "text/html; charset=utf-8", payload: Array(page.utf8), headers: DashboardCookie.pageHeaders)
        case "/metrics":
            // Counters of the whole gateway: behind the access token when there is one (Prometheus sends
            // it as `Authorization: Bearer`).
            guard loop.core.authorizes(request) else {
                return refuse(connection, status: 401, reason: "send the access token as Authorization: Bearer")
            }
            written = connection.respond(status: 200, contentType: "text/plain; version=0.0.4", payload: Array(loop.core.prometheusText.utf8))
        default:
            let (status, body): (UInt32, JSONValue) = switch path {
            case "/health", "/health/":
                (200, loop.core.healthReport)
            default:
                (404, ["error": "not found", "hint": "connect with WebSocket, or GET /health (or /metrics with the token)"])
            }
            written = connection.respond(status: status, contentType: "application/json", payload: Array(body.jsonText.utf8))
        }
        guard written else { return .close }
        return connection.completeHTTPTransaction() ? .proceed : .close
    }

    /// Answers a refused request with its status and reason; the caller then ends the connection.
    /// Written by hand: before an upgrade is confirmed lws has not settled the HTTP version and would
    /// answer HTTP/1.0, which WebSocket clients reject as a protocol error instead of reading the status.
    static func refuse(_ connection: LWSConnection, status: UInt32, reason: String) -> LWSCallbackResult {
        let body = JSONValue.object(["error": .string(reason)]).jsonText
        let head = "HTTP/1.1 \(status) \(reasonPhrase(status))\r\ncontent-type: application/json\r\n"
            + "content-length: \(body.utf8.count)\r\nconnection: close\r\n\r\n"
        connection.writeRawResponse(head + body)
        return .finished
    }

    private static func reasonPhrase(_ status: UInt32) -> String {
        switch status {
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 429: "Too Many Requests"
        case 503: "Service Unavailable"
        default: "Error"
        }
    }
}
