/// A call that waits for a suitable editor to connect: asked for with `wait_seconds`, or made in the
/// first `startupGrace` seconds after start (an editor that is still opening).
struct WaitingCall {
    let id: String
    let request: CommandRequest
    let since: Double
    let expires: Double
}

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
        guard waitingForEditor.count < settings.maxWaitingCalls else {
            finish(request.replyTo, .failure(.tooManyWaiting(limit: settings.maxWaitingCalls)))
            return nil
        }
        let id = commands.makeID()
        waitingForEditor.append(WaitingCall(id: id, request: request, since: clock.monotonicSeconds(), expires: deadline))
        statistics.callsThatWaited += 1
        noteDeadline(deadline)
        logger.info("call waits for an editor", metadata: ["tool": "\(request.name)", "id": "\(id)"])
        return id
    }

    /// An editor identified or resumed: the calls that can go now go, in the order they came.
    func deliverWaitingCalls() {
        guard !waitingForEditor.isEmpty else { return }
        var still: [WaitingCall] = []
        for call in waitingForEditor {
            switch route(call.request) {
            case .send(let chosen):
                if !refusesReadOnlyCaller(call.request, on: chosen) { deliver(call.request, id: call.id, to: chosen) }
            case .waitForReturn(let clientId):
                enqueue(QueuedCommand(id: call.id, request: call.request, expires: returnDeadline(of: clientId, notAfter: call.expires)), for: clientId)
            case .fail: still.append(call)
            }
        }
        waitingForEditor = still
    }

    /// Fails the calls whose wait is over, with why no editor could take them.
    func expireWaitingCalls(now: Double) {
        guard waitingForEditor.contains(where: { $0.expires <= now }) else { return }
        let expired = waitingForEditor.filter { $0.expires <= now }
        waitingForEditor.removeAll { $0.expires <= now }
        for call in expired {
            statistics.waitsExpired += 1
            let reason: String = if case .fail(let failure) = route(call.request) { failure.description } else { "no editor took it" }
            finish(call.request.replyTo, .failure(.waitedInVain(seconds: ((call.expires - call.since) * 10).rounded() / 10, reason: reason)))
        }
    }

    /// Takes a waiting call out (the host cancelled it).
    func stopWaiting(_ commandId: String) -> WaitingCall? {
        guard let index = waitingForEditor.firstIndex(where: { $0.id == commandId }) else { return nil }
        return waitingForEditor.remove(at: index)
    }

    package var waitingCallCount: Int { waitingForEditor.count }

    /// The MCP session's host went away: its calls stop waiting for an editor (they end as the gateway
    /// shuts down), so the host's last answers are not held up by editors that may never come.
    package func stopWaiting(session: String) {
        let ending = waitingForEditor.filter { $0.request.session == session }
        guard !ending.isEmpty else { return }
        waitingForEditor.removeAll { $0.request.session == session }
        for call in ending { finish(call.request.replyTo, .failure(.shuttingDown)) }
    }
}
