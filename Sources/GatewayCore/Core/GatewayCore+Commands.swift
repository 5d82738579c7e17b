import Foundation

/// Routing: a command goes to the named or first ready editor, and ends exactly once in its outcome.
extension GatewayCore {
    /// Routes a command to an editor, or fails it at once with the reason.
    public func submit(_ request: CommandRequest) {
        guard phase == .running else {
            return finish(request.reply, .failure(.shuttingDown))
        }
        guard pending.count < security.maxCommandsInFlight else {
            return finish(request.reply, .failure(.tooManyCommands(limit: security.maxCommandsInFlight)))
        }
        let chosen: ClientRecord
        if let target = request.target {
            guard let record = registry[target], record.isRoutable else {
                return finish(request.reply, .failure(.targetUnavailable(clientId: target)))
            }
            chosen = record
        } else {
            guard let record = registry.firstReadyGodotClient() else {
                return finish(request.reply, .failure(.noGodotClient))
            }
            chosen = record
        }
        let id = makeID()
        let deadline = clock.monotonicSeconds() + settings.commandTimeout
        pending[id] = PendingCommand(id: id, name: request.name, clientId: chosen.id, deadline: deadline, reply: request.reply)
        noteDeadline(deadline)
        registry.update(chosen.id) {
            $0.inFlightCommands.insert(id)
            $0.commandsSent += 1
        }
        statistics.commandsSent += 1
        logger.debug("command routed", metadata: ["command": "\(request.name)", "id": "\(id)", "client": "\(chosen.id)"])
        send(OutboundMessage.command(id: id, name: request.name, params: request.params, timestampMs: clock.epochMilliseconds()), to: chosen.id)
    }

    func complete(_ response: InboundMessage.CommandResponse, from id: String) {
        guard let command = pending[response.id], command.clientId == id else {
            statistics.unmatchedResponses += 1
            // The id came from the client: log a bounded prefix, never an arbitrarily long string.
            logger.notice("response with an unknown id dropped", metadata: ["client": "\(id)", "id": "\(response.id.prefix(64))"])
            return
        }
        pending[response.id] = nil
        registry.update(id) { _ = $0.inFlightCommands.remove(response.id) }
        if response.success {
            finish(command.reply, .success(result: response.result, clientId: id))
        } else {
            finish(command.reply, .failure(.editorError(message: response.error ?? "unspecified error", clientId: id)))
        }
    }

    func failCommands(of clientId: String, with failure: CommandFailure) {
        for command in pending.values where command.clientId == clientId {
            pending[command.id] = nil
            finish(command.reply, .failure(failure))
        }
    }

    func finish(_ reply: (CommandOutcome) -> Void, _ outcome: CommandOutcome) {
        switch outcome {
        case .success: statistics.commandsSucceeded += 1
        case .failure(.timedOut): statistics.commandsTimedOut += 1; statistics.commandsFailed += 1
        case .failure: statistics.commandsFailed += 1
        }
        reply(outcome)
    }
}
