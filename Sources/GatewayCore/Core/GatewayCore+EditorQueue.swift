/// Per-editor order: at most `editorConcurrency` commands in flight on one editor, the rest in a FIFO
/// (`State/EditorQueues`); the editor's record counts what waits for it, for routing by least busy.
extension GatewayCore {
    /// Whether a command for `record` may be sent now rather than queued behind others.
    func hasRoom(_ record: ClientRecord) -> Bool {
        hasRoom(inFlight: record.inFlightCommands.count, clientId: record.id)
    }

    /// The same for an editor with `inFlight` commands sent and not answered.
    func hasRoom(inFlight: Int, clientId: String) -> Bool {
        guard let limit = settings.editorConcurrency else { return true }
        return inFlight < limit && !queues.hasQueue(for: clientId)
    }

    func enqueue(_ command: QueuedCommand, for clientId: String) {
        queues.append(command, for: clientId)
        registry.update(clientId) { $0.queuedCommands += 1 }
        logger.debug("command queued behind the editor's others", metadata: ["id": "\(command.id)", "client": "\(clientId)"])
    }

    /// Sends what waits for `clientId` while it has room; called whenever one of its commands ends.
    func sendQueued(to clientId: String) {
        guard queues.hasQueue(for: clientId) else { return }
        let limit = settings.editorConcurrency ?? .max
        while let record = registry[clientId], record.open, record.inFlightCommands.count < limit, let next = queues.popFirst(for: clientId) {
            registry.update(clientId) { $0.queuedCommands -= 1 }
            // Queued for an editor that was away: judged on the editor as it declares itself now.
            if refusesReadOnlyCaller(next.request, on: record) { continue }
            dispatch(next.id, next.request, to: record, resent: next.resent)
        }
    }

    /// Takes a command out of its queue (the host cancelled it before it was sent).
    func removeQueued(_ commandId: String) -> QueuedCommand? {
        guard !queues.isEmpty, let (clientId, command) = queues.remove(commandId) else { return nil }
        registry.update(clientId) { $0.queuedCommands -= 1 }
        return command
    }

    /// Ends every command waiting for `clientId` with `failure`.
    func failQueued(of clientId: String, with failure: CommandFailure) {
        let waiting = queues.removeAll(for: clientId)
        guard !waiting.isEmpty else { return }
        for command in waiting { finish(command.request.replyTo, .failure(failure)) }
        registry.update(clientId) { $0.queuedCommands = 0 }
    }

    /// Commands that waited for a dropped editor and gave up: past the editor's grace, or (waiting since
    /// before a shorter command timeout) past the call's own.
    func expireQueued(now: Double) {
        for (clientId, command) in queues.expire(now: now) {
            registry.update(clientId) { $0.queuedCommands -= 1 }
            let waited = resumeWindows[clientId]?.graceEnds == nil ? min(settings.resumeGrace, settings.commandTimeout) : settings.commandTimeout
            finish(command.request.replyTo, .failure(.editorNotBack(clientId: clientId, seconds: waited)))
        }
    }

    /// How many commands wait in editors' queues.
    package var queuedCommandCount: Int { queues.count }
}
