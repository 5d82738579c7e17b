/// The last editor events, for `godot://events` and the dashboard: a ring of `capacity` events, so
/// each new one costs a write, not a shift of the other ninety-nine. It owns that state; events do not
/// lapse with time (only newer ones push them out), so it has no deadline and no expiry.
struct RecentEvents {
    let capacity: Int
    private var ring: [EditorEvent] = []
    /// Where the next event goes once the ring is full (it is then the oldest).
    private var next = 0

    init(capacity: Int = EditorEvent.kept) {
        self.capacity = max(capacity, 1)
    }

    var count: Int { ring.count }

    mutating func append(_ event: EditorEvent) {
        if ring.count < capacity {
            ring.append(event)
        } else {
            ring[next] = event
            next = (next + 1) % capacity
        }
    }

    /// Every event kept, oldest first.
    var all: [EditorEvent] { last(ring.count) }

    /// The newest `n` events, oldest first.
    func last(_ n: Int) -> [EditorEvent] {
        let taken = min(max(n, 0), ring.count)
        guard ring.count == capacity, next > 0 else { return Array(ring.suffix(taken)) }
        // Full and wrapped: the oldest is at `next`.
        return (ring.count - taken..<ring.count).map { ring[(next + $0) % capacity] }
    }
}

/// When subscribed dashboards get their next snapshot, and what the last one counted (for the rate of
/// calls it shows). It owns that schedule and its deadline; the core builds and sends the snapshot
/// (`GatewayCore+Dashboard`).
struct SnapshotSchedule {
    static let interval = 1.0
    /// When the next snapshot is due (0: at once).
    private(set) var nextDeadline = 0.0
    private var last: (at: Double, sent: UInt64)?

    /// A dashboard subscribed: its first snapshot goes at once.
    mutating func sendSoon() {
        nextDeadline = 0
    }

    /// Whether a snapshot is due at `now`; if so, the next one is scheduled an interval later.
    mutating func expire(now: Double) -> Bool {
        guard now >= nextDeadline else { return false }
        nextDeadline = now + Self.interval
        return true
    }

    /// Commands sent per second since the last snapshot sent (0 for the first), and remembers this one.
    mutating func rate(now: Double, sent: UInt64) -> Double {
        let rate = last.map { Double(sent &- $0.sent) / max(now - $0.at, 0.001) } ?? 0
        last = (now, sent)
        return rate
    }
}
