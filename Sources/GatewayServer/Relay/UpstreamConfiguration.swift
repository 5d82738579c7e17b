import GatewayCore

/// `--upstream wss://host:port`: this process serves its MCP host through a remote gateway (a studio
/// service) over one WebSocket, with no listener of its own.
package struct UpstreamConfiguration: Sendable, Equatable {
    package var secure: Bool
    package var host: String
    package var port: Int
    package var path: String
    /// A CA file for a private CA; a client certificate and key for mutual TLS.
    package var caPath: String?
    package var certificatePath: String?
    package var keyPath: String?

    /// The URL as the person gave it, for messages.
    package var url: String { "\(secure ? "wss" : "ws")://\(host):\(port)\(path)" }

    /// Parses `ws://` or `wss://` URLs; nil for anything else.
    package init?(url: String) {
        let secure: Bool
        var rest: Substring
        if url.hasPrefix("wss://") { secure = true; rest = url.dropFirst(6) } else if url.hasPrefix("ws://") { secure = false; rest = url.dropFirst(5) } else { return nil }
        let pathStart = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<pathStart]
        rest = rest[pathStart...]
        var host = String(authority)
        var port = secure ? 443 : 80
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            guard let number = Int(authority[authority.index(after: colon)...]), (1...65535).contains(number) else { return nil }
            port = number
            host = String(authority[..<colon])
        }
        host = host.trimmed { $0 == "[" || $0 == "]" }
        guard !host.isEmpty else { return nil }
        self.secure = secure
        self.host = host
        self.port = port
        self.path = rest.isEmpty ? "/" : String(rest)
    }
}
