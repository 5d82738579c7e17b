
/// Routing: a command goes to the named or first ready editor, and ends exactly once in its outcome.
extension GatewayCore {
    /// Routes a command to an editor and returns its id, or fails it at once with the reason (nil). When
    /// no suitable editor is connected, the call may wait for one (`GatewayCore+Waiting`).
    @discardableResult
    package func submit(_ request: CommandRequest) -> String? {
        guard phase == .running else {
            finish(request.replyTo, .failure(.shuttingDown))
            return nil
        }
        guard commands.count + queues.count + waitingCalls.count < security.maxCommandsInFlight else {
            finish(request.replyTo, .failure(.tooManyCommands(limit: security.maxCommandsInFlight)))
            return nil
        }
        switch route(request) {
        case .send(let chosen):
            return submit(request, to: chosen)
        case .sendHere(let handle):
            // The common case reads what sending needs from the slot; a read-only caller or a scene lock
            // looks at the whole record (a copy of about twenty reference-counted fields).
            guard request.readOnlyCaller == nil, sceneLocks.isEmpty, let chosen = registry.sendingFacts(of: handle) else {
                guard let record = registry[handle] else {
                    finish(request.replyTo, .failure(.noGodotClient))
                    return nil
                }
                return submit(request, to: record)
            }
            let id = request.commandId ?? commands.makeID()
            send(request, id: id, to: chosen, at: handle)
            return id
        case .waitForReturn(let clientId):
            return waitForReturn(of: clientId, request)
        case .fail(let failure):
            if failure.anEditorMayCome, let deadline = waitDeadline(for: request) {
                return waitForEditor(request, until: deadline)
            }
            finish(request.replyTo, .failure(failure))
            return nil
        }
    }

    /// Sends to the chosen editor unless the caller's rights or a scene lock forbid it.
    private func submit(_ request: CommandRequest, to chosen: consuming ClientRecord) -> String? {
        if refusesReadOnlyCaller(request, on: chosen) { return nil }
        if let held = conflictingLock(for: request, on: chosen) {
            finish(request.replyTo, .failure(.sceneLocked(scene: held.scene, holder: held.holder)))
            return nil
        }
        let id = request.commandId ?? commands.makeID()
        deliver(request, id: id, to: consume chosen)
        return id
    }

    /// Where a command should go now.
    enum Route {
        case send(ClientRecord)
        /// To the editor in this slot of the registry (this node's, chosen by the routing policy).
        case sendHere(ClientHandle)
        /// To an editor that dropped and may resume.
        case waitForReturn(String)
        case fail(CommandFailure)

        var fails: Bool { if case .fail = self { true } else { false } }
    }

    /// The named editor; else the session's pinned one; else by the routing policy — among the editors
    /// that offer the tool.
    func route(_ request: CommandRequest) -> Route {
        if let target = request.target {
            if resumeWindows[target] != nil { return returnRoute(target) }
            // Editors reconnecting are named like connected ones (id, project name or unique prefix).
            let reconnecting = anyReconnecting
            switch TargetResolution.resolve(target, among: reconnecting ? nameableEditors : routableEditors) {
            case .found(let clientId):
                if reconnecting, let away = reconnectingRoute(clientId) { return away }
                guard let record = routableEditor(clientId) else { return .fail(.targetUnavailable(clientId: clientId)) }
                guard record.offers(request.name) else { return .fail(.toolNotOffered(tool: request.name, editor: record.displayName)) }
                return .send(record)
            case .unknown(let names):
                if registry[target] != nil { return .fail(.targetUnavailable(clientId: target)) }
                return .fail(.unknownTarget(name: target, editors: reconnecting ? routableEditors.map(\.displayName) : names))
            case .ambiguous(let matches):
                return .fail(.ambiguousTarget(name: target, matches: matches))
            }
        }
        // (An empty table is not hashed into: most calls come from sessions that pinned nothing.)
        if !pinnedEditors.isEmpty, let pinned = pinnedEditors[request.session] {
            // The pinned editor; if it is gone, the only ready editor still serves, several do not.
            if let record = routableEditor(pinned) {
                guard record.offers(request.name) else { return .fail(.toolNotOffered(tool: request.name, editor: record.displayName)) }
                return .send(record)
            }
            // Reconnecting within its grace: wait for it; past the grace it counts as gone.
            if let away = reconnectingRoute(pinned), !away.fails { return away }
            if let only = registry.onlyRoutableEditor { return .send(only) }
            return .fail(registry.routableCount == 0 ? .noGodotClient : .targetUnavailable(clientId: pinned))
        }
        if let record = clusterEditor(by: settings.routing, offering: request.name) { return .send(record) }
        let lastRouted = lastRoutedSequence
        if let handle = inRegistry({ $0.editorHandle(by: settings.routing, after: lastRouted, offering: request.name) }) {
            return .sendHere(handle)
        }
        // No editor here takes it: one of another cluster node's.
        if let remote = firstRemoteEditor(offering: request.name) { return .send(remote) }
        let editors = routableEditors
        if !editors.isEmpty { return .fail(.noEditorOffers(tool: request.name, editors: editors.map(\.displayName))) }
        // The only editor there was dropped a moment ago: wait for it rather than fail.
        if let only = resumeWindows.soleID, case .waitForReturn = returnRoute(only) { return .waitForReturn(only) }
        return .fail(.noGodotClient)
    }

