/// How a call that names no editor picks one when several are ready (and none is pinned).
package enum RoutingPolicy: String, CaseIterable, Sendable {
    /// The first ready editor in connection order (the original server's rule).
    case first
    /// Each call to the next ready editor after the one used last.
    case roundRobin = "round-robin"
    /// The ready editor with the fewest commands in flight or queued (connection order breaks ties).
    case leastBusy = "least-busy"
}

extension ClientRegistry {
    /// The editor `policy` picks among the routable ones; `lastSequence` is the connection sequence of the
    /// editor round-robin used last.
    package func editor(by policy: RoutingPolicy, after lastSequence: UInt64?) -> ClientRecord? {
        switch policy {
        case .first:
            return firstReadyGodotClient()
        case .roundRobin:
            let editors = routableEditors
            guard let lastSequence else { return editors.first }
            return editors.first { $0.sequence > lastSequence } ?? editors.first
        case .leastBusy:
            return routableEditors.min { $0.busyness < $1.busyness }
        }
    }
}

extension ClientRecord {
    /// Commands this editor has in flight or waiting in its queue.
    var busyness: Int { inFlightCommands.count + queuedCommands }
}
