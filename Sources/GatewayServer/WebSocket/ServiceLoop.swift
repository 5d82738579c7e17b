import GatewayCore
import GatewaySystem
import GatewayMCP
import GatewayCluster
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
    /// The libwebsockets context on its libev loop, and every C thing that lives as long (`LWS/`).
    private(set) var runtime: LWSRuntime?
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
    /// The listeners, one per address of the listen plan (none while relaying through another gateway).
    var listenerVhosts: [LWSVhost] = []
    private var connections: [String: Connection] = [:]
    /// The core's wake-up timer, and the one for the next attempt to take the port over or attach to
    /// its new owner (`ServiceLoop+Relay`).
    private var wakeTimer: LWSLoopTimer?
    var relayTimer: LWSLoopTimer?
    private let clock: any GatewayClock
    private var stopRequested = false
    /// Bound on waiting for peers to answer our close frames once shutdown reached the closing phase.
    private var closingDeadline: Double?
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
    }

    // MARK: Start

    /// Creates the context and a local vhost that listens nowhere (stdio and outgoing connections live on
    /// it). Throws with a message a person can act on.
    func open(tls: TLSConfiguration?, disableIPv6: Bool, upstream: UpstreamConfiguration? = nil) throws {
        let options = LWSRuntime.Options(
            protocolName: Self.protocolName, globalTLS: tls != nil || upstream?.secure == true, disableIPv6: disableIPv6,
            clientCAPath: upstream?.secure == true ? upstream?.caPath : nil,
            clientCertificatePath: upstream?.secure == true ? upstream?.certificatePath : nil,
            clientKeyPath: upstream?.secure == true ? upstream?.keyPath : nil)
        let runtime: LWSRuntime
        do {
            runtime = try LWSRuntime(options: options, handler: self)
        } catch .eventLoopFailed {
            throw GatewayStartError.eventLoopFailed
        } catch {
            throw GatewayStartError.contextFailed
        }
        self.runtime = runtime
        wakeTimer = runtime.makeTimer { [unowned self] in timerFired() }
        relayTimer = runtime.makeTimer { [unowned self] in relayTimerFired() }
        let waker = runtime.waker
        inbox.setWake { waker.wake() }
    }

    static let protocolName = "godot-mcp"

    /// Puts the MCP host's stdin and stdout into this loop, answered by `dispatcher`.
    func attach(stdio: StdioChannel, dispatcher: MCPDispatcher) throws {
        guard let runtime else { throw GatewayStartError.contextFailed }
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
        try stdio.adopt(into: runtime, protocolName: Self.protocolName)
        if let fd = stdio.outputHangupDescriptor {
            runtime.watchHangup(of: fd) { [unowned self] in stdio.checkOutputHangup() }
        }
        if stdio.inputAlreadyEnded { stdio.handOn() }
    }

    // MARK: Run

    /// Services the context until shutdown completes, then answers whatever work is left and tears down.
    func run() {
        guard let runtime else { return }
        scheduleWake(full: true)
        while !stopRequested {
            runtime.runOnce()
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
        runtime.destroy()
        self.runtime = nil
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
                runtime?.waker.wake()
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
        guard let wakeTimer else { return }
        var deadline = full ? core.nextDeadline : min(scheduledWake, core.takeNewDeadline() ?? .infinity)
        if full { _ = core.takeNewDeadline() }
        if let closingDeadline { deadline = min(deadline, closingDeadline) }
        guard full || deadline < scheduledWake else { return }
        scheduledWake = deadline
        guard deadline.isFinite else {
            wakeTimer.stop()
            return
        }
        // A microsecond late rather than early, so the timer never fires just before the deadline it serves.
        wakeTimer.arm(after: max(0, deadline - clock.monotonicSeconds()) + 0.000_001)
    }

    func timerFired() {
        core.tick()
        pump(afterTick: true)
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
        wsi.setExtensionOption("permessage-deflate", "tx_buf_size", "16")
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
