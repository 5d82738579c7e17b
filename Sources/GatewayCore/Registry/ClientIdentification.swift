/// The original server's first guess at a client's type, made from the upgrade request alone.
/// An explicit `?type=` wins over the User-Agent; the `identify` message later overrides both.
package enum ClientIdentification {
    package static func initialType(for request: ConnectionRequest) -> ClientType {
        if let declared = request.queryParameters["type"]?.lowercased() {
            switch declared {
            case "godot": return .godot
            case "mcp": return .mcp
            default: break
            }
        }
        if let agent = request.userAgent, agent.lowercased().contains("godot") {
            return .godot
        }
        return .unknown
    }
}
