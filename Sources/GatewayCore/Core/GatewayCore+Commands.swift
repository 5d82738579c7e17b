import FoundationEssentials

/// Routing: a command goes to the named or first ready editor, and ends exactly once in its outcome.
extension GatewayCore {
    /// Routes a command to an editor and returns its id, or fails it at once with the reason (nil).
    @discardableResult
    package func submit(_ request: CommandRequest) -> String? {
        guard phase == .running else {
            finish(request.reply, .failure(.shuttingDown))
            return nil
        }
        guard pending.count + queuedOwner.count < security.maxCommandsInFlight else {
            finish(request.reply, .failure(.tooManyCommands(limit: security.maxCommandsInFlight)))
            return nil
        }
        let chosen: ClientRecord
        if let target = request.target {
            if departed[target] != nil { return waitForReturn(of: target, request) }
            let editors = registry.routableEditors
            switch TargetResolution.resolve(target, among: editors) {
            case .found(let clientId):
                guard let record = registry[clientId] else { return nil }
                guard record.offers(request.name) else {
                    finish(request.reply, .failure(.toolNotOffered(tool: request.name, editor: record.displayName)))
                    return nil
                }
                chosen = record
            case .unknown(let names):
                let failure: CommandFailure = registry[target] != nil
                    ? .targetUnavailable(clientId: target) : .unknownTarget(name: target, editors: names)
                finish(request.reply, .failure(failure))
                return nil
            case .ambiguous(let matches):
                finish(request.reply, .failure(.ambiguousTarget(name: target, matches: matches)))
                return nil
            }
        } else if let pinned = pinnedEditors[request.session] {
            // The pinned editor; if it is gone, the only ready editor still serves, several do not.
            if let record = registry[pinned], record.isRoutable {
                guard record.offers(request.name) else {
                    finish(request.reply, .failure(.toolNotOffered(tool: request.name, editor: record.displayName)))
                    return nil
                }
                chosen = record
            } else if departed[pinned] != nil {
                return waitForReturn(of: pinned, request)
            } else if let only = registry.onlyRoutableEditor {
                chosen = only
            } else {
                finish(request.reply, .failure(registry.routableCount == 0 ? .noGodotClient : .targetUnavailable(clientId: pinned)))
                return nil
            }
        } else {
            guard let record = registry.editor(by: settings.routing, after: lastRoutedSequence, offering: request.name) else {
                let editors = registry.routableEditors
                if !editors.isEmpty {
                    finish(request.reply, .failure(.noEditorOffers(tool: request.name, editors: editors.map(\.displayName))))
                    return nil
                }
                // The only editor there was dropped a moment ago: wait for it rather than fail.
                if departed.count == 1, let only = departed.keys.first { return waitForReturn(of: only, request) }
                finish(request.reply, .failure(.noGodotClient))
                return nil
            }
            chosen = record
        }
        lastRoutedSequence = chosen.sequence
        let id = makeID()
        if hasRoom(chosen) {
            dispatch(id, request, to: chosen)
        } else {
            enqueue(QueuedCommand(id: id, request: request), for: chosen.id)
        }
        return id
    }

    /// Sends a command to its editor; its timeout starts now.
    func dispatch(_ id: String, _ request: CommandRequest, to chosen: ClientRecord) {
        let now = clock.monotonicSeconds()
        let deadline = now + settings.commandTimeout
        pending[id] = PendingCommand(
            id: id, name: request.name, params: request.params, clientId: chosen.id, started: now, deadline: deadline, reply: request.reply,
            onProgress: request.onProgress)
        noteDeadline(deadline)
        registry.update(chosen.id) {
            $0.inFlightCommands.insert(id)
            $0.commandsSent += 1
        }
        statistics.commandsSent += 1
        logger.debug("command routed", metadata: ["command": "\(request.name)", "id": "\(id)", "client": "\(chosen.id)"])
        send(OutboundMessage.command(id: id, name: request.name, params: request.params, timestampMs: clock.epochMilliseconds()), to: chosen.id)
    }

    /// Pins the calls of `session` that name no editor to `clientId` (nil unpins). The MCP face resolves
    /// names first.
    package func pin(_ clientId: String?, session: String = "") {
        pinnedEditors[session] = clientId
    }

    /// The host cancelled a command: it ends now without an outcome (the host expects no answer), and
    /// its editor is told, so it can drop the command if it has not started it. Unknown ids are ignored.
    package func cancel(_ commandId: String) {
        if let queued = removeQueued(commandId) {
            statistics.commandsCancelled += 1
            logger.info("queued command cancelled by the host", metadata: ["command": "\(queued.request.name)", "id": "\(commandId)"])
            return
        }
        guard let command = pending.removeValue(forKey: commandId) else { return }
        forgetInFlight(commandId, of: command.clientId)
        statistics.commandsCancelled += 1
        recentlyCancelled.append(commandId)
        if recentlyCancelled.count > 256 { recentlyCancelled.removeFirst(recentlyCancelled.count - 256) }
        logger.info("command cancelled by the host", metadata: ["command": "\(command.name)", "id": "\(commandId)"])
        send(OutboundMessage.cancel(id: commandId, timestampMs: clock.epochMilliseconds()), to: command.clientId)
        sendQueued(to: command.clientId)
    }

    /// Progress an editor reports for a command it was sent: forwarded (at most every 100 ms, and always
    /// when it reaches its total), and the command's deadline moves to a full timeout from now, within
    /// `maximumExtension` timeouts of its start.
    func progress(_ update: InboundMessage.Progress, from id: String) {
        guard var command = pending[update.id], command.clientId == id else { return }
        let now = clock.monotonicSeconds()
        command.deadline = max(command.deadline, min(now + settings.commandTimeout, command.started + settings.commandTimeout * Self.maximumExtension))
        let finished = update.total.map { update.progress >= $0 } ?? false
        if let onProgress = command.onProgress, finished || now - command.lastProgressForwarded >= 0.1 {
            command.lastProgressForwarded = now
            onProgress(CommandProgress(progress: update.progress, total: update.total, message: update.message))
        }
        pending[update.id] = command
    }

    /// How many command timeouts a command that keeps reporting progress may run for in all.
    static let maximumExtension = 30.0

    func complete(_ response: InboundMessage.CommandResponse, from id: String) {
        guard let command = pending[response.id], command.clientId == id else {
            statistics.unmatchedResponses += 1
            if recentlyCancelled.contains(response.id) {
                logger.debug("answer to a cancelled command dropped", metadata: ["client": "\(id)"])
                return
            }
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
        sendQueued(to: id)
    }

    func failCommands(of clientId: String, with failure: CommandFailure) {
        for command in pending.values where command.clientId == clientId {
            pending[command.id] = nil
            finish(command.reply, .failure(failure))
        }
        failQueued(of: clientId, with: failure)
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
