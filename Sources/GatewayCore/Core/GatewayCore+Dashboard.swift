/// The dashboard a person opens at `GET /`: a sign-in that trades the access token (sent once, in a
/// header) for a session cookie, and a live feed — the dashboard's WebSocket subscribes to `snapshot`
/// and gets the gateway's state every second, plus the editors' events as they happen.
extension GatewayCore {
    /// How long a dashboard sign-in lasts.
    static let dashboardSessionLifetime = 12 * 3600.0

    /// Most live sign-ins one token may have: a new one beyond this ends its oldest. Bounds the scan every
    /// request with a cookie costs (at most this many per token in the list, plus the shared one).
    static let maximumSessionsPerToken = 8

    /// Starts a dashboard session for a request that presented a token; nil otherwise. The session
    /// carries the identity of that token and ends with it (see `GatewayCore+Access`).
    package func startDashboardSession(_ request: ConnectionRequest) -> String? {
        let caller: CallerIdentity
        if !security.requiresToken {
            caller = CallerIdentity(name: nil, rights: .full, credential: .unauthenticatedAccess)
        } else if let presented = request.bearerToken, let identity = identity(presenting: presented) {
            caller = identity
        } else {
            return nil
        }
        let now = clock.monotonicSeconds()
        let cookie = makeResumeToken()
        signIns.add(.init(cookie: cookie, expires: now + Self.dashboardSessionLifetime, caller: caller), now: now)
        recordAudit([
            "event": "dashboard_sign_in", "address": .string(request.remoteAddress),
            "caller": caller.name.map(JSONValue.string) ?? "anonymous (--no-auth)", "rights": .string(caller.rights.description),
        ])
        return cookie
    }

    /// The live sign-in the request's cookie names (compared in constant time), if any.
    func dashboardSession(for request: ConnectionRequest) -> SignInTable.Session? {
        guard let cookie = request.sessionCookie, !cookie.isEmpty else { return nil }
        return signIns.session(cookie: cookie, now: clock.monotonicSeconds())
    }

    /// Whether the request carries a live dashboard cookie.
    package func hasDashboardSession(_ request: ConnectionRequest) -> Bool {
        dashboardSession(for: request) != nil
    }

    /// Sends a snapshot to subscribed dashboards when one is due, and says when the next is.
    func sendSnapshotsIfDue(now: Double) {
        guard snapshots.expire(now: now) else { return }
        let watchers = registry.unordered.filter { $0.open && $0.authenticated && $0.eventSubscriptions.contains("snapshot") }
        guard !watchers.isEmpty else { return }
        let rate = snapshots.rate(now: now, sent: statistics.commandsSent)
        let snapshot: JSONValue = [
            "type": "snapshot",
            "clients": clientsReport["clients"] ?? [],
            "stats": statisticsReport,
            "callsPerSecond": .double((rate * 10).rounded() / 10),
            "latencyMs": [
                "p50": .double(commandLatency.quantile(0.5) * 1000), "p90": .double(commandLatency.quantile(0.9) * 1000),
                "p99": .double(commandLatency.quantile(0.99) * 1000),
            ],
            "errors": .object(statistics.failuresByKind.mapValues { .int(Int64(clamping: $0)) }),
            "events": .array(events.last(20).map(\.json)),
            "locks": .array(sceneLocks.sorted.map {
                ["scene": .string($0.scene), "holder": .string($0.holder)]
            }),
        ]
        for watcher in watchers { send(snapshot, to: watcher.handle) }
    }
}

extension LatencyHistogram {
    /// The upper bound of the bucket holding the `q` quantile (seconds; 0 with no samples).
    package func quantile(_ q: Double) -> Double {
        guard count > 0 else { return 0 }
        let wanted = UInt64((Double(count) * q).rounded(.up))
        var seen: UInt64 = 0
        for (index, bucket) in counts.enumerated() {
            seen += bucket
            if seen >= wanted { return index < Self.bounds.count ? Self.bounds[index] : (Self.bounds.last ?? 0) * 2 }
        }
        return 0
    }
}
