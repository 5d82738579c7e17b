import GatewayCore
import GatewayEngine
import GatewayMCP

/// `--upstream`: every call of this process's host goes to a remote gateway over one WebSocket (WSS
/// for a studio service). The link reconnects with backoff; while it is down, calls end at once with
/// an error that names the upstream.
extension ServiceLoop {
    func startUpstream(_ upstream: UpstreamConfiguration, token: String?) {
        upstreamSettings = (upstream, token)
        role = .upstream(connected: false)
        dispatcher?.relayUnavailableMessage = "The upstream gateway \(upstream.url) is not reachable right now (this gateway keeps "
            + "reconnecting); try again in a moment."
        dispatcher?.relayLostMessage = "The connection to the upstream gateway \(upstream.url) broke during this call; the command "
            + "may or may not have run. This gateway is reconnecting; try again in a moment."
        connectUpstream()
    }

    func connectUpstream() {
        guard let (upstream, token) = upstreamSettings, let runtime, core.phase == .running else { return }
        let link = OwnerLink(port: upstream.port, token: token, logger: logger, upstream: upstream)
        link.onMCPMessage = { [unowned self] message in handle(.fromOwnerGateway(message)) }
        link.onOpen = { [unowned self, unowned link] in
            role = .upstream(connected: true)
            upstreamBackoff = Self.upstreamFirstRetry
            for message in dispatcher?.relaySetupMessages ?? [] { link.relay(message) }
        }
        link.onClosed = { [unowned self] in
            ownerLink = nil
            handle(.ownerGatewayLost)
            dispatcher?.relay = { _ in false }
            guard core.phase == .running else { return }
            role = .upstream(connected: false)
            logger.warning("upstream gateway unreachable; retrying", metadata: [
                "upstream": "\(upstream.url)", "inSeconds": "\(upstreamBackoff)",
            ])
            scheduleRelayAttempt(after: upstreamBackoff)
            upstreamBackoff = min(upstreamBackoff * 2, Self.upstreamLastRetry)
        }
        ownerLink = link
        dispatcher?.relay = { [unowned link] message in link.relay(message) }
        if !link.connect(runtime: runtime, protocolName: Self.protocolName) {
            logger.warning("libwebsockets could not start a connection to the upstream gateway", metadata: ["upstream": "\(upstream.url)"])
            link.closed()
        }
    }

    static let upstreamFirstRetry = 0.5
    static let upstreamLastRetry = 30.0
}
