extension ClientRecord {
    /// Whether the editor said in `identify` that it reconnects and resumes (`"resumable": true`; our
    /// addon does, the original never presents a resume token). Only such an editor is kept for resume.
    package var declaresResume: Bool { details["resumable"]?.boolValue == true }
}

/// Persistent client ids. Every handshake carries a fresh single-use `resumeToken`; an editor that
/// reconnects within `GatewaySettings.resumeWindow` and presents it in `identify` gets its old id, its
/// counters and pins back, and the commands it had not answered are sent to it again, once, with the
/// same ids. Tokens are compared in constant time and never used as dictionary keys; a token used once
/// closes a second connection presenting it (4001); a token of a connection that is still open moves the
/// id to the new connection and closes the old one (4003).
extension GatewayCore {
    /// A fresh token: two random UUIDs' hex digits (244 random bits).
    func makeResumeToken() -> String {
        (makeID() + makeID()).filter { $0 != "-" }
    }

    /// Keeps a dropped editor for its resume window. False when it does not qualify: not a ready,
    /// authenticated editor that declared it resumes; closed on purpose (`closeCode` 1000 or 1001, the
    /// close frame it sent); resuming off; or the gateway shutting down.
    func keepForResume(_ record: ClientRecord, closeCode: UInt16? = nil) -> Bool {
        guard settings.resumeWindow > 0, phase == .running, record.type == .godot, record.ready, record.authenticated,
              !record.resumeToken.isEmpty, record.declaresResume, closeCode != 1000, closeCode != 1001 else { return false }
        var kept = record
        // Its commands come again with the identify of a resume; kept meanwhile they would only cost memory.
        kept.offeredTools = nil
        // A command already sent a second time is not sent a third: it fails now.
        for key in record.inFlightCommands {
            guard let command = commands[key] else { continue }
            if command.resent {
                commands.remove(key)
                kept.inFlightCommands.remove(key)
                finish(command.replyTo, .failure(.clientDisconnected(clientId: record.id)))
            } else {
                commands.setAwaitingResume(key)
            }
        }
        keepDeparted(kept)
        return true
    }

    /// Keeps a dropped editor's record for the resume window from now, its calls waiting for the grace.
    func keepDeparted(_ record: ClientRecord) {
        noteDeadline(resumeWindows.keep(record, now: clock.monotonicSeconds(), window: settings.resumeWindow, grace: settings.resumeGrace))
    }

    /// A command for an editor that dropped waits (up to the command timeout, within the editor's grace)
    /// for it to come back.
    func waitForReturn(of clientId: String, _ request: CommandRequest) -> String {
        let id = request.commandId ?? commands.makeID()
        let expires = returnDeadline(of: clientId, notAfter: clock.monotonicSeconds() + settings.commandTimeout)
        enqueue(QueuedCommand(id: id, request: request, expires: expires), for: clientId)
        noteDeadline(expires)
        logger.info("command waits for its editor to reconnect", metadata: ["id": "\(id)", "client": "\(clientId)"])
        return id
    }

    /// Removes what a finished command left in its editor's record, wherever the record is.
    func forgetInFlight(_ key: CommandsInFlight.Key, of clientId: String) {
        registry.update(clientId) { _ = $0.inFlightCommands.remove(key) }
        resumeWindows.forgetInFlight(key, of: clientId)
    }

    /// `identify` presented a resume token on connection `fresh`. Returns true when it was handled in full
    /// (resumed, or refused and closed); false when the client goes on as the new client it is.
    func resume(_ fresh: ClientHandle, presenting token: String, _ identification: InboundMessage.Identification) -> Bool {
        let now = clock.monotonicSeconds()
        guard let newId = registry.id(of: fresh) else { return false }
        let presenter = registry[fresh]?.caller
        if let gone = resumeWindows.record(presenting: token) {
            return gone.caller == presenter ? takeBack(gone.id, on: fresh, presenting: token, identification) : refuseOtherCaller(fresh, for: gone)
        }
        if let live = registry.unordered.first(where: { $0.handle != fresh && AccessToken.matches(token, $0.resumeToken) }) {
            guard live.caller == presenter else { return refuseOtherCaller(fresh, for: live) }
            // The old connection has not been seen to drop yet (a half-open socket): the id moves here.
            replace(live)
            return takeBack(live.id, on: fresh, presenting: token, identification)
        }
        if resumeWindows.wasConsumed(token, now: now) {
            logger.notice("resume token presented twice, closing the connection", metadata: ["client": "\(newId)"])
            recordAudit(["event": "resume_refused", "clientId": .string(newId), "reason": "duplicate"])
            close(fresh, code: CloseCode.duplicate, reason: "resume token already used")
            return true
        }
        if let claimed = claimFromCluster(presenting: token, by: presenter) {
            guard takeBack(claimed, on: fresh, presenting: token, identification) else { return false }
            // What this node forwarded to its old node comes here now.
            redirectForwarded(of: claimed, awayFrom: cluster?.node ?? "")
            return true
        }
        logger.info("unknown or expired resume token; continuing as a new client", metadata: ["client": "\(newId)"])
        send(OutboundMessage.resumeRejected(clientId: newId), to: fresh)
        return false
    }

