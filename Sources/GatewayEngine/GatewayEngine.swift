import GatewayCore
import GatewayMCP
import Logging

/// The whole gateway without I/O: one `handle(event)` takes what the world did and returns what to do
/// about it. It owns the protocol core (registry, routing, resume, waiting calls, locks, events, the
/// cluster view), the MCP face of the host on stdio and of the hosts relayed through this gateway, and
/// the HTTP answers. No sockets, no files, no clock of its own (the core's is injected), no C.
///
/// A `tools/call` from bytes to bytes: `.hostBytes` → a line (`HostInput`) → `MCPDispatcher.handle` (validated, routed by
/// `GatewayCore.submit`) → `.send` of the command to the editor's connection; the editor's answer
/// arrives as `.textMessage` → `GatewayCore.receive` completes the command → the dispatcher writes the
/// result → `.writeHost`. `EngineDriver` plays the world in tests.
package final class GatewayEngine {
    package let core: GatewayCore
    /// The MCP host on stdio; nil in service mode (`--serve`), where hosts come over the socket.
    package private(set) var host: MCPDispatcher?
    package private(set) var relaySessions: RelaySessions?
    private let logger: Logger
    private var actions: [EngineAction] = []
    private var hostInputEnded = false
    private var hostInput: HostInput
    private var reportedClosing = false
    /// The host's `subscriptions/listen` streams were answered when shutdown began.
    private var listensEnded = false
    /// When the last `.wakeAt` asked to be woken.
    private var scheduledWake = Double.infinity

    /// `hostLineLimit`: the largest line the host may send; `hostBacklogLimit`: answer bytes the host may
    /// leave unread before its requests are held back; `hash`: SHA-256 as hex, for audit records.
    package init(
        core: GatewayCore, servesHostOnStdio: Bool, hostLineLimit: Int, hostBacklogLimit: Int = 16 << 20, toolsets: Set<String>,
        logger: Logger, auditing: Bool, hash: @escaping ([UInt8]) -> String
    ) {
        self.core = core
        self.logger = logger
        hostInput = HostInput(lineLimit: hostLineLimit, backlogLimit: hostBacklogLimit)
        let audit: (([String: JSONValue]) -> Void)? = auditing ? { [unowned self] record in actions.append(.audit(record)) } : nil
        relaySessions = RelaySessions(core: core, maxLineSize: hostLineLimit, logger: logger, audit: audit, hash: hash, toolsets: toolsets)
        if servesHostOnStdio {
            host = MCPDispatcher(core: core, maxLineSize: hostLineLimit, logger: logger, audit: audit, hash: hash, toolsets: toolsets) {
                [unowned self] line in
                actions.append(.writeHost(line))
                hostInput.produced(line.count + 1)
            }
        }
    }

    /// Takes one event and returns everything to do, in order.
    package func handle(_ event: EngineEvent) -> [EngineAction] {
        var afterTick = false
        switch event {
        case .hostBytes(let bytes):
            hostInput.append(bytes)
            handOnHostLines()
        case .hostInputEnded:
            hostInput.finish()
            handOnHostLines()
        case .hostOutputFlushed(let pending):
            let mattered = hostInput.isHoldingBack
            hostInput.outputPending(pending)
            // The common case on the hot path: nothing was held back, so there is nothing to settle.
            guard mattered else { return [] }
            handOnHostLines()
        case .hostOutputGone:
            logger.info("shutting down", metadata: ["reason": "the MCP host closed stdout"])
            core.beginShutdown()
        case .requestArrived(let request, let upgrade):
            actions.append(.admitted(core.admit(request, isUpgrade: upgrade)))
        case .httpRequest(let request, let path, let isPost, let overTLS):
            actions.append(.httpResponse(HTTPRoutes.answer(request, path: path, isPost: isPost, overTLS: overTLS, core: core)))
        case .connectionOpened(let request):
            actions.append(.accepted(core.connect(request)))
        case .textMessage(let client, let bytes):
            core.receive(client, text: bytes)
        case .binaryMessage(let client, let byteCount):
            core.receiveBinary(client, byteCount: byteCount)
        case .messageTooLarge(let client, let limit, let head):
            core.messageTooLarge(client, limit: limit, head: head)
        case .pong(let client):
            core.noteActivity(client)
        case .clientNotReading(let client, let queuedBytes):
            core.clientNotReading(client, queuedBytes: queuedBytes)
        case .connectionClosed(let client, let closeCode):
            core.disconnected(client, closeCode: closeCode)
        case .timerDue:
            core.tick()
            afterTick = true
        case .stopRequested(let reason):
            logger.info("shutting down", metadata: ["reason": "\(reason)"])
            core.beginShutdown()
        case .tokenReplaced(let token):
            core.replaceToken(token)
        case .tokenListReplaced(let tokens):
            core.replaceNamedTokens(tokens)
        case .fromOwnerGateway(let message):
            host?.receiveFromOwner(message)
        case .ownerGatewayLost:
            host?.relayLost()
        case .clusterCall(let bytes, let replyTo):
            core.runForwarded(bytes, replyTo: replyTo)
        case .clusterAnswer(let bytes):
            core.forwardedAnswer(bytes)
        case .clusterPresence(let bytes):
            core.receivePresence(bytes)
        case .clusterNodeLeft(let node):
            core.nodeLeft(node)
        case .clusterLink(let connected):
            core.clusterLink(connected: connected)
        }
        settle(afterTick: afterTick)
        guard !actions.isEmpty else { return [] }
        var taken: [EngineAction] = []
        swap(&taken, &actions)
        return taken
    }

    /// Hands the host's waiting lines to its session while its answers are not backed up, pauses or
    /// resumes reading, and takes the end of stdin once every line before it was handled.
    private func handOnHostLines() {
        while let line = hostInput.next() {
            host?.handle(line)
        }
        if let reading = hostInput.readingChange() {
            actions.append(.setHostReading(reading))
            logger.debug(reading ? "MCP host is reading again" : "MCP host is not reading; holding back its requests")
        }
        guard hostInput.takeEnd() else { return }
        // At exit the host's stdin is closed by the gateway itself; that is not the host leaving.
        if core.phase == .running { logger.info("shutting down", metadata: ["reason": "the MCP host closed stdin"]) }
        hostInputEnded = true
        core.stopWaiting(session: "")
    }

    /// Turns the core's effects into actions (some go to the MCP sessions first, which may make more),
    /// ends the process once the host left and its calls are answered, and says when to wake next.
    private func settle(afterTick: Bool) {
        // Replies and effects can make more of each other (a relayed session answers into the core):
        // until none are left. The arrays acted on go back to the core emptied, to be filled again.
        var output = CoreOutput()
        while true {
            // Once the host has closed stdin, the gateway stops when the calls it made are answered.
            if hostInputEnded, core.phase == .running, (host?.callsInProgress ?? 0) == 0 { core.beginShutdown() }
            guard core.takeOutput(into: &output) else { break }
            // Taken off the end once reversed, so in the order they were made: each element moves out of
            // its array, instead of a copy being acted on and the array emptied (released) after. (Taking
            // them off the front, or copying the effects, measured more instructions.)
            output.replies.reverse()
            while let (address, reply) = output.replies.popLast() { deliver(reply, to: address) }
            output.effects.reverse()
            while let effect = output.effects.popLast() { apply(effect) }
        }
        let phase = core.phase
        if phase != .running, !listensEnded {
            // MCP 2026-07-28: a server that ends its listen streams answers each (the graceful end).
            listensEnded = true
            host?.closeListens()
        }
        if phase == .closing, !reportedClosing {
            reportedClosing = true
            actions.append(.closing)
        }
        // After a tick the core's full next deadline; after any other event only deadlines the event
        // created can be earlier (a sweep over every client per message made 2,000 idle clients cost a core).
        let deadline = afterTick ? core.nextDeadline : min(scheduledWake, core.takeNewDeadline() ?? .infinity)
        if afterTick { _ = core.takeNewDeadline() }
        if afterTick || deadline < scheduledWake {
            scheduledWake = deadline
            actions.append(.wakeAt(deadline))
        }
    }

    /// A command's outcome or progress, to the MCP session whose call it is.
    private func deliver(_ reply: CommandReply, to address: ReplyAddress) {
        switch (address, reply) {
        case (.node(let replyTo, _), .forwardedAnswer(let text)):
            actions.append(.clusterReply(to: replyTo, text: text))
        case (.call(let session, let key), .ended(let outcome)):
            (session.isEmpty ? host : relaySessions?.session(session))?.commandEnded(call: key, outcome)
        case (.call(let session, let key), .progress(let update)):
            (session.isEmpty ? host : relaySessions?.session(session))?.commandProgress(call: key, update)
        default:
            break
        }
    }

    private func apply(_ effect: CoreEffect) {
        switch effect {
        case .send(let client, let text): actions.append(.send(client: client, text: text))
        case .ping(let client): actions.append(.ping(client: client))
        case .close(let client, let code, let reason): actions.append(.close(client: client, code: code, reason: reason))
        case .rename(let client, let id): actions.append(.rename(client: client, id: id))
        case .audit(let record): actions.append(.audit(record))
        case .forward(let node, let call): actions.append(.clusterForward(node: node, call: call))
        case .hostLog(let level, let message):
            host?.log(level, message)
            relaySessions?.log(level, message)
        case .relayedRequest(let clientId, let client, let message):
            actions.append(.allowLargeMessages(client: client))
            relaySessions?.handle(message, from: clientId)
        case .sessionEnded(let clientId):
            relaySessions?.ended(clientId)
        case .editorEvent(let clientId, let name):
            host?.editorEvent(clientId: clientId, name: name)
            relaySessions?.editorEvent(clientId: clientId, name: name)
        case .toolsChanged:
            host?.toolsMayHaveChanged()
            relaySessions?.toolsMayHaveChanged()
            actions.append(.presenceMayHaveChanged)
        }
    }

    /// Whether the gateway waits on calls the host made (it stops once the host left and they are answered).
    package var hostCallsInProgress: Int { host?.callsInProgress ?? 0 }
}
