/// A call that waits for a suitable editor to connect: asked for with `wait_seconds`, or made in the
/// first `startupGrace` seconds after start (an editor that is still opening).
struct WaitingCall {
    let id: String
    let request: CommandRequest
    let since: Double
    let expires: Double
}

/// Calls waiting for a suitable editor, in the order they came. It owns that list, its next deadline
/// and its expiry; the core decides which call may wait, routes them when an editor arrives and answers
/// the ones whose wait is over (`GatewayCore+Waiting`).
struct WaitingCalls {
    private var calls: [WaitingCall] = []

    var count: Int { calls.count }
    var isEmpty: Bool { calls.isEmpty }

    /// When the first wait ends (infinity: none waits).
    var nextDeadline: Double {
        var earliest = Double.infinity
        for call in calls { earliest = min(earliest, call.expires) }
        return earliest
    }

    mutating func append(_ call: WaitingCall) {
        calls.append(call)
    }

    /// Takes every call out, in order (to try to route each; `putBack` returns those still waiting).
    mutating func takeAll() -> [WaitingCall] {
        guard !calls.isEmpty else { return [] }
        var taken: [WaitingCall] = []
        swap(&taken, &calls)
        return taken
    }

    /// Returns calls taken by `takeAll` that still wait, ahead of any that came since, in their order.
    mutating func putBack(_ still: [WaitingCall]) {
        guard !still.isEmpty else { return }
        calls.insert(contentsOf: still, at: 0)
    }

    /// Takes the call `id` out (the host cancelled it).
    mutating func remove(id: String) -> WaitingCall? {
        guard let index = calls.firstIndex(where: { $0.id == id }) else { return nil }
        return calls.remove(at: index)
    }

    /// Takes out the calls of MCP session `session`, in order.
    mutating func removeAll(session: String) -> [WaitingCall] {
        take { $0.request.session == session }
    }

    /// Takes out the calls whose wait is over, in order; the core answers them.
    mutating func expire(now: Double) -> [WaitingCall] {
        take { $0.expires <= now }
    }

    private mutating func take(where isTaken: (WaitingCall) -> Bool) -> [WaitingCall] {
        guard calls.contains(where: isTaken) else { return [] }
        let taken = calls.filter(isTaken)
        calls.removeAll(where: isTaken)
        return taken
    }
}
