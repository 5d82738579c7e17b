/// How many clients get in, and in which pool: authenticated clients (a token in the upgrade request, a
/// sign-in cookie, or `--no-auth`) are bounded by `--max-clients` and `--max-clients-per-ip`; sockets that
/// have not presented a token yet share a small pool of their own, where a newcomer takes the place of
/// the oldest, so idle or hostile unauthenticated sockets can never lock an editor out.
extension GatewayCore {
    /// The verdict on a WebSocket upgrade that passed the request checks.
    func admitUpgrade(_ request: ConnectionRequest) -> UpgradeGuard.Verdict {
        if phase != .running { return .deny(status: 503, reason: "gateway shutting down") }
        if let presented = request.bearerToken, security.requiresToken, security.caller(presenting: presented) == nil {
            return .deny(status: 401, reason: "invalid token")
        }
        let authenticatesNow = !security.requiresToken || request.bearerToken != nil || hasDashboardSession(request)
        guard authenticatesNow else {
            makeRoomForUnauthenticated(from: request.remoteAddress)
            return .allow
        }
        if let refusal = poolRefusal(address: request.remoteAddress) { return refusal }
        return .allow
    }

    /// Whether the authenticated pool has room for one more from `address`.
    private func poolRefusal(address: String, excluding id: String? = nil) -> UpgradeGuard.Verdict? {
        let inPool = registry.authenticatedCount
        if inPool >= security.maxClients {
            return .deny(status: 503, reason: "gateway full (\(security.maxClients) clients, see --max-clients)")
        }
        if registry.authenticatedCount(fromAddress: address) >= security.maxClientsPerAddress {
            return .deny(status: 429, reason: "too many connections from \(address) (see --max-clients-per-ip)")
        }
        return nil
    }

    /// A client that presented its token in `identify` joins the authenticated pool if it has room;
    /// otherwise it is told why and closed (1013: try again later).
    func admitAuthenticated(_ id: String) -> Bool {
        guard let record = registry[id], case .deny(let status, let reason)? = poolRefusal(address: record.remoteAddress) else { return true }
        statistics.connectionsRejected += 1
        logger.notice("authenticated client refused", metadata: ["client": "\(id)", "status": "\(status)", "reason": "\(reason)"])
        recordAudit(["event": "connection_refused", "address": .string(record.remoteAddress), "status": .int(Int64(status)), "reason": .string(reason)])
        sendError(to: id, code: "gateway_full", message: reason)
        close(id, code: CloseCode.tryAgainLater, reason: reason)
        return false
    }

    /// Frees a place in the unauthenticated pool for a newcomer from `address` when its group, or the
    /// pool, is full: the oldest unauthenticated socket (of the group, else of the pool) is closed.
    private func makeRoomForUnauthenticated(from address: String) {
        let group = AddressGroup.of(address)
        let victim: String? =
            if registry.unauthenticatedCount(inGroup: group) >= security.maxUnauthenticatedPerGroup {
                registry.unauthenticated.first { $0.group == group }?.id
            } else if registry.unauthenticated.count >= security.maxUnauthenticated {
                registry.unauthenticated.first?.id
            } else {
                nil
            }
        guard let victim else { return }
        statistics.connectionsRejected += 1
        registry.forgetUnauthenticated(victim)
        logger.notice("unauthenticated pool full; closing its oldest socket", metadata: ["client": "\(victim)", "group": "\(group)"])
        recordAudit(["event": "unauthenticated_evicted", "clientId": .string(victim), "group": .string(group)])
        close(victim, code: CloseCode.policyViolation, reason: "authenticate sooner: others are waiting to connect")
    }
}
