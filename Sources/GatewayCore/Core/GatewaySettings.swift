/// The timing rules of the protocol core. Every default is the original server's documented behaviour.
public struct GatewaySettings: Sendable, Equatable {
    /// How often every client is sent a JSON heartbeat and a WebSocket ping.
    public var heartbeatInterval: Double = 30
    /// A client with no frame and no pong for this long is removed (two missed heartbeats).
    public var heartbeatTimeout: Double = 60
    /// How long a routed command may wait for the editor's answer.
    public var commandTimeout: Double = 10
    /// How long shutdown waits for editors to acknowledge before closing them.
    public var shutdownGrace: Double = 2
    /// Reported to clients and on /health.
    public var gatewayVersion: String = GatewayVersion.current

    public init() {}
}

public enum GatewayVersion {
    public static let current = "0.1.0"
}
