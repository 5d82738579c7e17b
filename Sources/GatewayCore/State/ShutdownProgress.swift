/// Where the gateway stands in an orderly shutdown, and which editors it still waits for to acknowledge
/// (bounded by the grace's deadline). It owns that state, its deadline and its expiry; the core tells the
/// editors and closes everything (`GatewayCore+Shutdown`).
struct ShutdownProgress {
    private(set) var phase: GatewayCore.Phase = .running
    private var awaiting: Set<String> = []

    /// The end of the grace while it runs (infinity otherwise).
    var nextDeadline: Double {
        if case .awaitingAcknowledgements(let deadline) = phase { deadline } else { .infinity }
    }

    /// Whether the grace runs and no editor is left to acknowledge.
    var everyoneAcknowledged: Bool {
        if case .awaitingAcknowledgements = phase { awaiting.isEmpty } else { false }
    }

    /// Starts waiting, until `deadline`, for `editors` to acknowledge.
    mutating func begin(awaiting editors: [String], until deadline: Double) {
        guard phase == .running else { return }
        phase = .awaitingAcknowledgements(deadline: deadline)
        awaiting = Set(editors)
    }

    /// Editor `id` acknowledged, or went away; returns whether it was one waited for.
    mutating func acknowledged(_ id: String) -> Bool {
        guard !awaiting.isEmpty else { return false }
        return awaiting.remove(id) != nil
    }

    /// Everything is being closed.
    mutating func close() {
        phase = .closing
        awaiting.removeAll()
    }

    /// The grace ended at `now`: returns how many editors had not acknowledged (nil: it has not ended).
    /// The core closes everything then.
    mutating func expire(now: Double) -> Int? {
        guard case .awaitingAcknowledgements(let deadline) = phase, now >= deadline else { return nil }
        let unacknowledged = awaiting.count
        awaiting.removeAll()
        return unacknowledged
    }
}
