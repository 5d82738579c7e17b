/// Connections with frames queued during one turn of the service loop, written together when the turn
/// ends (`ServiceLoop.run`): each connection's frames then leave in one `send(2)` instead of one each.
///
/// One stdin read carries several requests when the host keeps calls in flight (2.4 per read at 8 in
/// flight in bench/run.sh). Written one frame at a time, every request cost its own send, and on loopback
/// the kernel runs the receiver's TCP path inside the sender's send: about a third of the gateway's CPU
/// per call was kernel time. See docs/design-notes.md, "Hot path".
final class WriteBatch {
    private var waiting: [Connection] = []

    var isEmpty: Bool { waiting.isEmpty }

    /// Remembers a connection to flush at the end of the turn; the caller adds each connection once.
    func add(_ connection: Connection) {
        waiting.append(connection)
    }

    /// Writes what every waiting connection has queued. A connection whose socket cannot take more, or
    /// whose next frame is a close, waits for its WRITEABLE callback instead.
    func flush() {
        guard !waiting.isEmpty else { return }
        let connections = waiting
        waiting.removeAll(keepingCapacity: true)
        for connection in connections {
            connection.flushBatched()
        }
    }
}
