import Logging

/// The gateway's protocol logic: registry, identification, heartbeats, routing, timeouts and shutdown.
///
/// It is a synchronous state machine fed events by the socket layer (one service thread) and by tests.
/// It answers with `CoreEffect`s collected in `effects`, and completes commands through their `reply`.
/// Time comes only from the injected clock, so expiry and timeouts are tested without waiting.
/// This file holds its state and connections; inbound messages, routing, time and shutdown are in the
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
    /// The shutdown's phase and the editors it waits for.
    var shutdown = ShutdownProgress()
    package var phase: Phase { shutdown.phase }
    /// Effects, and outcomes and progress of commands for their callers, produced since the engine last
    /// took them (`takeOutput`).
    var output = CoreOutput()
    package var effects: [CoreEffect] { output.effects }
    /// The earliest deadline created since the socket layer last asked (a command, an authentication,
    /// the shutdown grace). Activity only ever moves deadlines later, so between ticks this is all the
    /// socket layer needs to know to wake up in time, without rescanning every client per event.
    var newDeadline: Double?

    package let clock: any GatewayClock
    let logger: Logger
    /// Whether security events are reported as `.audit` effects (an audit log is configured).
    let auditing: Bool
    private let upgradeGuard: UpgradeGuard
    let startedAt: Double
    var nextHeartbeatAt: Double
    /// Commands sent to editors and not answered yet; it makes every command id.
    var commands: CommandsInFlight
    /// Commands waiting for room on their editor, per editor in order.
    var queues = EditorQueues()
    /// Calls waiting for a suitable editor to connect, in the order they came.
    var waitingCalls = WaitingCalls()
    /// Editors that dropped while their resume window is open, and resume tokens already used.
    var resumeWindows = ResumeWindows()
    /// Clients that said `relay` in identify (MCP hosts served through another gateway process): kept
    /// apart so an editor's arrival or departure does not walk every record to find them.
    var relayClients: Set<String> = []
    /// Where this process stands among gateways sharing the port ("owner", "relaying", "changing over"),
    /// and how often it took the port over from an owner that exited; set by the socket layer.
    package var role = GatewayRole.owner
    package var takeovers: UInt64 = 0
    /// The editor each MCP session chose with `select_client` ("" is the host on stdio).
    package internal(set) var pinnedEditors: [String: String] = [:]
    /// The connection sequence of the editor the last routed command went to (for round-robin).
    var lastRoutedSequence: UInt64?
    /// The last editor events, oldest first (`godot://events`).
    var events = RecentEvents()
    package var recentEvents: [EditorEvent] { events.all }
    /// Dashboard sign-ins (cookie, expiry) and the snapshot schedule.
    var signIns = SignInTable(maximumPerToken: GatewayCore.maximumSessionsPerToken)
    var snapshots = SnapshotSchedule()
    /// Advisory scene locks by scene path.
    package internal(set) var sceneLocks = SceneLockTable()
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
        commands = CommandsInFlight(randomID: makeID())
        startedAt = clock.monotonicSeconds()
        nextHeartbeatAt = startedAt + settings.heartbeatInterval
    }

    /// Hands the collected effects to the caller and forgets them.
    /// (Nothing to take costs nothing: emptying an array whose buffer the caller shares would allocate.)
    package func takeEffects() -> [CoreEffect] {
        guard !output.effects.isEmpty else { return [] }
        var taken: [CoreEffect] = []
        swap(&taken, &output.effects)
        return taken
    }

    /// Swaps what the core produced since the last call into `taken`, whose arrays (emptied, their room
    /// kept) the core fills next: one access to the core, and no new arrays per event. False when there
    /// was nothing.
    package func takeOutput(into taken: inout CoreOutput) -> Bool {
        // The engine empties them as it acts on them; `removeAll` goes through the generic
        // `replaceSubrange` (hundreds of instructions) even for an array with nothing in it.
        if !taken.effects.isEmpty { taken.effects.removeAll(keepingCapacity: true) }
        if !taken.replies.isEmpty { taken.replies.removeAll(keepingCapacity: true) }
        swap(&taken, &output)
        return !taken.effects.isEmpty || !taken.replies.isEmpty
    }

    /// Takes the earliest deadline added since the last call (see `newDeadline`).
    package func takeNewDeadline() -> Double? {
        defer { newDeadline = nil }
        return newDeadline
    }

    func noteDeadline(_ deadline: Double) {
        newDeadline = min(newDeadline ?? deadline, deadline)
    }

    /// Whether more than one editor here could take a call of `tool`: asked per call by the MCP face,
    /// which reading `registry` itself would copy (the whole struct), and which hashes the tool's name only
    /// when there are several editors at all.
    package func routesToSeveralEditors(offering tool: String) -> Bool {
        inRegistry { $0.routableCount > 1 && $0.routableCount(offering: tool) > 1 }
    }

    /// Reads the registry in place, in one access. Calling a method on `registry` itself copied the whole
    /// struct first (every array, dictionary and set in it retained, then released: about 300 instructions
    /// per call); an inout access lends it. For reads on the hot path.
    @inline(__always)
    func inRegistry<Result>(_ body: (inout ClientRegistry) -> Result) -> Result { body(&registry) }

    /// The same for the table of commands in flight.
    @inline(__always)
    func inCommands<Result>(_ body: (inout CommandsInFlight) -> Result) -> Result { body(&commands) }

    package var uptime: Double { clock.monotonicSeconds() - startedAt }
    package var pendingCommandCount: Int { commands.count }

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
    package func connect(_ request: ConnectionRequest) -> AcceptedClient? {
        guard phase == .running else {
            statistics.connectionsRejected += 1
            return nil
        }
        let id = makeID()
        let type = ClientIdentification.initialType(for: request)
        let identity = identity(of: request, initialType: type)
        let authenticated = identity != nil
        let handle = registry.add(
            id: id, type: type, request: request, authenticated: authenticated, security: security,
            now: clock.monotonicSeconds(), nowMs: clock.epochMilliseconds())
        if let identity { grant(identity, to: handle) }
        statistics.connectionsAccepted += 1
        if let deadline = registry[handle]?.authDeadline { noteDeadline(deadline) }
        noteDeadline(clock.monotonicSeconds() + settings.heartbeatTimeout)
        logger.info("client connected", metadata: [
            "client": "\(id)", "type": "\(type.rawValue)", "address": "\(request.remoteAddress)", "authenticated": "\(authenticated)",
        ])
        let resumeToken = makeResumeToken()
        registry.update(handle) { $0.resumeToken = resumeToken }
        send(OutboundMessage.handshake(
            clientId: id, heartbeatIntervalMs: Int64(settings.heartbeatInterval * 1000),
            gatewayVersion: settings.gatewayVersion, resumeToken: resumeToken, features: settings.features), to: handle)
        return AcceptedClient(id: id, handle: handle)
    }

    /// The socket is gone (closed by either side, or dropped; `closeCode`: the code of the client's own
    /// close frame, if it sent one): its client leaves, if it was still registered, and its slot is free.
    package func disconnected(_ handle: ClientHandle, closeCode: UInt16? = nil) {
        guard let record = registry.release(handle) else { return }
        departed(record, closeCode: closeCode)
    }

    /// The same for a client named by id, for tests: a record already removed (silence, replaced) has no
    /// index entry, so this cannot release its slot; the socket layer reports closes by handle.
    package func disconnected(_ id: String, closeCode: UInt16? = nil) {
        guard let handle = registry.handle(of: id) else { return }
        disconnected(handle, closeCode: closeCode)
    }

    /// A client left the registry. An editor that declared it resumes and did not close on purpose keeps
    /// its id for the resume window, its calls waiting for the grace (`GatewayCore+Resume`); anything else
    /// fails its commands at once.
    func departed(_ record: ClientRecord, closeCode: UInt16? = nil) {
        let id = record.id
        logger.info("client disconnected", metadata: ["client": "\(id)", "type": "\(record.type.rawValue)"])
        if keepForResume(record, closeCode: closeCode) {
            tellHost(.warning, "Godot editor \(id) disconnected; its commands wait up to \(Int(settings.resumeGrace)) s for it to reconnect.")
        } else {
            if record.type == .godot { tellHost(.warning, "Godot editor \(id) disconnected.") }
            failCommands(of: id, with: .clientDisconnected(clientId: id))
        }
        if shutdown.acknowledged(id) { finishShutdownIfAcknowledged() }
        if record.type == .mcp {
            relayClients.remove(id)
            pinnedEditors[id] = nil
            releaseLocks(of: id)
            output.effects.append(.sessionEnded(clientId: id))
        }
        if record.type == .godot {
            shareResumeState()
            if record.ready { noteToolsChanged() }
        }
    }

    /// The editors here or in the cluster changed; `publishPresence`: this node's own did (it tells the
    /// cluster).
    func noteToolsChanged(publishPresence: Bool = true) {
        if publishPresence { cluster?.notePresenceChanged() }
        guard toolsChangeDue == nil else { return }
        let due = clock.monotonicSeconds() + Self.toolsChangeDebounce
        toolsChangeDue = due
        noteDeadline(due)
    }

    /// A pong or any frame: the client is alive.
    package func noteActivity(_ handle: ClientHandle) {
        let now = clock.monotonicSeconds()
        let nowMs = clock.epochMilliseconds()
        registry.update(handle) {
            $0.lastActivity = now
            $0.lastActivityMs = nowMs
        }
    }

    /// A client sent more than the size cap allows. An answer to a pending command (its id is in the
    /// first bytes, `head`) fails that command at once and the connection stays open; anything else
    /// closes that client alone with 1009.
    package func messageTooLarge(_ handle: ClientHandle, limit: Int, head: [UInt8] = []) {
        guard let id = registry.id(of: handle) else { return }
        if let commandId = pendingCommand(claimedBy: head, from: handle, id: id) {
            refuseAnswer(commandId, from: handle, id: id, reason: "it is larger than the gateway's limit of \(limit) bytes (see --max-message-size)")
            return
        }
        statistics.connectionsRejected += 1
        logger.warning("message over size limit, closing client", metadata: ["client": "\(id)", "limit": "\(limit)"])
        close(handle, code: CloseCode.messageTooBig, reason: "message exceeds \(limit) bytes")
    }

    /// The client let too much output pile up unread; the socket layer is dropping it.
    package func clientNotReading(_ handle: ClientHandle, queuedBytes: Int) {
        guard let id = registry.id(of: handle) else { return }
        statistics.slowConsumersDropped += 1
        logger.warning("client is not reading its messages, dropping it", metadata: ["client": "\(id)", "queuedBytes": "\(queuedBytes)"])
        registry.update(handle) { $0.open = false }
    }

    // MARK: Output

    func recordAudit(_ record: [String: JSONValue]) {
        if auditing { output.effects.append(.audit(record)) }
    }

    func tellHost(_ level: HostLogLevel, _ message: String) {
        output.effects.append(.hostLog(level: level, message: message))
    }

    func send(_ message: JSONValue, to handle: ClientHandle) {
        sendText(message.jsonText, to: handle)
    }

    /// Sends to a client named by id (a hash of the id: for cold paths); nothing when it is not registered.
    func send(_ message: JSONValue, to id: String) {
        guard let handle = registry.handle(of: id) else { return }
        sendText(message.jsonText, to: handle)
    }

    /// Sends text that is already JSON (a relayed MCP message wrapped by the caller), counted like any.
    package func sendText(_ text: String, to id: String) {
        guard let handle = registry.handle(of: id) else { return }
        sendText(text, to: handle)
    }

    package func sendText(_ text: String, to handle: ClientHandle) {
        // A record kept apart from the registry (departed, another node's editor) has no socket here.
        guard handle != .detached else { return }
        registry.update(handle) {
            $0.messagesOut += 1
            $0.bytesOut += UInt64(text.utf8.count)
        }
        statistics.messagesOut += 1
        statistics.bytesOut += UInt64(text.utf8.count)
        output.effects.append(.send(client: handle, text: text))
    }

    func sendError(to handle: ClientHandle, code: String, message: String) {
        send(OutboundMessage.error(code: code, message: message), to: handle)
    }

    func sendError(to id: String, code: String, message: String) {
        send(OutboundMessage.error(code: code, message: message), to: id)
    }

    func close(_ handle: ClientHandle, code: UInt16, reason: String) {
        registry.update(handle) { $0.open = false }
        output.effects.append(.close(client: handle, code: code, reason: reason))
    }

    func close(_ id: String, code: UInt16, reason: String) {
        guard let handle = registry.handle(of: id) else { return }
        close(handle, code: code, reason: reason)
    }

    /// A message from the client: it is alive (as `noteActivity`) and counted, in one update of its record.
    func countInbound(_ handle: ClientHandle, bytes: Int) {
        let now = clock.monotonicSeconds()
        let nowMs = clock.epochMilliseconds()
        registry.update(handle) {
            $0.lastActivity = now
            $0.lastActivityMs = nowMs
            $0.messagesIn += 1
            $0.bytesIn += UInt64(bytes)
        }
        statistics.messagesIn += 1
        statistics.bytesIn += UInt64(bytes)
    }
}
