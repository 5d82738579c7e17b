import GatewayCore
import GatewaySystem
import GatewayMCP
import GatewayCluster
import CLWS
import FoundationEssentials
import Glibc
import Logging

/// Owns the libwebsockets context and everything on the service thread: the protocol core, the open
/// connections and the wake-up timer. Every method runs on that one thread (creation excepted).
final class ServiceLoop {
    let core: GatewayCore
    let inbox: ServiceInbox
    let logger: Logger
    let maxMessageSize: Int
    let maxQueuedBytes: Int
    let audit: AuditLog?
    /// Test-only: echo every message back unchanged instead of speaking the protocol (conformance runs).
    let echoMode: Bool
    private(set) var context: LWSContext?
    /// The libev loop (epoll) lws runs on, owned here and stepped one iteration at a time.
    private(set) var eventLoop: OpaquePointer?
    /// lws reads the foreign-loop array while it creates the context.
    private let foreignLoops = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: 1)
    /// The MCP host's stdio and the dispatcher that answers it; both live on the service thread.
    private(set) var stdio: StdioChannel?
    private(set) var dispatcher: MCPDispatcher?
    /// Owner of the port, relaying through its owner, or changing over (`ServiceLoop+Relay`).
    var role = GatewayRole.owner
    var ownerLink: OwnerLink?
    var listenSettings: ListenSettings?
    /// The editors the last owner said could resume, kept for a takeover.
    var lastResumeState: JSONValue = []
    /// `--upstream`: where this process's calls go, and the wait before the next reconnect.
    var upstreamSettings: (UpstreamConfiguration, String?)?
    var upstreamBackoff = 0.5
    /// Attempts in a row to attach to the port's owner that did not open.
    var failedAttachments = 0
    /// The MCP sessions of hosts relayed through this gateway by other gateway processes.
    var relaySessions: RelaySessions?
    /// `--cluster`: the link to the other gateway nodes (`ServiceLoop+Cluster`).
    var clusterLink: ClusterLink?
    /// Set once the host closed stdin: the gateway stops when the calls it made are answered.
    private var hostInputEnded = false
    /// Listens nowhere; stdio and the link to an owning gateway live on it.
    private(set) var localVhost: LWSVhost?
    /// The listeners, one per address of the listen plan (none while relaying through another gateway).
    var listenerVhosts: [LWSVhost] = []
    private var connections: [String: Connection] = [:]
    private let timer: UnsafeMutablePointer<clws_ev_timer>
    private let stdoutHangup: UnsafeMutablePointer<clws_ev_hangup_watch>
    /// An lws timer that fires every `lwsTimerBound` seconds and does nothing else: see `keepLWSTimersPrompt`.
    private let lwsTimerGuard: UnsafeMutablePointer<clws_timer>
    private let clock: any GatewayClock
    private var stopRequested = false
    /// Bound on waiting for peers to answer our close frames once shutdown reached the closing phase.
    private var closingDeadline: Double?
    /// C strings lws reads for the whole life of the context.
    private var retainedCStrings: [UnsafeMutablePointer<CChar>] = []
    let protocols: UnsafeMutablePointer<lws_protocols>
    /// An idle policy with lws' own validity pings off (see `listen`).
    let idlePolicy: UnsafeMutablePointer<lws_retry_bo_t>
    /// Fires the next attempt to take the port over or attach to its new owner (`ServiceLoop+Relay`).
    let relayTimer: UnsafeMutablePointer<clws_ev_timer>

    init(
        core: GatewayCore, inbox: ServiceInbox, clock: any GatewayClock, maxMessageSize: Int, maxQueuedBytes: Int,
        echoMode: Bool = false, audit: AuditLog? = nil, logger: Logger
    ) {
        self.audit = audit
        self.echoMode = echoMode
        self.core = core
        self.inbox = inbox
        self.clock = clock
        self.maxMessageSize = maxMessageSize
        self.maxQueuedBytes = maxQueuedBytes
        self.logger = logger
        timer = .allocate(capacity: 1)
        timer.initialize(to: clws_ev_timer())
        stdoutHangup = .allocate(capacity: 1)
        stdoutHangup.initialize(to: clws_ev_hangup_watch())
        lwsTimerGuard = .allocate(capacity: 1)
        lwsTimerGuard.initialize(to: clws_timer())
        relayTimer = .allocate(capacity: 1)
        relayTimer.initialize(to: clws_ev_timer())
        protocols = .allocate(capacity: 2)
        protocols.initialize(repeating: lws_protocols(), count: 2)
        idlePolicy = .allocate(capacity: 1)
        idlePolicy.initialize(to: lws_retry_bo_t())
    }

    deinit {
        timer.deinitialize(count: 1)
        timer.deallocate()
        stdoutHangup.deinitialize(count: 1)
        stdoutHangup.deallocate()
        lwsTimerGuard.deinitialize(count: 1)
        lwsTimerGuard.deallocate()
        relayTimer.deinitialize(count: 1)
        relayTimer.deallocate()
        foreignLoops.deallocate()
        protocols.deinitialize(count: 2)
        protocols.deallocate()
        idlePolicy.deinitialize(count: 1)
        idlePolicy.deallocate()
        retainedCStrings.forEach { free($0) }
    }

    func retainedCString(_ text: String) -> UnsafeMutablePointer<CChar>? {
        guard let copy = strdup(text) else { return nil }
        retainedCStrings.append(copy)
        return copy
    }

    // MARK: Start

    /// Creates the context and a local vhost that listens nowhere (stdio and outgoing connections live on
    /// it). Throws with a message a person can act on.
    func open(tls: TLSConfiguration?, disableIPv6: Bool, upstream: UpstreamConfiguration? = nil) throws {
        // One protocol serves both plain HTTP (for /health) and WebSocket: clients that name no
        // subprotocol, like Godot's WebSocketPeer, are bound to the first one.
        protocols[0].name = UnsafePointer(retainedCString(Self.protocolName))
        protocols[0].callback = gatewayServiceCallback
        protocols[0].per_session_data_size = MemoryLayout<UnsafeMutableRawPointer?>.size
        // lws keeps a receive buffer of this size per connection: 4 KiB keeps 10,000 idle clients cheap,
        // and large messages are reassembled from chunks anyway.
        protocols[0].rx_buffer_size = 4096

        var info = lws_context_creation_info()
        info.options = UInt64(LWS_SERVER_OPTION_EXPLICIT_VHOSTS) | UInt64(LWS_SERVER_OPTION_VALIDATE_UTF8)
        if tls != nil || upstream?.secure == true { info.options |= UInt64(LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT) }
        if disableIPv6 { info.options |= UInt64(LWS_SERVER_OPTION_DISABLE_IPV6) }
        info.user = Unmanaged.passUnretained(self).toOpaque()
        // epoll through libev instead of lws' poll() backend, which scans every socket per wake-up.
        guard let eventLoop = clws_ev_loop_create() else { throw GatewayStartError.eventLoopFailed }
        self.eventLoop = eventLoop
        foreignLoops.pointee = UnsafeMutableRawPointer(eventLoop)
        info.options |= clws_option_libev()
        info.foreign_loops = foreignLoops
        guard let created = lws_create_context(&info) else {
            clws_ev_loop_destroy(eventLoop)
            self.eventLoop = nil
            throw GatewayStartError.contextFailed
        }
        let context = LWSContext(pointer: created)
        self.context = context
        clws_ev_timer_init(timer, gatewayTimerFired, Unmanaged.passUnretained(self).toOpaque())
        clws_ev_timer_init(relayTimer, gatewayRelayTimerFired, Unmanaged.passUnretained(self).toOpaque())
        lwsTimerGuard.pointee.owner = Unmanaged.passUnretained(self).toOpaque()
        keepLWSTimersPrompt()

        var localInfo = lws_context_creation_info()
        localInfo.port = CONTEXT_PORT_NO_LISTEN
        localInfo.protocols = UnsafePointer(protocols)
        localInfo.vhost_name = UnsafePointer(retainedCString("local"))
        localInfo.options |= UInt64(LWS_SERVER_OPTION_VALIDATE_UTF8)
        if disableIPv6 { localInfo.options |= UInt64(LWS_SERVER_OPTION_DISABLE_IPV6) }
        if let upstream, upstream.secure {
            // The client side of WSS to the upstream gateway: its CA (else the system's), and our
            // certificate for mutual TLS.
            localInfo.options |= UInt64(LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT)
            if let ca = upstream.caPath { localInfo.client_ssl_ca_filepath = UnsafePointer(retainedCString(ca)) }
            if let certificate = upstream.certificatePath { localInfo.client_ssl_cert_filepath = UnsafePointer(retainedCString(certificate)) }
            if let key = upstream.keyPath { localInfo.client_ssl_private_key_filepath = UnsafePointer(retainedCString(key)) }
        }
        guard let local = lws_create_vhost(context.pointer, &localInfo) else {
            lws_context_destroy(context.pointer)
            self.context = nil
            throw GatewayStartError.contextFailed
        }
        localVhost = LWSVhost(pointer: local)
        let waker = ContextWaker(context: context)
        inbox.setWake { waker.wake() }
    }

    static let protocolName = "godot-mcp"

    /// Puts the MCP host's stdin and stdout into this loop, answered by `dispatcher`.
    func attach(stdio: StdioChannel, dispatcher: MCPDispatcher) throws {
        guard let localVhost else { throw GatewayStartError.contextFailed }
        self.stdio = stdio
        self.dispatcher = dispatcher
        stdio.onLine = { [unowned self] line in
            self.dispatcher?.handle(line)
        }
        stdio.onEndOfInput = { [unowned self] in
            // At exit lws closes stdin itself; that is not the host leaving.
            if core.phase == .running { logger.info("shutting down", metadata: ["reason": "the MCP host closed stdin"]) }
            hostInputEnded = true
            core.stopWaiting(session: "")
        }
        stdio.onOutputGone = { [unowned self] in
            logger.info("shutting down", metadata: ["reason": "the MCP host closed stdout"])
            core.beginShutdown()
            pump()
        }
        try stdio.adopt(vhost: localVhost, protocolName: Self.protocolName)
        if let eventLoop, let fd = stdio.outputHangupDescriptor {
            clws_ev_hangup_watch_start(eventLoop, stdoutHangup, fd, gatewayStdoutHangup, Unmanaged.passUnretained(self).toOpaque())
        }
        if stdio.inputAlreadyEnded { stdio.handOn() }
    }

    // MARK: Run

    /// Services the context until shutdown completes, then answers whatever work is left and tears down.
    func run() {
        guard let context, let eventLoop else { return }
        scheduleWake(full: true)
        while !stopRequested {
            clws_ev_run_once(eventLoop)
            // Once the host has closed stdin, the gateway stops when the calls it made are answered.
            if hostInputEnded, core.phase == .running, (dispatcher?.callsInProgress ?? 0) == 0 {
                core.beginShutdown()
                pump()
            }
            // Answers that arrived in this iteration leave together, in as few writes as the pipe allows.
            stdio?.flush()
        }
        for work in inbox.close() { work(core) }
        clusterLink?.leave()
        clusterLink = nil
        // Anything still open (a peer that never answered our close frame) is dropped by the destroy.
        core.abandonAll()
        _ = core.takeEffects()
        stdio?.drain(timeout: 2)
        stdio?.detachForExit()
        clws_ev_timer_stop(eventLoop, timer)
        clws_ev_timer_stop(eventLoop, relayTimer)
        clws_ev_hangup_watch_stop(eventLoop, stdoutHangup)
        lws_context_destroy(context.pointer)
        self.context = nil
        clws_ev_loop_destroy(eventLoop)
        self.eventLoop = nil
        logger.debug("service loop stopped")
    }

    /// Applies the core's effects to the connections and re-arms the timer for the core's next deadline.
    func pump(afterTick: Bool = false) {
        // Handling an effect can make more (a relayed session answers into the core): until none are left.
        var effects = core.takeEffects()
        while !effects.isEmpty {
        for effect in effects {
            switch effect {
            case .send(let id, let text):
                guard let connection = connections[id] else { continue }
                if !connection.enqueue(.text(Array(text.utf8)), limit: maxQueuedBytes) {
                    core.clientNotReading(id, queuedBytes: connection.queuedBytes)
                    connection.abandon()
                }
            case .ping(let id):
                connections[id]?.enqueue(.ping)
            case .close(let id, let code, let reason):
                connections[id]?.enqueue(.close(code: code, reason: reason))
            case .rekey(let from, let to):
                guard let connection = connections.removeValue(forKey: from) else { continue }
                connection.clientId = to
                connections[to] = connection
            case .audit(let record):
                audit?.record(record)
            case .hostLog(let level, let message):
                dispatcher?.log(level, message)
                relaySessions?.log(level, message)
            case .relayedRequest(let id, let message):
                connections[id]?.messageLimit = maxMessageSize * 2 + ServerConfiguration.requestEnvelopeAllowance
                relaySessions?.handle(message, from: id)
            case .sessionEnded(let id):
                relaySessions?.ended(id)
            case .editorEvent(let id, let name):
                dispatcher?.editorEvent(clientId: id, name: name)
                relaySessions?.editorEvent(clientId: id, name: name)
            case .toolsChanged:
                dispatcher?.toolsMayHaveChanged()
                relaySessions?.toolsMayHaveChanged()
                publishPresenceIfChanged()
            case .forward(let node, let call):
                clusterLink?.forward(to: node, call: call)
            }
        }
        effects = core.takeEffects()
        }
        if core.phase == .closing {
            if closingDeadline == nil { closingDeadline = clock.monotonicSeconds() + 1 }
            if connections.isEmpty || clock.monotonicSeconds() >= (closingDeadline ?? 0) {
                stopRequested = true
                if let context { lws_cancel_service(context.pointer) }
            }
        }
        scheduleWake(full: afterTick)
    }

    /// When the wake-up timer is set to fire.
    private var scheduledWake = Double.infinity

    /// Re-arms the timer. After a tick (or at start) the core's full next deadline is computed; after any
    /// other event only deadlines the event created can be earlier, so only those are considered — a sweep
    /// over every client per message made 2,000 idle clients cost a whole core.
    private func scheduleWake(full: Bool = false) {
        guard let eventLoop else { return }
        var deadline = full ? core.nextDeadline : min(scheduledWake, core.takeNewDeadline() ?? .infinity)
        if full { _ = core.takeNewDeadline() }
        if let closingDeadline { deadline = min(deadline, closingDeadline) }
        guard full || deadline < scheduledWake else { return }
        scheduledWake = deadline
        guard deadline.isFinite else {
            clws_ev_timer_stop(eventLoop, timer)
            return
        }
        // A microsecond late rather than early, so the timer never fires just before the deadline it serves.
        clws_ev_timer_arm(eventLoop, timer, max(0, deadline - clock.monotonicSeconds()) + 0.000_001)
    }

    func timerFired() {
        core.tick()
        pump(afterTick: true)
    }

    /// lws' own timeouts (close handshakes, upgrades, `closeSoon`) run on one libev timer that lws' libev
    /// glue cannot move earlier while it is armed: a timeout due before the armed time would wait for it.
    /// Keeping an lws timer of our own due at most this far ahead bounds that wait.
    static let lwsTimerBound = 0.5

    func keepLWSTimersPrompt() {
        guard let context else { return }
        withUnsafeMutablePointer(to: &lwsTimerGuard.pointee.sul) { sul in
            lws_sul_schedule(context.pointer, 0, sul, gatewayLWSTimerGuardFired, lws_usec_t(Self.lwsTimerBound * 1_000_000))
        }
    }

    func stdoutHungUp() {
        stdio?.checkOutputHangup()
    }

    func drainInbox() {
        for work in inbox.drain() { work(core) }
        pump()
    }

    // MARK: Connections

    func established(wsi: LWSConnection, request: ConnectionRequest) -> Connection? {
        // permessage-deflate's default 1 KiB output buffer cuts a large incompressible message into
        // thousands of frames (over some clients' fragment limits); 64 KiB matches our own fragments.
        // Fails harmlessly when the client did not negotiate the extension.
        _ = lws_set_extension_option(wsi.pointer, "permessage-deflate", "tx_buf_size", "16")
        if echoMode { return Connection(wsi: wsi, clientId: "echo-" + RandomUUID.make()) }
        guard let id = core.connect(request) else { return nil }
        let connection = Connection(wsi: wsi, clientId: id)
        connections[id] = connection
        pump()
        return connection
    }

    func closed(_ connection: Connection) {
        guard connections[connection.clientId] === connection else { return }
        connections[connection.clientId] = nil
        core.disconnected(connection.clientId)
        pump()
    }
}

