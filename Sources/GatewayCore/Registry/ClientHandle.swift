/// A connection's place in the registry: a slot index and the generation of that slot. The socket layer
/// and the core address a connection by it on the hot path (a message in, a command or answer out), so a
/// routed call and its answer index an array instead of hashing the client's UUID string several times.
/// A slot is used again once its connection is gone; its generation then moves on, so an event about the
/// connection that held it before (a late close, a frame already read) is recognised as stale and ignored.
package struct ClientHandle: Hashable, Sendable, CustomStringConvertible {
    package let slot: UInt32
    package let generation: UInt32

    package init(slot: UInt32, generation: UInt32) {
        self.slot = slot
        self.generation = generation
    }

    /// No slot: a record kept apart from the registry (departed, adopted, another node's editor) or a
    /// connection the core does not know (the echo mode, the link to another gateway). It never matches a slot.
    package static let detached = ClientHandle(slot: .max, generation: .max)

    package var description: String { self == .detached ? "detached" : "\(slot).\(generation)" }
}

/// A connection the core accepted: the id it is known by (in messages, logs and to hosts) and its handle.
package struct AcceptedClient: Equatable, Sendable {
    package let id: String
    package let handle: ClientHandle

    package init(id: String, handle: ClientHandle) {
        self.id = id
        self.handle = handle
    }
}
