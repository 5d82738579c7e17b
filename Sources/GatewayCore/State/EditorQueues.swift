/// A command waiting for its editor to have room (`GatewaySettings.editorConcurrency`). It has not been
/// sent, so it has no deadline yet: a command never times out because another one was slow.
struct QueuedCommand {
    let id: String
    let request: CommandRequest
    /// Set when the command waits for an editor that dropped: it fails if the editor is not back by then.
    var expires: Double? = nil
    /// Already sent once to an editor that then dropped (or whose node did): not sent a third time.
    var resent = false
}

/// The commands waiting for room on their editor, per editor in the order they came, and which editor
/// each command id waits for (so a cancellation finds it without walking every queue). It owns that
/// state, its next deadline and its expiry; the core decides when an editor has room and answers the
/// callers of what expired (`GatewayCore+EditorQueue`).
struct EditorQueues {
    /// Never holds an empty queue: an editor with nothing waiting has no entry, so "has a queue" is a
    /// lookup, not a count.
    private var queues: [String: [QueuedCommand]] = [:]
    private var owner: [String: String] = [:]

    /// How many commands wait, in all queues.
    var count: Int { owner.count }
    var isEmpty: Bool { owner.isEmpty }
    /// The editors something waits for, in id order.
    var editors: [String] { queues.keys.sorted() }

    func hasQueue(for clientId: String) -> Bool {
        !queues.isEmpty && queues[clientId] != nil
    }

    /// When the first command waiting for an editor that dropped gives up (infinity: none).
    var nextDeadline: Double {
        var earliest = Double.infinity
        for waiting in queues.values { for command in waiting { earliest = min(earliest, command.expires ?? .infinity) } }
        return earliest
    }

    mutating func append(_ command: QueuedCommand, for clientId: String) {
        queues[clientId, default: []].append(command)
        owner[command.id] = clientId
    }

    /// The next command waiting for `clientId`, taken out of its queue.
    mutating func popFirst(for clientId: String) -> QueuedCommand? {
        guard let next = queues[clientId]?.first else { return nil }
        if queues[clientId]?.count == 1 { queues[clientId] = nil } else { queues[clientId]?.removeFirst() }
        owner[next.id] = nil
        return next
    }

    /// Takes the command `commandId` out of whichever queue holds it (the host cancelled it).
    mutating func remove(_ commandId: String) -> (clientId: String, command: QueuedCommand)? {
        guard let clientId = owner.removeValue(forKey: commandId), var waiting = queues[clientId],
              let index = waiting.firstIndex(where: { $0.id == commandId }) else { return nil }
        let command = waiting.remove(at: index)
        queues[clientId] = waiting.isEmpty ? nil : waiting
        return (clientId, command)
    }

    /// Takes out everything waiting for `clientId`, in order.
    mutating func removeAll(for clientId: String) -> [QueuedCommand] {
        guard let waiting = queues.removeValue(forKey: clientId) else { return [] }
        for command in waiting { owner[command.id] = nil }
        return waiting
    }

    /// Takes out the commands whose wait for a dropped editor is over: by editor id, each queue in order.
    mutating func expire(now: Double) -> [(clientId: String, command: QueuedCommand)] {
        guard nextDeadline <= now else { return [] }
        var expired: [(clientId: String, command: QueuedCommand)] = []
        for clientId in queues.keys.sorted() {
            for command in queues[clientId] ?? [] where (command.expires ?? .infinity) <= now { expired.append((clientId, command)) }
        }
        for (_, command) in expired { _ = remove(command.id) }
        return expired
    }
}