    /// To an editor here, or to the node of another node's editor.
    func deliver(_ request: CommandRequest, id: String, to chosen: consuming ClientRecord) {
        if chosen.node != nil {
            forward(request, id: id, to: chosen)
        } else {
            send(request, id: id, to: chosen)
        }
    }

    /// Sends now, or queues behind the editor's other commands (`--editor-concurrency`).
    func send(_ request: CommandRequest, id: String, to chosen: consuming ClientRecord) {
        let facts = ClientRegistry.SendingFacts(id: chosen.id, sequence: chosen.sequence, inFlight: chosen.inFlightCommands.count)
        let handle = chosen.handle
        _ = consume chosen
        send(request, id: id, to: facts, at: handle)
    }

    /// The same for an editor of this node known by its slot.
    func send(_ request: CommandRequest, id: String, to chosen: ClientRegistry.SendingFacts, at handle: ClientHandle) {
        lastRoutedSequence = chosen.sequence
        if hasRoom(inFlight: chosen.inFlight, clientId: chosen.id) {
            dispatch(id, request, handle: handle, clientId: chosen.id)
        } else {
            enqueue(QueuedCommand(id: id, request: request), for: chosen.id)
        }
    }

    /// Sends a command to its editor; its timeout starts now.
    ///
    /// The record is taken, not borrowed, down from routing: a copy of it still alive shares its sets with
    /// the registry's record, so the insert into `inFlightCommands` below copied the whole set per call.
    func dispatch(_ id: String, _ request: CommandRequest, to chosen: consuming ClientRecord, resent: Bool = false) {
        let handle = chosen.handle, clientId = chosen.id
        _ = consume chosen
        dispatch(id, request, handle: handle, clientId: clientId, resent: resent)
    }

    /// The same for the editor in `handle`'s slot, registered as `clientId`.
    func dispatch(_ id: String, _ request: CommandRequest, handle: ClientHandle, clientId: String, resent: Bool = false) {
        let now = clock.monotonicSeconds()
        let deadline = now + settings.commandTimeout
        let key = commands.insert(PendingCommand(
            id: id, name: request.name, parameters: request.parameters, clientId: clientId, started: now, deadline: deadline, replyTo: request.replyTo,
            wantsProgress: request.wantsProgress, resent: resent))
        noteDeadline(deadline)
        logger.debug("command routed", metadata: ["command": "\(request.name)", "id": "\(id)", "client": "\(clientId)"])
        let text = OutboundMessage.commandText(
            id: id, name: request.name, parameters: request.parameters, timestampMs: clock.epochMilliseconds())
        // A record kept apart from the registry has no socket here (as in `sendText`): counted, not sent.
        guard handle != .detached else {
            statistics.commandsSent += 1
            return
        }
        // What `sendText` counts, counted here with the command: one access to the record and one to the
        // statistics instead of two each.
        let byteCount = UInt64(text.utf8.count)
        registry.update(handle) {
            $0.inFlightCommands.insert(key)
            $0.commandsSent += 1
            $0.messagesOut += 1
            $0.bytesOut += byteCount
        }
        statistics.countCommandSent(bytes: byteCount)
        output.effects.append(.send(client: handle, text: text))
    }

    /// Pins the calls of `session` that name no editor to `clientId` (nil unpins). The MCP face resolves
    /// names first.
    package func pin(_ clientId: String?, session: String = "") {
        pinnedEditors[session] = clientId
    }

