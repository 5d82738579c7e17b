import FoundationEssentials
import Logging

/// The gateway's protocol logic: registry, identification, heartbeats, routing, timeouts and shutdown.
///
/// It is a synchronous state machine fed events by the socket layer (one service thread) and by tests.
/// It answers with `CoreEffect`s collected in `effects`, and completes commands through their `reply`.
/// Time comes only from the injected clock, so expiry and timeouts are tested without waiting.
/// This file holds its state, connections and inbound messages; routing, time and shutdown are in the
/// `GatewayCore+…` files beside it (their shared state is internal, not private, for that reason).
package final class GatewayCore {
    package enum Phase: Equatable, Sendable {
        case running
        /// Shutdown sent to editors; waiting for each to acknowledge or close, until `deadline`.
        case awaitingAcknowledgements(deadline: Double)
        /// Every connection has been told to close.
        case closing
    }

    package let settings: GatewaySettings
    package internal(set) var security: SecuritySettings
    package internal(set) var registry = ClientRegistry()
    package internal(set) var statistics = GatewayStatistics()
    package internal(set) var phase: Phase = .running
    /// Effects produced since the socket layer last took them.
    package internal(set) var effects: [CoreEffect] = []
    /// The earliest deadline created since the socket layer last asked (a command, an authentication,
    /// the shutdown grace). Activity only ever moves deadlines later, so between ticks this is all the
    /// socket layer needs to know to wake up in time, without rescanning every client per event.
    var newDeadline: Double?

    let clock: any GatewayClock
    var logger: Logger
    /// Whether security events are reported as `.audit` effects (an audit log is configured).
    let auditing: Bool
    private let upgradeGuard: UpgradeGuard
    let startedAt: Double
    var nextHeartbeatAt: Double
    var pending: [String: PendingCommand] = [:]
    /// Commands waiting for room on their editor, per editor in order, and each one's editor.
    var queued: [String: [QueuedCommand]] = [:]
    var queuedOwner: [String: String] = [:]
    /// Calls waiting for a suitable editor to connect, in the order they came.
    var waitingForEditor: [WaitingCall] = []
    /// Editors that dropped while their resume window is open, by client id.
    var departed: [String: DepartedClient] = [:]
    /// Clients that said `relay` in identify (MCP hosts served through another gateway process): kept
    /// apart so an editor's arrival or departure does not walk every record to find them.
    var relayClients: Set<String> = []
    /// Resume tokens already used, until their window would have closed: presented again, they are refused.
    var consumedResumeTokens: [(token: String, until: Double)] = []
    /// Where this process stands among gateways sharing the port ("owner", "relaying", "changing over"),
    /// and how often it took the port over from an owner that exited; set by the socket layer.
    package var role = GatewayRole.owner
    package var takeovers: UInt64 = 0
    /// The editor each MCP session chose with `select_client` ("" is the host on stdio).
    package internal(set) var pinnedEditors: [String: String] = [:]
    /// The connection sequence of the editor the last routed command went to (for round-robin).
    var lastRoutedSequence: UInt64?
    /// Ids of the last commands the host cancelled, so an editor's late answer is dropped quietly.
    var recentlyCancelled: [String] = []
    var awaitingShutdownAck: Set<String> = []
    /// The last editor events, oldest first (`godot://events`).
    package internal(set) var recentEvents: [EditorEvent] = []
    /// Dashboard sign-ins (cookie, expiry) and the snapshot schedule.
    var dashboardSessions: [DashboardSession] = []
    var nextSnapshotAt = 0.0
    var lastSnapshot: (at: Double, sent: UInt64)?
    /// Advisory scene locks by scene path.
    package internal(set) var sceneLocks: [String: SceneLock] = [:]
    /// Latency of answered commands, for `/metrics`.
    package internal(set) var commandLatency = LatencyHistogram()
    /// When a change of the editors' commands is reported (`CoreEffect.toolsChanged`): changes within a
    /// short time are reported once.
    var toolsChangeDue: Double?
    static let toolsChangeDebounce = 0.2
    /// Membership of a gateway cluster (`--cluster`); nil when this gateway stands alone.
    var cluster: ClusterState?
    /// Hashes a resume token for cluster presence (SHA-256, from the socket layer); nil outside a cluster.
    var tokenHash: ((String) -> String)?
    let makeID: () -> String

    package init(
        settings: GatewaySettings, security: SecuritySettings = SecuritySettings(), clock: any GatewayClock, logger: Logger,
        auditing: Bool = false, makeID: @escaping () -> String
    ) {
        self.settings = settings
        self.security = security
        self.auditing = auditing
        upgradeGuard = UpgradeGuard(settings: security)
        self.clock = clock
        self.logger = logger
        self.makeID = makeID
        startedAt = clock.monotonicSeconds()
        nextHeartbeatAt = startedAt + settings.heartbeatInterval
    }

    /// Hands the collected effects to the caller and forgets them.
    package func takeEffects() -> [CoreEffect] {
        defer { effects.removeAll(keepingCapacity: true) }
        return effects
    }

    /// Takes the earliest deadline added since the last call (see `newDeadline`).
    package func takeNewDeadline() -> Double? {
        defer { newDeadline = nil }
        return newDeadline
    }

    func noteDeadline(_ deadline: Double) {
        newDeadline = min(newDeadline ?? deadline, deadline)
    }

    package var uptime: Double { clock.monotonicSeconds() - startedAt }
    package var pendingCommandCount: Int { pending.count }

    // MARK: Connections

    /// Decides whether an HTTP request or WebSocket upgrade may proceed, before anything is answered.
    /// Refusals are counted and audited; the socket layer answers them with the returned status.
    package func admit(_ request: ConnectionRequest, isUpgrade: Bool) -> UpgradeGuard.Verdict {
        // The gateway's own origin (its dashboard page) passes with a sign-in cookie, or when the request
        // itself presents the token (the sign-in); a foreign page can have neither.
        let signedIn = hasDashboardSession(request) || (request.bearerToken != nil && security.requiresToken && authorizes(request))
        var verdict = upgradeGuard.check(request, signedIn: signedIn)
        if verdict == .allow, isUpgrade {
            verdict = admitUpgrade(request)
        }
        if case .deny(let status, let reason) = verdict {
            statistics.connectionsRejected += 1
            tellHost(.warning, "A connection from \(request.remoteAddress) was refused (\(status)): \(reason)")
            logger.notice("request refused", metadata: ["address": "\(request.remoteAddress)", "status": "\(status)", "reason": "\(reason)"])
            recordAudit([
                "event": "connection_refused", "address": .string(request.remoteAddress),
                "status": .int(Int64(status)), "reason": .string(reason),
            ])
        }
        return verdict
    }

    /// Whether an HTTP request carries an access token (or none is required).
    package func authorizes(_ request: ConnectionRequest) -> Bool {
        guard security.requiresToken else { return true }
        return request.bearerToken.flatMap { security.caller(presenting: $0) } != nil
    }

    /// Registers a new connection and greets it. Returns nil when the gateway refuses it (shutting down).
    package func connect(_ request: ConnectionRequest) -> String? {
        guard phase == .running else {
            statistics.connectionsRejected += 1
            return nil
        }
        let id = makeID()
        let type = ClientIdentification.initialType(for: request)
        let identity = identity(of: request, initialType: type)
        let authenticated = identity != nil
        registry.add(
            id: id, type: type, request: request, authenticated: authenticated, security: security,
            now: clock.monotonicSeconds(), nowMs: clock.epochMilliseconds())
        if let identity { grant(identity, to: id) }
        statistics.connectionsAccepted += 1
        if let deadline = registry[id]?.authDeadline { noteDeadline(deadline) }
        noteDeadline(clock.monotonicSeconds() + settings.heartbeatTimeout)
        logger.info("client connected", metadata: [
            "client": "\(id)", "type": "\(type.rawValue)", "address": "\(request.remoteAddress)", "authenticated": "\(authenticated)",
        ])
        let resumeToken = makeResumeToken()
        registry.update(id) { $0.resumeToken = resumeToken }
        send(OutboundMessage.handshake(
            clientId: id, heartbeatIntervalMs: Int64(settings.heartbeatInterval * 1000),
            gatewayVersion: settings.gatewayVersion, resumeToken: resumeToken, features: settings.features), to: id)
        return id
    }

    /// The socket is gone (closed by either side, or dropped; `closeCode`: the code of the client's own
    /// close frame, if it sent one). An editor that declared it resumes and did not close on purpose keeps
    /// its id for the resume window, its calls waiting for the grace (`GatewayCore+Resume`); anything else
    /// fails its commands at once.
    package func disconnected(_ id: String, closeCode: UInt16? = nil) {
        guard let record = registry.remove(id) else { return }
        logger.info("client disconnected", metadata: ["client": "\(id)", "type": "\(record.type.rawValue)"])
        if keepForResume(record, closeCode: closeCode) {
            tellHost(.warning, "Godot editor \(id) disconnected; its commands wait up to \(Int(settings.resumeGrace)) s for it to reconnect.")
        } else {
            if record.type == .godot { tellHost(.warning, "Godot editor \(id) disconnected.") }
            failCommands(of: id, with: .clientDisconnected(clientId: id))
        }
        if awaitingShutdownAck.remove(id) != nil { finishShutdownIfAcknowledged() }
        if record.type == .mcp {
            relayClients.remove(id)
            pinnedEditors[id] = nil
            releaseLocks(of: id)
            effects.append(.sessionEnded(clientId: id))
        }
        if record.type == .godot {
            shareResumeState()
            if record.ready { noteToolsChanged() }
        }
    }

    /// The editors here or in the cluster changed; `publishPresence`: this node's own did (it tells the
    /// cluster).
    func noteToolsChanged(publishPresence: Bool = true) {
        if publishPresence { cluster?.presenceChanged = true }
        guard toolsChangeDue == nil else { return }
        let due = clock.monotonicSeconds() + Self.toolsChangeDebounce
        toolsChangeDue = due
        noteDeadline(due)
    }

    /// A pong or any frame: the client is alive.
    package func noteActivity(_ id: String) {
        let now = clock.monotonicSeconds()
        let nowMs = clock.epochMilliseconds()
        registry.update(id) {
            $0.lastActivity = now
            $0.lastActivityMs = nowMs
        }
    }

    /// A client sent more than the size cap allows. An answer to a pending command (its id is in the
    /// first bytes, `head`) fails that command at once and the connection stays open; anything else
    /// closes that client alone with 1009.
    package func messageTooLarge(_ id: String, limit: Int, head: [UInt8] = []) {
        guard registry[id] != nil else { return }
        if let commandId = pendingCommand(claimedBy: head, from: id) {
            refuseAnswer(commandId, from: id, reason: "it is larger than the gateway's limit of \(limit) bytes (see --max-message-size)")
            return
        }
        statistics.connectionsRejected += 1
        logger.warning("message over size limit, closing client", metadata: ["client": "\(id)", "limit": "\(limit)"])
        close(id, code: CloseCode.messageTooBig, reason: "message exceeds \(limit) bytes")
    }

    /// The client let too much output pile up unread; the socket layer is dropping it.
    package func clientNotReading(_ id: String, queuedBytes: Int) {
        guard registry[id] != nil else { return }
        statistics.slowConsumersDropped += 1
        logger.warning("client is not reading its messages, dropping it", metadata: ["client": "\(id)", "queuedBytes": "\(queuedBytes)"])
        registry.update(id) { $0.open = false }
    }

    /// A complete binary frame: the protocol is JSON text only.
    package func receiveBinary(_ id: String, byteCount: Int) {
        guard registry[id] != nil else { return }
        noteActivity(id)
        countInbound(id, bytes: byteCount)
        statistics.invalidMessages += 1
        sendError(to: id, code: InboundMessageError.Code.invalidMessage.rawValue, message: "binary frames are not supported; send JSON text")
    }

    /// A complete text message from a client.
    package func receive(_ id: String, text: Data) {
        // Input from a client being closed (flood, failed authentication) is no longer looked at.
        guard registry[id]?.open == true else { return }
        noteActivity(id)
        countInbound(id, bytes: text.count)
        // An answer to a command this client was sent costs none of its rate budget: the gateway chose
        // to ask, there can be no more answers than commands (each bounded by the size cap), and
        // dropping one would leave the MCP host waiting. Anything else, a forged answer included, pays.
        var decoded = InboundMessage.decode(text)
        var claimed: String?
        if case .failure = decoded {
            // Refused under the strict rules: if it claims to answer a pending command, it is judged by
            // the rules for answers (deeper nesting), and if still refused it fails that command at once.
            claimed = pendingCommand(claimedBy: text, from: id)
            if claimed != nil { decoded = InboundMessage.decode(text, maximumDepth: InboundMessage.maximumAnswerDepth) }
        }
        let answersPending: Bool = switch decoded {
        case .success(.commandResponse(let response)): pending[response.id]?.clientId == id
        case .success: false
        case .failure: claimed != nil  // refused below, which ends the command: it cannot repeat
        }
        if !answersPending {
            guard withinRate(id, bytes: text.count, messages: 1) else { return }
        }
        switch decoded {
        case .failure(let error):
            statistics.invalidMessages += 1
            logger.notice("invalid message from client", metadata: ["client": "\(id)", "error": "\(error.description)"])
            if let claimed {
                refuseAnswer(claimed, from: id, reason: error.description)
            }
            sendError(to: id, code: error.code.rawValue, message: error.description)
        case .success(let message):
            if case .identify(let identification) = message, let problem = IdentifyLimits.problem(with: identification, byteCount: text.count) {
                statistics.invalidMessages += 1
                logger.notice("identify refused", metadata: ["client": "\(id)", "reason": "\(problem)"])
                recordAudit(["event": "identify_refused", "clientId": .string(id), "caller": auditName(of: id), "reason": .string(problem)])
                return sendError(to: id, code: "identify_refused", message: problem)
            }
            if registry[id]?.authenticated == false {
                return handleUnauthenticated(message, from: id)
            }
            handle(message, from: id)
        }
    }

    /// The id of the pending command this client's message claims to answer, found in its first bytes
    /// without parsing it (it may be too large, too deep or not JSON at all).
    func pendingCommand<Bytes: RandomAccessCollection>(claimedBy text: Bytes, from id: String) -> String?
    where Bytes.Element == UInt8, Bytes.Index == Int {
        guard !pending.isEmpty, registry[id]?.authenticated == true else { return nil }
        let head = text.prefix(LeadingIdentifier.searchedPrefix)
        guard let commandId = LeadingIdentifier.find(in: head)?.stringValue, pending[commandId]?.clientId == id else { return nil }
        return commandId
    }

    /// The editor answered a pending command with a message the gateway cannot accept: the command ends
    /// now with the reason, instead of waiting for its timeout.
    func refuseAnswer(_ commandId: String, from id: String, reason: String) {
        guard let command = pending.removeValue(forKey: commandId) else { return }
        registry.update(id) { _ = $0.inFlightCommands.remove(commandId) }
        statistics.answersRefused += 1
        tellHost(.warning, "Godot editor \(id)'s answer to \(command.name) was refused: \(reason)")
        logger.warning("editor's answer refused", metadata: ["client": "\(id)", "command": "\(command.name)", "reason": "\(reason)"])
        recordAudit([
            "event": "answer_refused", "clientId": .string(id), "command": .string(command.name), "reason": .string(reason),
        ])
        finish(command.reply, .failure(.answerRefused(reason: reason, clientId: id)))
        sendQueued(to: id)
    }

    /// Token-bucket limits per client. A message over the rate is dropped with an error; a client that keeps
    /// going over it is closed with 1008 — its flood never reaches the other clients or the MCP host.
    private func withinRate(_ id: String, bytes: Int, messages: Int) -> Bool {
        guard var record = registry[id] else { return false }
        let now = clock.monotonicSeconds()
        let allowed = record.messageBucket.take(Double(messages), now: now) && record.byteBucket.take(Double(bytes), now: now)
        if !allowed {
            record.rateViolations = record.rateViolations.filter { now - $0 < security.abuseWindow } + [now]
        }
        let violations = record.rateViolations.count
        registry.update(id) {
            $0.messageBucket = record.messageBucket
            $0.byteBucket = record.byteBucket
            $0.rateViolations = record.rateViolations
        }
        if allowed { return true }
        statistics.rateLimited += 1
        if violations >= security.abuseLimit {
            logger.warning("client keeps exceeding its rate limit, closing it", metadata: ["client": "\(id)"])
            close(id, code: CloseCode.policyViolation, reason: "rate limit exceeded")
        } else if violations == 1 || violations % 5 == 0 {
            // Tell it, without answering every dropped message of a flood.
            sendError(to: id, code: "rate_limited", message: "rate limit exceeded; message dropped")
        }
        return false
    }

    /// Before authenticating, a client may only identify, with the token.
    private func handleUnauthenticated(_ message: InboundMessage, from id: String) {
        guard case .identify(let identification) = message else {
            sendError(to: id, code: "unauthenticated", message: "authenticate first: send identify with your token")
            return
        }
        guard let presented = identification.token, let identity = identity(presenting: presented) else {
            let address = registry[id]?.remoteAddress ?? "unknown"
            logger.notice("client failed to authenticate", metadata: ["client": "\(id)", "address": "\(address)"])
            recordAudit(["event": "authentication_failed", "address": .string(address), "clientId": .string(id)])
            sendError(to: id, code: "unauthenticated", message: "invalid or missing token")
            close(id, code: CloseCode.policyViolation, reason: "authentication failed")
            return
        }
        guard admitAuthenticated(id) else { return }
        grant(identity, to: id)
        handle(message, from: id)
    }

    private func handle(_ message: InboundMessage, from id: String) {
        switch message {
        case .identify(let identification):
            if refusesRole(identification, from: id) { return }
            // A client that came as an MCP client (`?type=mcp`, or identified so) stays one: it may call
            // tools, never pose as an editor that commands are sent to.
            if registry[id]?.type == .mcp, identification.clientType != .mcp {
                return sendError(to: id, code: "invalid_message", message: "an mcp client cannot identify as \(identification.clientType.rawValue)")
            }
            if let token = identification.resumeToken, resume(id, presenting: token, identification) { return }
            registry.update(id) {
                $0.type = identification.clientType
                $0.clientVersion = identification.clientVersion
                $0.godotVersion = identification.godotVersion
                $0.identify(with: identification)
                $0.ready = true
            }
            if identification.clientType == .godot {
                noteToolsChanged()
                deliverWaitingCalls()
            }
            let project = identification.details["projectName"]?.stringValue.map { ", project \($0.prefix(100))" } ?? ""
            if identification.clientType == .godot {
                shareResumeState()
                tellHost(.info, "Godot editor \(id) connected (Godot \(identification.godotVersion?.prefix(40) ?? "?")\(project)).")
            }
            if identification.clientType == .mcp, identification.details["relay"] != nil {
                relayClients.insert(id)
                shareResumeState()
            }
            logger.info("client identified", metadata: [
                "client": "\(id)", "type": "\(identification.clientType.rawValue)",
                "godotVersion": "\(identification.godotVersion ?? "-")",
            ])
        case .heartbeatResponse:
            registry.update(id) { $0.answeredHeartbeat = true }
        case .heartbeat(let timestamp):
            send(OutboundMessage.heartbeatResponse(echo: timestamp, timestampMs: clock.epochMilliseconds()), to: id)
        case .shutdownAck:
            logger.info("client acknowledged shutdown", metadata: ["client": "\(id)"])
            if awaitingShutdownAck.remove(id) != nil { finishShutdownIfAcknowledged() }
        case .commandResponse(let response):
            complete(response, from: id)
        case .progress(let update):
            progress(update, from: id)
        case .mcp(let message):
            guard registry[id]?.type == .mcp else {
                return sendError(to: id, code: "invalid_message", message: "identify as clientType mcp to relay MCP messages")
            }
            effects.append(.relayedRequest(clientId: id, message: message))
        case .event(let name, let data):
            guard registry[id]?.type == .godot else {
                return sendError(to: id, code: "invalid_message", message: "only editors send events")
            }
            publish(EditorEvent(clientId: id, name: name, data: data, timestampMs: clock.epochMilliseconds()))
        case .subscribe(let events):
            registry.update(id) { $0.eventSubscriptions = Set(events) }
            if events.contains("snapshot") {
                // The first snapshot at once; then every second.
                nextSnapshotAt = 0
                noteDeadline(clock.monotonicSeconds())
            }
        case .resumeState:
            sendError(to: id, code: "invalid_message", message: "resume_state is sent by gateways, not to them")
        }
    }

    // MARK: Output

    func recordAudit(_ record: [String: JSONValue]) {
        if auditing { effects.append(.audit(record)) }
    }

    func tellHost(_ level: HostLogLevel, _ message: String) {
        effects.append(.hostLog(level: level, message: message))
    }

    func send(_ message: JSONValue, to id: String) {
        sendText(message.jsonText, to: id)
    }

    /// Sends text that is already JSON (a relayed MCP message wrapped by the caller), counted like any.
    package func sendText(_ text: String, to id: String) {
        registry.update(id) {
            $0.messagesOut += 1
            $0.bytesOut += UInt64(text.utf8.count)
        }
        statistics.messagesOut += 1
        statistics.bytesOut += UInt64(text.utf8.count)
        effects.append(.send(clientId: id, text: text))
    }

    func sendError(to id: String, code: String, message: String) {
        send(OutboundMessage.error(code: code, message: message), to: id)
    }

    func close(_ id: String, code: UInt16, reason: String) {
        registry.update(id) { $0.open = false }
        effects.append(.close(clientId: id, code: code, reason: reason))
    }

    func countInbound(_ id: String, bytes: Int) {
        registry.update(id) {
            $0.messagesIn += 1
            $0.bytesIn += UInt64(bytes)
        }
        statistics.messagesIn += 1
        statistics.bytesIn += UInt64(bytes)
    }
}
