/// The timing rules of the protocol core. Every default is the original server's documented behaviour.
package struct GatewaySettings: Sendable, Equatable {
    /// How often every client is sent a JSON heartbeat and a WebSocket ping.
    package var heartbeatInterval: Double = 30
    /// A client with no frame and no pong for this long is removed (two missed heartbeats).
    package var heartbeatTimeout: Double = 60
    /// How long a routed command may wait for the editor's answer.
    package var commandTimeout: Double = 10
    /// How long shutdown waits for editors to acknowledge before closing them.
    package var shutdownGrace: Double = 2
    /// How a call that names no editor picks one among several ready ones (and none is pinned).
    package var routing: RoutingPolicy = .first
    /// How many commands one editor may have in flight; the rest wait in that editor's queue, their
    /// timeouts starting when they are sent. Nil: no limit (the original server's behaviour).
    package var editorConcurrency: Int?
    /// How long an editor that dropped keeps its client id, commands and pins for a reconnect that
    /// presents its resume token. Zero turns resuming off.
    package var resumeWindow: Double = 120
    /// How long calls for an editor that dropped (and declared it resumes) wait for it: in flight, or
    /// naming it. Then they fail ("disconnected"); its id stays reserved for the rest of the window. The
    /// addon retries after 0.5, 1 and 2 s (each +/-20 %): 5 s covers its first three attempts.
    package var resumeGrace: Double = 5
    /// For this long after start, a call that finds no suitable editor waits for one (up to the command
    /// timeout) instead of failing: an editor may still be opening.
    package var startupGrace: Double = 30
    /// Most calls waiting for an editor at once.
    package var maxWaitingCalls = 64
    /// What the handshake tells clients this gateway does (the socket layer adds "compression" when it
    /// negotiates permessage-deflate).
    package var features = ["heartbeat", "resume", "queueing", "progress", "cancel", "capabilities", "relay", "events"]
    /// How long a scene lock lasts unless renewed (`lock_scene` again).
    package var lockTimeout: Double = 600
    /// Reported to clients and on /health.
    package var gatewayVersion: String = GatewayVersion.current

    package init() {}
}

package enum GatewayVersion {
    package static let current = "0.1.0"
}
