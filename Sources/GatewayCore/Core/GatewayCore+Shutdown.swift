
/// Orderly shutdown: editors are told, acknowledgements awaited (bounded), then everything closes.
extension GatewayCore {
    /// Tells every Godot editor the gateway is going away and waits (bounded) for their acknowledgements.
    package func beginShutdown() {
        guard phase == .running else { return }
        let editors = registry.all.filter { $0.type == .godot && $0.open }
        logger.info("shutting down", metadata: ["editors": "\(editors.count)"])
        let deadline = clock.monotonicSeconds() + settings.shutdownGrace
        shutdown.begin(awaiting: editors.map(\.id), until: deadline)
        noteDeadline(deadline)
        for editor in editors {
            send(OutboundMessage.shutdown(id: makeID(), timestampMs: clock.epochMilliseconds()), to: editor.handle)
        }
        finishShutdownIfAcknowledged()
    }

    /// Closes everything now, failing every pending command; for when the service loop must stop.
    package func abandonAll() {
        if phase != .closing { closeEverything() }
    }

    func finishShutdownIfAcknowledged() {
        if shutdown.everyoneAcknowledged { closeEverything() }
    }

    func closeEverything() {
        shutdown.close()
        for command in commands.removeAll() {
            finish(command.replyTo, .failure(.shuttingDown))
        }
        for clientId in queues.editors { failQueued(of: clientId, with: .shuttingDown) }
        for call in waitingCalls.takeAll() { finish(call.request.replyTo, .failure(.shuttingDown)) }
        for record in registry.all where record.open {
            close(record.handle, code: CloseCode.goingAway, reason: "gateway shutting down")
        }
    }
}
