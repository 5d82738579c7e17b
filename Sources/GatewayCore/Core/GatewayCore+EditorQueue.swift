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

/// Per-editor order: at most `editorConcurrency` commands in flight on one editor, the rest in a FIFO.
extension GatewayCore {
    /// Whether a command for `record` may be sent now rather than queued behind others.
    func hasRoom(_ record: ClientRecord) -> Bool {
        guard let limit = settings.editorConcurrency else { return true }
        return record.inFlightCommands.count < limit && queued[record.id] == nil
    }

    func enqueue(_ command: QueuedCommand, for clientId: String) {
        queued[clientId, default: []].append(command)
        queuedOwner[command.id] = clientId
        registry.update(clientId) { $0.queuedCommands += 1 }
        logger.debug("command queued behind the editor's others", metadata: ["id": "\(command.id)", "client": "\(clientId)"])
    }

    /// Sends what waits for `clientId` while it has room; called whenever one of its commands ends.
    func sendQueued(to clientId: String) {
        guard var waiting = queued[clientId] else { return }
        let limit = settings.editorConcurrency ?? .max
        while !waiting.isEmpty, let record = registry[clientId], record.open, record.inFlightCommands.count < limit {
            let next = waiting.removeFirst()
            queuedOwner[next.id] = nil
            registry.update(clientId) { $0.queuedCommands -= 1 }
            // Queued for an editor that was away: judged on the editor as it declares itself now.
            if refusesReadOnlyCaller(next.request, on: record) { continue }
            dispatch(next.id, next.request, to: record, resent: next.resent)
        }
        queued[clientId] = waiting.isEmpty ? nil : waiting
    }

    /// Takes a command out of its queue (the host cancelled it before it was sent).
    func removeQueued(_ commandId: String) -> QueuedCommand? {
        guard let clientId = queuedOwner.removeValue(forKey: commandId), var waiting = queued[clientId],
              let index = waiting.firstIndex(where: { $0.id == commandId }) else { return nil }
        let command = waiting.remove(at: index)
        queued[clientId] = waiting.isEmpty ? nil : waiting
        registry.update(clientId) { $0.queuedCommands -= 1 }
        return command
    }

    /// Ends every command waiting for `clientId` with `failure`.
    func failQueued(of clientId: String, with failure: CommandFailure) {
        guard let waiting = queued.removeValue(forKey: clientId) else { return }
        for command in waiting {
            queuedOwner[command.id] = nil
            finish(command.request.replyTo, .failure(failure))
        }
        registry.update(clientId) { $0.queuedCommands = 0 }
    }

    /// How many commands wait in editors' queues.
    package var queuedCommandCount: Int { queuedOwner.count }
}
