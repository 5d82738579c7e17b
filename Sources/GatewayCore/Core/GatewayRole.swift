/// Where this process stands among gateways: the one source of the role, which the stats and /health
/// report and the relaying logic (`GatewayServer/Relay`) moves through.
package enum GatewayRole: Equatable, Sendable {
    /// It listens on the port and serves editors (and relays for other processes' hosts).
    case owner
    /// Another gateway holds the port: this process's host is served through it.
    case relaying
    /// The owner went away: this process is taking the port over, or looking for who did.
    case changingOver
    /// `--upstream`: this process's host is served by a remote gateway; `connected` while the link is open.
    case upstream(connected: Bool)

    /// As the stats and /health name it.
    package var name: String {
        switch self {
        case .owner: "owner"
        case .relaying: "relaying"
        case .changingOver: "changing over"
        case .upstream: "upstream"
        }
    }
}
