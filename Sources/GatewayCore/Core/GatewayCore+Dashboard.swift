/// The dashboard a person opens at `GET /`: a sign-in that trades the access token (sent once, in a
/// header) for a session cookie, and a live feed — the dashboard's WebSocket subscribes to `snapshot`
/// and gets the gateway's state every second, plus the editors' events as they happen.
extension GatewayCore {
    /// How long a dashboard sign-in lasts.
    static let dashboardSessionLifetime = 12 * 3600.0
    /// How often subscribed dashboards get a snapshot.
    static let snapshotInterval = 1.0

    /// Starts a dashboard session for a request that presented the access token; nil otherwise.
    package func startDashboardSession(_ request: ConnectionRequest) -> String? {
        guard authorizes(request), request.bearerToken != nil || !security.requiresToken else { return nil }
        let now = clock.monotonicSeconds()
        dashboardSessions = dashboardSessions.filter { $0.expires > now }
        let cookie = makeResumeToken()
        dashboardSessions.append((cookie, now + Self.dashboardSessionLifetime))
        recordAudit(["event": "dashboard_sign_in", "address": .string(request.remoteAddress)])
        return cookie
    }

    /// Whether the request carries a live dashboard cookie (compared in constant time).
    package func hasDashboardSession(_ request: ConnectionRequest) -> Bool {
        guard let cookie = request.sessionCookie, !cookie.isEmpty else { return false }
        let now = clock.monotonicSeconds()
        return dashboardSessions.contains { $0.expires > now && AccessToken.matches(cookie, $0.cookie) }
    }

    /// Sends a snapshot to subscribed dashboards when one is due, and says when the next is.
    func sendSnapshotsIfDue(now: Double) {
        guard now >= nextSnapshotAt else { return }
        nextSnapshotAt = now + Self.snapshotInterval
        let watchers = registry.unordered.filter { $0.open && $0.authenticated && $0.eventSubscriptions.contains("snapshot") }
        guard !watchers.isEmpty else { return }
        let sent = statistics.commandsSent
        let rate = lastSnapshot.map { Double(sent - $0.sent) / max(now - $0.at, 0.001) } ?? 0
        lastSnapshot = (now, sent)
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
            "events": .array(recentEvents.suffix(20).map(\.json)),
            "locks": .array(sceneLocks.values.sorted { $0.scene < $1.scene }.map {
                ["scene": .string($0.scene), "holder": .string($0.holder)]
            }),
        ]
        for watcher in watchers { send(snapshot, to: watcher.id) }
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
