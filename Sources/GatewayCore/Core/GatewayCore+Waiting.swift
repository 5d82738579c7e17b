/// Calls that wait for an editor: delivered in order when a matching editor identifies, each ending in
/// its result or a clear error at its own deadline; at most `maxWaitingCalls` at once.
extension GatewayCore {
    /// Longest a call may ask to wait (`wait_seconds`).
    static let maximumWait = 600.0

    /// Until when `request` may wait for an editor, or nil when it must fail now.
    func waitDeadline(for request: CommandRequest) -> Double? {
        let now = clock.monotonicSeconds()
        if let seconds = request.waitSeconds {
            return seconds > 0 ? now + min(seconds, Self.maximumWait) : nil
        }
        let graceEnds = startedAt + settings.startupGrace
        return now < graceEnds ? min(graceEnds, now + settings.commandTimeout) : nil
    }

    func waitForEditor(_ request: CommandRequest, until deadline: Double) -> String? {
        guard waitingCalls.count < settings.maxWaitingCalls else {
            finish(request.replyTo, .failure(.tooManyWaiting(limit: settings.maxWaitingCalls)))
            return nil
        }
        let id = commands.makeID()
        waitingCalls.append(WaitingCall(id: id, request: request, since: clock.monotonicSeconds(), expires: deadline))
        statistics.callsThatWaited += 1
        noteDeadline(deadline)
        logger.info("call waits for an editor", metadata: ["tool": "\(request.name)", "id": "\(id)"])
        return id
    }

    /// An editor identified or resumed: the calls that can go now go, in the order they came.
    func deliverWaitingCalls() {
        guard !waitingCalls.isEmpty else { return }
        var still: [WaitingCall] = []
        for call in waitingCalls.takeAll() {
            switch route(call.request) {
            case .send(let chosen):
                if !refusesReadOnlyCaller(call.request, on: chosen) { deliver(call.request, id: call.id, to: chosen) }
            case .sendHere(let handle):
                guard let chosen = registry[handle] else { still.append(call); continue }
                if !refusesReadOnlyCaller(call.request, on: chosen) { deliver(call.request, id: call.id, to: chosen) }
            case .waitForReturn(let clientId):
                enqueue(QueuedCommand(id: call.id, request: call.request, expires: returnDeadline(of: clientId, notAfter: call.expires)), for: clientId)
            case .fail: still.append(call)
            }
        }
        waitingCalls.putBack(still)
    }

    /// Fails the calls whose wait is over, with why no editor could take them.
    func expireWaitingCalls(now: Double) {
        for call in waitingCalls.expire(now: now) {
            statistics.waitsExpired += 1
            let reason: String = if case .fail(let failure) = route(call.request) { failure.description } else { "no editor took it" }
            finish(call.request.replyTo, .failure(.waitedInVain(seconds: ((call.expires - call.since) * 10).rounded() / 10, reason: reason)))
        }
    }

    /// Takes a waiting call out (the host cancelled it).
    func stopWaiting(_ commandId: String) -> WaitingCall? {
        waitingCalls.remove(id: commandId)
    }

    package var waitingCallCount: Int { waitingCalls.count }

    /// The MCP session's host went away: its calls stop waiting for an editor (they end as the gateway
    /// shuts down), so the host's last answers are not held up by editors that may never come.
    package func stopWaiting(session: String) {
        for call in waitingCalls.removeAll(session: session) { finish(call.request.replyTo, .failure(.shuttingDown)) }
    }
}
