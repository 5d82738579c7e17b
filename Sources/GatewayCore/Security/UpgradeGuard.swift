/// Decides, from the request headers alone, whether an HTTP request or WebSocket upgrade may proceed.
/// It defends against web pages the user happens to open: a browser always sends `Origin` on a WebSocket
/// upgrade, marks cross-site requests with `Sec-Fetch-Site`, and a DNS-rebinding page shows up with a
/// foreign `Host`. Godot and command-line clients send no Origin and a loopback Host, so they pass.
package struct UpgradeGuard: Sendable {
    package var allowedOrigins: Set<String>
    package var allowedHosts: Set<String>
    package var acceptAnyHost: Bool

    package init(settings: SecuritySettings) {
        allowedOrigins = Set(settings.allowedOrigins.map { $0.lowercased() })
        allowedHosts = Set(settings.allowedHosts.map { $0.lowercased() })
        acceptAnyHost = settings.acceptAnyHost
    }

    package enum Verdict: Equatable, Sendable {
        case allow
        case deny(status: UInt32, reason: String)
    }

    /// `signedIn`: the request carries a valid dashboard cookie, so the gateway's own origin (the
    /// dashboard page it served) may open a WebSocket; every other origin still needs `--allow-origin`.
    package func check(_ request: ConnectionRequest, signedIn: Bool = false) -> Verdict {
        if request.hosts.count > 1 { return .deny(status: 400, reason: "duplicate Host header") }
        if request.origins.count > 1 { return .deny(status: 403, reason: "duplicate Origin header") }
        if let site = request.secFetchSite?.lowercased(), site == "cross-site" || site == "same-site" {
            return .deny(status: 403, reason: "cross-site request refused (Sec-Fetch-Site: \(site))")
        }
        if let origin = request.origins.first {
            // "null" (sandboxed frames, file:// pages) is as foreign as any other origin.
            let ownOrigin = request.hosts.count == 1 && ["http://", "https://"].contains { $0 + request.hosts[0].lowercased() == origin.lowercased() }
            guard allowedOrigins.contains(origin.lowercased()) || (signedIn && ownOrigin) else {
                return .deny(status: 403, reason: "origin \(origin) is not allowed (see --allow-origin)")
            }
        }
        guard let host = request.hosts.first else { return .deny(status: 400, reason: "missing Host header") }
        if !acceptAnyHost && !isAllowed(host: host) {
            return .deny(status: 403, reason: "host \(host) is not allowed (see --allow-host)")
        }
        return .allow
    }

    /// Exactly these: a name that merely starts with `127.` (`127.evil.test`) is a DNS name an attacker
    /// may point at 127.0.0.1 (DNS rebinding), not a loopback address.
    private static let loopbackNames: Set<String> = ["localhost", "127.0.0.1", "::1", "[::1]"]

    private func isAllowed(host: String) -> Bool {
        let name = Self.stripPort(host.lowercased())
        return Self.loopbackNames.contains(name) || allowedHosts.contains(name)
            || allowedHosts.contains(host.lowercased())
    }

    /// `example.org:8765` → `example.org`, `[::1]:8765` → `[::1]`, `::1` stays.
    static func stripPort(_ host: String) -> String {
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return host }
            return String(host[...close])
        }
        let colons = host.filter { $0 == ":" }.count
        if colons == 1, let colon = host.lastIndex(of: ":") { return String(host[..<colon]) }
        return host
    }
}