/// Failures that stop the gateway from starting, worded for the person who started it.
package enum GatewayStartError: Error, CustomStringConvertible {
    case contextFailed
    case eventLoopFailed
    case cannotListen(address: String, reason: String)
    case stdio(String)
    case clusterFailed(reason: String)

    package var description: String {
        switch self {
        case .contextFailed: "libwebsockets could not create its context (with its libev event-loop plugin)"
        case .eventLoopFailed: "libev could not create an epoll event loop"
        case .cannotListen(let address, let reason): "cannot listen on \(address): \(reason)"
        case .stdio(let reason): "cannot serve MCP on stdio: \(reason)"
        case .clusterFailed(let reason): "cannot join the cluster: \(reason)"
        }
    }
}

/// Fired by libev on the service thread when the wake-up timer is due.
private func gatewayTimerFired(_ owner: UnsafeMutableRawPointer?) {
    guard let owner else { return }
    Unmanaged<ServiceLoop>.fromOpaque(owner).takeUnretainedValue().timerFired()
}

/// Fired by lws when the guard timer is due; it only schedules itself again.
private func gatewayLWSTimerGuardFired(_ sul: UnsafeMutablePointer<lws_sorted_usec_list_t>?) {
    guard let sul, let owner = clws_timer_owner(sul) else { return }
    Unmanaged<ServiceLoop>.fromOpaque(owner).takeUnretainedValue().keepLWSTimersPrompt()
}

/// Fired by libev when the host's stdout reports an event (see `StdioChannel.outputHangupDescriptor`).
private func gatewayStdoutHangup(_ owner: UnsafeMutableRawPointer?) {
    guard let owner else { return }
    Unmanaged<ServiceLoop>.fromOpaque(owner).takeUnretainedValue().stdoutHungUp()
}

/// The context pointer, wrapped for the one call libwebsockets allows from any thread.
/// `ServiceInbox` stops calling it before the context is destroyed.
private struct ContextWaker: @unchecked Sendable {
    let context: LWSContext
    func wake() { lws_cancel_service(context.pointer) }
}
