import GatewayCore
import CLWS
import FoundationEssentials
import Glibc

/// Answers plain HTTP on the WebSocket port — `GET /health`, 404 for anything else — and writes the
/// refusals of the security checks. Every request gets a complete answer; none is left hanging.
enum HTTPResponder {
    static func respond(wsi connection: LWSConnection, path: String, loop: ServiceLoop) -> Int32 {
        let wsi = connection.pointer
        if case .deny(let status, let reason) = loop.core.admit(UpgradeRequestReader.read(connection), isUpgrade: false) {
            return refuse(wsi: connection, status: status, reason: reason)
        }
        let request = UpgradeRequestReader.read(connection)
        let isPost = lws_hdr_total_length(wsi, WSI_TOKEN_POST_URI) > 0
        switch path {
        case "/session" where isPost:
            // The sign-in form sends the token here once, in a header; the answer is the session cookie.
            guard let cookie = loop.core.startDashboardSession(request) else {
                return refuse(wsi: connection, status: 401, reason: "wrong or missing access token")
            }
            let secure = loop.listenSettings?.tls != nil ? "; Secure" : ""
            let setCookie = "\(DashboardCookie.name)=\(cookie); HttpOnly; SameSite=Strict; Path=/; Max-Age=43200\(secure)"
            guard write(wsi: wsi, status: 200, contentType: "application/json", payload: Array(#"{"signedIn":true}"#.utf8),
                        headers: [("set-cookie:", setCookie), ("cache-control:", "no-store")]) else { return -1 }
        case "/", "/index.html":
            let page = loop.core.hasDashboardSession(request) ? DashboardPages.dashboard : DashboardPages.signIn
            guard write(wsi: wsi, status: 200, contentType: "text/html; charset=utf-8", payload: Array(page.utf8),
                        headers: DashboardCookie.pageHeaders) else { return -1 }
        case "/metrics":
            // Counters of the whole gateway: behind the access token when there is one (Prometheus sends
            // it as `Authorization: Bearer`).
            guard loop.core.authorizes(request) else {
                return refuse(wsi: connection, status: 401, reason: "send the access token as Authorization: Bearer")
            }
            guard write(wsi: wsi, status: 200, contentType: "text/plain; version=0.0.4", payload: Array(loop.core.prometheusText.utf8)) else {
                return -1
            }
        default:
            let (status, body): (UInt32, JSONValue) = switch path {
            case "/health", "/health/":
                (200, loop.core.healthReport)
            default:
                (404, ["error": "not found", "hint": "connect with WebSocket, or GET /health (or /metrics with the token)"])
            }
            guard write(wsi: wsi, status: status, contentType: "application/json", payload: Array(body.jsonText.utf8)) else { return -1 }
        }
        return lws_http_transaction_completed(wsi) != 0 ? -1 : 0
    }

    /// Answers a refused request with its status and reason; the caller then ends the connection.
    /// Written by hand: before an upgrade is confirmed lws has not settled the HTTP version and would
    /// answer HTTP/1.0, which WebSocket clients reject as a protocol error instead of reading the status.
    static func refuse(wsi connection: LWSConnection, status: UInt32, reason: String) -> Int32 {
        let wsi = connection.pointer
        let body = JSONValue.object(["error": .string(reason)]).jsonText
        let head = "HTTP/1.1 \(status) \(reasonPhrase(status))\r\ncontent-type: application/json\r\n"
            + "content-length: \(body.utf8.count)\r\nconnection: close\r\n\r\n"
        let pre = Int(clws_pre())
        var buffer = [UInt8](repeating: 0, count: pre) + Array((head + body).utf8)
        let length = buffer.count - pre
        _ = buffer.withUnsafeMutableBufferPointer { raw in
            raw.baseAddress.map { lws_write(wsi, $0 + pre, length, LWS_WRITE_HTTP_FINAL) }
        }
        return 1
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

    private static func write(
        wsi: OpaquePointer, status: UInt32, contentType: String, payload: [UInt8], headers: [(String, String)] = []
    ) -> Bool {
        let pre = Int(clws_pre())
        var buffer = [UInt8](repeating: 0, count: pre + 1024 + payload.count)
        let written: Int32 = buffer.withUnsafeMutableBufferPointer { raw in
            guard let base = raw.baseAddress else { return -1 }
            let start = base + pre
            let end = base + raw.count
            var cursor: UnsafeMutablePointer<UInt8>? = start
            if lws_add_http_common_headers(wsi, status, contentType, lws_filepos_t(payload.count), &cursor, end) != 0 {
                return -1
            }
            for (name, value) in headers {
                let bytes = Array(value.utf8)
                let added = bytes.withUnsafeBufferPointer { lws_add_http_header_by_name(wsi, name, $0.baseAddress, Int32($0.count), &cursor, end) }
                if added != 0 { return -1 }
            }
            if lws_finalize_http_header(wsi, &cursor, end) != 0 { return -1 }
            guard let bodyStart = cursor, end - bodyStart >= payload.count else { return -1 }
            for (offset, byte) in payload.enumerated() { bodyStart[offset] = byte }
            let total = bodyStart - start + payload.count
            return Int32(lws_write(wsi, start, total, LWS_WRITE_HTTP_FINAL))
        }
        return written >= 0
    }
}
