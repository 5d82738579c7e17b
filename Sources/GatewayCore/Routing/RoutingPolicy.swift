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
    package func editor(by policy: RoutingPolicy, after lastSequence: UInt64?, offering tool: String? = nil) -> ClientRecord? {
        editorHandle(by: policy, after: lastSequence, offering: tool).flatMap { self[$0] }
    }

    /// The same editor's handle (routing copies no record).
    package func editorHandle(by policy: RoutingPolicy, after lastSequence: UInt64?, offering tool: String? = nil) -> ClientHandle? {
        switch policy {
        case .first:
            return firstRoutableHandle(offering: tool) { $0.sequence < $1.sequence }
        case .roundRobin:
            // The next editor in connection order after the last one used, wrapping around.
            let last = lastSequence ?? 0
            let started = lastSequence != nil
            return firstRoutableHandle(offering: tool) { a, b in
                let aAfter = !started || a.sequence > last, bAfter = !started || b.sequence > last
                return aAfter != bAfter ? aAfter : a.sequence < b.sequence
            }
        case .leastBusy:
            return firstRoutableHandle(offering: tool) { ($0.busyness, $0.sequence) < ($1.busyness, $1.sequence) }
        }
    }
}

extension ClientRecord {
    /// Commands this editor has in flight or waiting in its queue.
    var busyness: Int { inFlightCommands.count + queuedCommands }
}