    /// A resume token is bound to whoever's token the editor authenticated with (`--tokens`): presented
    /// by another person's connection it is refused, and that connection goes on as a new client.
    private func refuseOtherCaller(_ fresh: ClientHandle, for owner: ClientRecord) -> Bool {
        let newId = registry.id(of: fresh) ?? ""
        logger.notice("resume token presented by another caller; continuing as a new client", metadata: ["client": "\(newId)"])
        recordAudit([
            "event": "resume_refused", "clientId": .string(newId), "reason": "other caller",
            "caller": registry[fresh]?.caller.map(JSONValue.string) ?? .null, "owner": owner.caller.map(JSONValue.string) ?? .null,
        ])
        send(OutboundMessage.resumeRejected(clientId: newId), to: fresh)
        return false
    }

    /// Takes a live client out of the registry (its connection is closed with 4003; its slot stays the
    /// closing socket's) and keeps its record for `takeBack`.
    private func replace(_ live: ClientRecord) {
        guard let record = registry.remove(live.handle) else { return }
        output.effects.append(.close(client: live.handle, code: CloseCode.replaced, reason: "resumed on another connection"))
        for key in record.inFlightCommands { commands.setAwaitingResume(key) }
        keepDeparted(record)
    }

    /// Gives connection `fresh` the id, counters and commands of `oldId`: the old record goes into the
    /// fresh connection's slot, so the socket layer keeps filing the connection where it is. A connection
    /// of the old id that is still closing (removed for silence, or replaced) keeps its own slot, without a
    /// record: its late events find nobody.
    ///
    /// The token consumed is the one presented: a record claimed from another node's presence carries only
    /// the token's hash, and consuming its (empty) token let the same token take the id a second time while
    /// that node still listed the editor. An id some open connection holds is never given out again.
    private func takeBack(
        _ oldId: String, on fresh: ClientHandle, presenting token: String, _ identification: InboundMessage.Identification
    ) -> Bool {
        guard let newRecord = registry[fresh], registry[oldId] == nil, let gone = resumeWindows.remove(oldId) else {
            if let newId = registry.id(of: fresh), registry[oldId] != nil {
                logger.notice("resume of an id an open connection holds refused; continuing as a new client", metadata: ["client": "\(newId)"])
                send(OutboundMessage.resumeRejected(clientId: newId), to: fresh)
            }
            return false
        }
        registry.remove(fresh)
        let newId = newRecord.id
        resumeWindows.consume(token, until: clock.monotonicSeconds() + settings.resumeWindow)
        var record = gone.record
        record.remoteAddress = newRecord.remoteAddress
        record.userAgent = newRecord.userAgent
        record.lastActivity = newRecord.lastActivity
        record.lastActivityMs = newRecord.lastActivityMs
        record.messageBucket = newRecord.messageBucket
        record.byteBucket = newRecord.byteBucket
        record.rateViolations = []
        record.answeredHeartbeat = false
        record.open = true
        record.ready = true
        record.authDeadline = nil
        record.type = identification.clientType
        record.clientVersion = identification.clientVersion
        record.godotVersion = identification.godotVersion
        record.identify(with: identification)
        record.resumeToken = makeResumeToken()
        record.resumeTokenHash = nil
        record.node = nil
        // What the person's token allows now (a token made read-only since applies at once).
        record.rights = newRecord.rights
        record.credential = newRecord.credential
        record.messagesIn += newRecord.messagesIn
        record.bytesIn += newRecord.bytesIn
        registry.restore(record, at: fresh)
        output.effects.append(.rename(client: fresh, id: oldId))
        statistics.clientsResumed += 1
        send(OutboundMessage.handshake(
            clientId: oldId, heartbeatIntervalMs: Int64(settings.heartbeatInterval * 1000),
            gatewayVersion: settings.gatewayVersion, resumeToken: record.resumeToken, resumed: true, features: settings.features),
            to: fresh)
        var resent = 0
        let now = clock.monotonicSeconds()
        for key in record.inFlightCommands.sorted() {
            guard var command = commands[key], command.awaitingResume else { continue }
            command.awaitingResume = false
            command.resent = true
            command.started = now
            command.deadline = max(command.deadline, now + settings.commandTimeout)
            noteDeadline(command.deadline)
            commands.update(key, to: command)
            resent += 1
            send(OutboundMessage.command(id: command.id, name: command.name, params: command.params, timestampMs: clock.epochMilliseconds()), to: fresh)
        }
        statistics.commandsResent += UInt64(resent)
        logger.info("client resumed its id", metadata: ["client": "\(oldId)", "connection": "\(newId)", "resent": "\(resent)"])
        recordAudit(["event": "client_resumed", "clientId": .string(oldId), "address": .string(record.remoteAddress)])
        tellHost(.info, "Godot editor \(oldId) reconnected and resumed its id" + (resent > 0 ? "; \(resent) unanswered command(s) sent again." : "."))
        sendQueued(to: oldId)
        shareResumeState()
        noteToolsChanged()
        deliverWaitingCalls()
        return true
    }

    /// Ends graces and resume windows that closed (the calls that waited for the editor end in `expireQueued`).
    func expireResumeWindows(now: Double) {
        let expired = resumeWindows.expire(now: now)
        for gone in expired.graceEnded { endGrace(of: gone) }
        for gone in expired.closed {
            logger.info("editor did not resume within its window", metadata: ["client": "\(gone.record.id)"])
            tellHost(.warning, "Godot editor \(gone.record.id) did not reconnect within \(Int(settings.resumeWindow)) s.")
            failCommands(of: gone.record.id, with: .clientDisconnected(clientId: gone.record.id))
            shareResumeState()
            // Other nodes stop listing it as reconnecting here.
            if gone.record.node == nil { noteToolsChanged() }
        }
    }
}