    /// The host cancelled a command: it ends now without an outcome (the host expects no answer), and
    /// its editor is told, so it can drop the command if it has not started it. Unknown ids are ignored.
    package func cancel(_ commandId: String) {
        if let waiting = stopWaiting(commandId) {
            statistics.commandsCancelled += 1
            logger.info("waiting call cancelled by the host", metadata: ["command": "\(waiting.request.name)", "id": "\(commandId)"])
            return
        }
        if let queued = removeQueued(commandId) {
            statistics.commandsCancelled += 1
            logger.info("queued command cancelled by the host", metadata: ["command": "\(queued.request.name)", "id": "\(commandId)"])
            return
        }
        guard let key = commands.key(of: commandId), let command = commands.cancel(key) else { return }
        forgetInFlight(key, of: command.clientId)
        statistics.commandsCancelled += 1
        logger.info("command cancelled by the host", metadata: ["command": "\(command.name)", "id": "\(commandId)"])
        send(OutboundMessage.cancel(id: commandId, timestampMs: clock.epochMilliseconds()), to: command.clientId)
        sendQueued(to: command.clientId)
    }

    /// Progress an editor reports for a command it was sent: forwarded (at most every 100 ms, and always
    /// when it reaches its total), and the command's deadline moves to a full timeout from now, within
    /// `maximumExtension` timeouts of its start.
    func progress(_ update: InboundMessage.Progress, from id: String) {
        guard var command = commands.command(update.id, sentTo: id) else { return }
        let now = clock.monotonicSeconds()
        command.deadline = max(command.deadline, min(now + settings.commandTimeout, command.started + settings.commandTimeout * Self.maximumExtension))
        let finished = update.total.map { update.progress >= $0 } ?? false
        if command.wantsProgress, finished || now - command.lastProgressForwarded >= 0.1 {
            command.lastProgressForwarded = now
            reply(to: command.replyTo, .progress(CommandProgress(progress: update.progress, total: update.total, message: update.message)))
        }
        commands.update(command.key, to: command)
    }

    /// How many command timeouts a command that keeps reporting progress may run for in all.
    static let maximumExtension = 30.0

    /// `key`: the command the answer is for, when the caller found it already.
    func complete(_ response: InboundMessage.CommandResponse, key known: CommandsInFlight.Key? = nil, from handle: ClientHandle, id: String) {
        guard let key = known ?? commands.key(of: response.id, sentTo: id), let command = commands.remove(key) else {
            statistics.unmatchedResponses += 1
            if commands.wasCancelled(response.id) {
                logger.debug("answer to a cancelled command dropped", metadata: ["client": "\(id)"])
                return
            }
            // The id came from the client: log a bounded prefix, never an arbitrarily long string.
            logger.notice("response with an unknown id dropped", metadata: ["client": "\(id)", "id": "\(response.id.prefix(64))"])
            return
        }
        conclude(command, key: key, success: response.success, result: response.result, error: response.error, from: handle, id: id)
    }

    /// The editor answered `command` (already taken out of the table): its caller gets the outcome.
    func conclude(
        _ command: PendingCommand, key: CommandsInFlight.Key, success: Bool, result: JSONText, error: String?, from handle: ClientHandle, id: String
    ) {
        registry.update(handle) { _ = $0.inFlightCommands.remove(key) }
        commandLatency.observe(clock.monotonicSeconds() - command.started)
        if success {
            finish(command.replyTo, .success(result: result, clientId: id))
        } else {
            finish(command.replyTo, .failure(.editorError(message: error ?? "unspecified error", clientId: id)))
        }
        sendQueued(to: id)
    }

    func failCommands(of clientId: String, with failure: CommandFailure) {
        for command in commands.removeAll(sentTo: clientId) {
            finish(command.replyTo, .failure(failure))
        }
        failQueued(of: clientId, with: failure)
    }

    func finish(_ replyTo: ReplyAddress, _ outcome: CommandOutcome) {
        switch outcome {
        case .success: statistics.commandsSucceeded += 1
        case .failure(let failure):
            statistics.commandsFailed += 1
            statistics.failuresByKind[failure.kind, default: 0] += 1
            if case .timedOut = failure { statistics.commandsTimedOut += 1 }
        }
        reply(to: replyTo, .ended(outcome))
    }

    /// Queues a reply for whoever waits on the command; another node's call gets its answer as text
    /// (remembered, so a repeat is answered without running twice).
    func reply(to address: ReplyAddress, _ reply: CommandReply) {
        switch address {
        case .call:
            output.replies.append((address, reply))
        case .node(_, let id):
            guard case .ended(let outcome) = reply else { return }  // progress does not cross nodes
            let text = Self.forwardedAnswerText(id: id, outcome)
            remember(answer: text, for: id)
            output.replies.append((address, .forwardedAnswer(text)))
        }
    }

    /// Hands the replies queued since the last call to the caller (the engine) and forgets them.
    package func takeReplies() -> [(to: ReplyAddress, reply: CommandReply)] {
        guard !output.replies.isEmpty else { return [] }
        var taken: [(to: ReplyAddress, reply: CommandReply)] = []
        swap(&taken, &output.replies)
        return taken
    }
}
