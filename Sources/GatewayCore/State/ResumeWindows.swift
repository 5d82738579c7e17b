/// An editor that dropped while its resume window is open: its record (id, counters, commands in flight)
/// waits for a connection that presents its resume token.
struct DepartedClient {
    var record: ClientRecord
    let expires: Double
    /// Until when calls for it wait (`GatewaySettings.resumeGrace`); nil once that is over: they fail
    /// then, while its id stays reserved until `expires`.
    var graceEnds: Double?
}

/// Editors that dropped and may resume their ids (by client id, each with its resume window and the
/// grace its calls wait for), and the resume tokens already used (refused if presented again until
/// their window would have closed). It owns that state, its next deadline and its expiry; the core
/// decides who qualifies, answers the calls and tells the host (`GatewayCore+Resume`, `+Reconnecting`).
/// Tokens are compared in constant time and are never dictionary keys.
struct ResumeWindows {
    private var departed: [String: DepartedClient] = [:]
    private var consumed: [(token: String, until: Double)] = []

    /// What `expire(now:)` ended, for the core to act on: first the graces, then the windows.
    struct Expired {
        /// Editors whose grace ended (their `graceEnds` now nil; still kept for the rest of the window).
        var graceEnded: [DepartedClient] = []
        /// Editors whose window closed, removed.
        var closed: [DepartedClient] = []
    }

    var isEmpty: Bool { departed.isEmpty }
    var count: Int { departed.count }
    subscript(clientId: String) -> DepartedClient? { departed[clientId] }
    /// The records kept, in id order.
    var records: [ClientRecord] { departed.keys.sorted().compactMap { departed[$0]?.record } }
    /// The id of the only editor kept, when there is exactly one.
    var soleID: String? { departed.count == 1 ? departed.keys.first : nil }

    /// When the first grace or window ends (infinity: none kept).
    var nextDeadline: Double {
        var earliest = Double.infinity
        for gone in departed.values { earliest = min(earliest, gone.expires, gone.graceEnds ?? .infinity) }
        return earliest
    }

    /// Keeps `record` for `window` seconds from `now`, its calls waiting for `grace`; returns the first
    /// deadline that brings (for the service loop's wake-up).
    mutating func keep(_ record: ClientRecord, now: Double, window: Double, grace: Double) -> Double {
        let gone = DepartedClient(record: record, expires: now + window, graceEnds: now + grace)
        departed[record.id] = gone
        return min(gone.expires, gone.graceEnds ?? gone.expires)
    }

    mutating func remove(_ clientId: String) -> DepartedClient? {
        departed.removeValue(forKey: clientId)
    }

    /// A command of a kept editor ended (answered elsewhere, timed out, cancelled).
    mutating func forgetInFlight(_ key: CommandsInFlight.Key, of clientId: String) {
        guard !departed.isEmpty else { return }
        departed[clientId]?.record.inFlightCommands.remove(key)
    }

    /// The kept editor whose resume token is `token`.
    func record(presenting token: String) -> ClientRecord? {
        departed.values.first { AccessToken.matches(token, $0.record.resumeToken) }?.record
    }

    /// The kept editor (another node's, kept when that node left) whose token hashes to `hash`.
    func record(withTokenHash hash: String) -> ClientRecord? {
        departed.values.first { $0.record.resumeTokenHash.map { AccessToken.matches(hash, $0) } ?? false }?.record
    }

    /// `token` was used to resume: presented again before `until`, it is refused.
    mutating func consume(_ token: String, until: Double) {
        consumed.append((token, until))
    }

    func wasConsumed(_ token: String, now: Double) -> Bool {
        consumed.contains { $0.until > now && AccessToken.matches(token, $0.token) }
    }

    /// Ends the graces and windows that are over, in id order; forgets used tokens whose window passed.
    mutating func expire(now: Double) -> Expired {
        consumed.removeAll { $0.until <= now }
        guard nextDeadline <= now else { return Expired() }
        var expired = Expired()
        for clientId in departed.keys.sorted() {
            guard var gone = departed[clientId] else { continue }
            if let ends = gone.graceEnds, ends <= now {
                gone.graceEnds = nil
                departed[clientId] = gone
                expired.graceEnded.append(gone)
            }
            if gone.expires <= now {
                departed[clientId] = nil
                expired.closed.append(gone)
            }
        }
        return expired
    }
}
