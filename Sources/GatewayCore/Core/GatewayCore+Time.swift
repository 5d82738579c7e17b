
/// Deadlines: heartbeats, silent clients, authentication and command timeouts, the shutdown grace.
extension GatewayCore {
    /// The earliest moment `tick` has work to do, so the service loop can sleep until then. Each part
    /// owns its deadline (`State/`, `ClusterState`, the registry); this only takes the earliest.
    package var nextDeadline: Double {
        var earliest = nextHeartbeatAt
        earliest = min(earliest, registry.nextDeadline(heartbeatTimeout: settings.heartbeatTimeout))
        earliest = min(earliest, commands.nextDeadline)
        earliest = min(earliest, queues.nextDeadline)
        earliest = min(earliest, resumeWindows.nextDeadline)
        earliest = min(earliest, waitingCalls.nextDeadline)
        earliest = min(earliest, sceneLocks.nextDeadline)
        earliest = min(earliest, cluster?.nextDeadline ?? .infinity)
        if registry.anySubscribed(to: "snapshot") { earliest = min(earliest, snapshots.nextDeadline) }
        earliest = min(earliest, toolsChangeDue ?? .infinity)
        earliest = min(earliest, shutdown.nextDeadline)
        return earliest
    }

    /// Sends due heartbeats, removes silent clients, times out commands and ends the shutdown grace.
    package func tick() {
        let now = clock.monotonicSeconds()
        if now >= nextHeartbeatAt {
            sendHeartbeats()
            // Skip beats missed while the process was stopped rather than bursting them.
            while nextHeartbeatAt <= now { nextHeartbeatAt += settings.heartbeatInterval }
        }
        for record in registry.authenticationOverdue(now: now) {
            logger.notice("client did not authenticate in time, closing it", metadata: ["client": "\(record.id)"])
            recordAudit(["event": "authentication_timeout", "address": .string(record.remoteAddress), "clientId": .string(record.id)])
            close(record.handle, code: CloseCode.policyViolation, reason: "authentication timeout")
        }
        for record in registry.silent(now: now, heartbeatTimeout: settings.heartbeatTimeout) {
            statistics.heartbeatRemovals += 1
            tellHost(.warning, "Client \(record.id) stopped answering heartbeats and was removed.")
            logger.warning("client missed its heartbeats, removing it", metadata: ["client": "\(record.id)", "silentFor": "\(now - record.lastActivity)"])
            close(record.handle, code: CloseCode.stale, reason: "heartbeat timeout")
            // Out of the registry now; the slot stays its connection's until the socket reports it closed.
            if let removed = registry.remove(record.handle) { departed(removed) }
        }
        for command in commands.expire(now: now) {
            forgetInFlight(command.key, of: command.clientId)
            logger.warning("command timed out", metadata: ["command": "\(command.name)", "id": "\(command.id)", "client": "\(command.clientId)"])
            let allowed = ((command.deadline - command.started) * 1000).rounded() / 1000
            // Its editor dropped and has not come back: that, not a slow editor, is why there is no answer.
            let failure: CommandFailure = command.awaitingResume
                ? .clientDisconnected(clientId: command.clientId) : .timedOut(seconds: allowed, clientId: command.clientId)
            finish(command.replyTo, .failure(failure))
            sendQueued(to: command.clientId)
        }
        expireResumeWindows(now: now)
        expireQueued(now: now)
        expireWaitingCalls(now: now)
        sceneLocks.expire(now: now)
        signIns.expire(now: now)
        expireCluster(now: now)
        sendSnapshotsIfDue(now: now)
        if let due = toolsChangeDue, now >= due {
            toolsChangeDue = nil
            output.effects.append(.toolsChanged)
        }
        if let unacknowledged = shutdown.expire(now: now) {
            logger.info("shutdown grace over", metadata: ["unacknowledged": "\(unacknowledged)"])
            closeEverything()
        }
    }

    /// One heartbeat message, serialized once, to every authenticated client; a WebSocket ping to every
    /// client that did not answer the previous heartbeat message (or gets none), which any WebSocket peer
    /// answers. A client answering heartbeat messages has shown it is alive: a ping too would double the
    /// writes of every sweep.
    func sendHeartbeats() {
        let text = OutboundMessage.heartbeat(timestampMs: clock.epochMilliseconds()).jsonText
        let size = UInt64(text.utf8.count)
        registry.updateEach { record in
            guard record.open else { return }
            if record.authenticated {
                record.messagesOut += 1
                record.bytesOut += size
                statistics.messagesOut += 1
                statistics.bytesOut += size
                output.effects.append(.send(client: record.handle, text: text))
            }
            if !(record.authenticated && record.answeredHeartbeat) { output.effects.append(.ping(client: record.handle)) }
            record.answeredHeartbeat = false
        }
    }
}
