import GatewayCore

/// The open WebSocket connections, filed by the slot of their `ClientHandle`: every message the engine
/// sends, pings or closes names a handle, and finding its connection indexes an array instead of hashing
/// the client's id. The core keeps a slot taken until the connection in it reports closed, so two open
/// connections never share one; the generation check still makes an action for an earlier holder of the
/// slot find nothing rather than the wrong connection.
struct ConnectionTable {
    private var bySlot: [Connection?] = []
    private(set) var count = 0
    var isEmpty: Bool { count == 0 }

    subscript(handle: ClientHandle) -> Connection? {
        let slot = Int(handle.slot)
        guard slot < bySlot.count, let connection = bySlot[slot], connection.handle == handle else { return nil }
        return connection
    }

    /// Files a connection the core accepted (one without a handle is not the core's and is not filed).
    mutating func insert(_ connection: Connection) {
        guard connection.handle != .detached else { return }
        let slot = Int(connection.handle.slot)
        if slot >= bySlot.count { bySlot.append(contentsOf: repeatElement(nil, count: slot - bySlot.count + 1)) }
        if bySlot[slot] == nil { count += 1 }
        bySlot[slot] = connection
    }

    /// Takes the connection out; false when it is not the one filed under its handle.
    mutating func remove(_ connection: Connection) -> Bool {
        guard self[connection.handle] === connection else { return false }
        bySlot[Int(connection.handle.slot)] = nil
        count -= 1
        return true
    }
}
