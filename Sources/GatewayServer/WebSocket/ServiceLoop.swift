import GatewayCore
import GatewayEngine
import GatewaySystem
import GatewayMCP
import GatewayCluster
import FoundationEssentials
import Logging

/// The I/O around the engine: owns the libwebsockets runtime, the open connections, stdio and the
/// wake-up timer, turns what lws reports into `EngineEvent`s and performs the `EngineAction`s that come
/// back. All protocol decisions are the engine's. Every method runs on the service thread.
final class ServiceLoop {
    let engine: GatewayEngine
    var core: GatewayCore { engine.core }
    /// The MCP host on stdio (nil in service mode).
    var dispatcher: MCPDispatcher? { engine.host }
    let inbox: ServiceInbox
    let logger: Logger
    let maxMessageSize: Int
    let maxQueuedBytes: Int
    let audit: AuditLog?
    /// Test-only: echo every message back unchanged instead of speaking the protocol (conformance runs).
    let echoMode: Bool
    /// The libwebsockets context on its libev loop, and every C thing that lives as long (`LWS/`).
    private(set) var runtime: LWSRuntime?
    /// The MCP host's stdin and stdout.
    private(set) var stdio: StdioChannel?
    /// Owner of the port, relaying through its owner, changing over, or upstream (`ServiceLoop+Relay`).
    var role: GatewayRole {
        get { core.role }
        set { core.role = newValue }
    }
    var ownerLink: OwnerLink?
    var listenSettings: ListenSettings?
    /// The editors the last owner said could resume, kept for a takeover.
    var lastResumeState: JSONValue = []
    /// `--upstream`: where this process's calls go, and the wait before the next reconnect.
    var upstreamSettings: (UpstreamConfiguration, String?)?
    var upstreamBackoff = 0.5
    /// Attempts in a row to attach to the port's owner that did not open.
    var failedAttachments = 0
    /// `--cluster`: the link to the other gateway nodes (`ServiceLoop+Cluster`).
    var clusterLink: ClusterLink?
    /// The listeners, one per address of the listen plan (none while relaying through another gateway).
    var listenerVhosts: [LWSVhost] = []
    private var connections = ConnectionTable()
    /// Connections with frames queued this turn, written when the turn ends.
    let writeBatch = WriteBatch()
    /// The core's wake-up timer, and the one for the next attempt to take the port over or attach to
    /// its new owner (`ServiceLoop+Relay`).
    private var wakeTimer: LWSLoopTimer?
    var relayTimer: LWSLoopTimer?
    private let clock: any GatewayClock
    /// The clock when it is read once per turn (the real gateway's): each turn starts it afresh.
    private let turnClock: TurnClock?
    private var stopRequested = false
    /// Bound on waiting for peers to answer our close frames once shutdown reached the closing phase.
    private var closingDeadline: Double?
    init(
        engine: GatewayEngine, inbox: ServiceInbox, clock: any GatewayClock, maxMessageSize: Int, maxQueuedBytes: Int,
        echoMode: Bool = false, audit: AuditLog? = nil, logger: Logger
    ) {
        self.audit = audit
        self.echoMode = echoMode
        self.engine = engine
        self.inbox = inbox
        self.clock = clock
        turnClock = clock as? TurnClock
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

    /// Puts the MCP host's stdin and stdout into this loop; the engine answers the host.
    func attach(stdio: StdioChannel) throws {
        guard let runtime else { throw GatewayStartError.contextFailed }
        self.stdio = stdio
        stdio.onBytes = { [unowned self] bytes in handle(.hostBytes(bytes)) }
        stdio.onEndOfInput = { [unowned self] in handle(.hostInputEnded) }
        stdio.onFlushed = { [unowned self] pending in handle(.hostOutputFlushed(pending: pending)) }
        stdio.onOutputGone = { [unowned self] in handle(.hostOutputGone) }
        try stdio.adopt(into: runtime, protocolName: Self.protocolName)
        if let fd = stdio.outputHangupDescriptor {
            runtime.watchHangup(of: fd) { [unowned stdio] in stdio.checkOutputHangup() }
        }
        if stdio.inputAlreadyEnded { stdio.reportEnd() }
    }

    // MARK: Run

    /// Services the context until shutdown completes, then answers whatever work is left and tears down.
    func run() {
        guard let runtime else { return }
        turnClock?.startTurn()  // start-up (probes, the cluster) may have taken a while since the last reading
        handle(.timerDue)  // the first wake-up time, and anything due at start
        while !stopRequested {
            turnClock?.startTurn()
            runtime.runOnce()
            // What this turn queued leaves together: each editor's frames in one write, the host's answers
            // in as few writes as the pipe allows. Writing stdout can release requests held back while the
            // host was not reading (`.hostOutputFlushed`), whose commands and answers must not wait for the
            // next wake-up: until nothing new is queued.
            repeat {
                writeBatch.flush()
                stdio?.flush()
            } while !writeBatch.isEmpty || stdio?.hasOutputToFlush == true
        }
        for work in inbox.close() { work(self) }
        clusterLink?.leave()
        clusterLink = nil
        // Anything still open (a peer that never answered our close frame) is dropped by the destroy.
        core.abandonAll()
        _ = core.takeEffects()
        turnClock?.startTurn()
        stdio?.drain(timeout: 2)
        stdio?.detachForExit()
        runtime.destroy()
        self.runtime = nil
        logger.debug("service loop stopped")
    }

    /// Hands one event to the engine and performs what it returns.
    func handle(_ event: EngineEvent) {
        perform(engine.handle(event))
    }

    /// Performs the engine's actions on the connections, stdio, the audit log, the cluster and the timer.
    func perform(_ actions: [EngineAction]) {
        for action in actions {
            switch action {
            case .writeHost(let line):
                stdio?.send(line)
            case .setHostReading(let enabled):
                stdio?.setReading(enabled)
            case .send(let client, let text):
                guard let connection = connections[client] else { continue }
                if case .refused(let queuedBytes) = connection.enqueue(.text(Array(text.utf8)), limit: maxQueuedBytes) {
                    connection.abandon()
                    handle(.clientNotReading(client: client, queuedBytes: queuedBytes))
                }
            case .ping(let client):
                connections[client]?.enqueue(.ping)
            case .close(let client, let code, let reason):
                connections[client]?.enqueue(.close(code: code, reason: reason))
            case .rename(let client, let id):
                connections[client]?.clientId = id
            case .allowLargeMessages(let client):
                connections[client]?.messageLimit = maxMessageSize * 2 + ServerConfiguration.requestEnvelopeAllowance
            case .audit(let record):
                audit?.record(record)
            case .clusterForward(let node, let call):
                clusterLink?.forward(to: node, call: call)
            case .clusterReply(let to, let text):
                clusterLink?.respond(to: to, text: text)
            case .presenceMayHaveChanged:
                publishPresenceIfChanged()
            case .wakeAt(let deadline):
                engineWake = deadline
                armWakeTimer()
            case .closing:
                closingDeadline = clock.monotonicSeconds() + 1
                armWakeTimer()
            case .admitted, .accepted, .httpResponse:
                break  // answers to the event that asked, read by its caller
            }
        }
        if closingDeadline != nil, connections.isEmpty || clock.monotonicSeconds() >= (closingDeadline ?? 0) {
            stopRequested = true
            runtime?.waker.wake()
        }
    }

    /// When the engine asked to be woken.
    private var engineWake = Double.infinity

    /// Arms the timer for the engine's wake-up time (or the end of the closing grace, if sooner).
    private func armWakeTimer() {
        guard let wakeTimer else { return }
        let deadline = min(engineWake, closingDeadline ?? .infinity)
        guard deadline.isFinite else {
            wakeTimer.stop()
            return
        }
        // A microsecond late rather than early, so the timer never fires just before the deadline it serves.
        wakeTimer.arm(after: max(0, deadline - clock.monotonicSeconds()) + 0.000_001)
    }

    func timerFired() {
        handle(.timerDue)
    }

    func drainInbox() {
        for work in inbox.drain() { work(self) }
    }

    // MARK: Connections

    func established(wsi: LWSConnection, request: ConnectionRequest) -> Connection? {
        // permessage-deflate's default 1 KiB output buffer cuts a large incompressible message into
        // thousands of frames (over some clients' fragment limits); 64 KiB matches our own fragments.
        // Fails harmlessly when the client did not negotiate the extension, which is how we learn whether it did.
        let negotiatedDeflate = wsi.setExtensionOption("permessage-deflate", "tx_buf_size", "16")
        // Its 1 KiB of inflated output per call splits a larger message over several RECEIVE callbacks;
        // 4 KiB is the most lws allows (the protocol's rx_buffer_size).
        if negotiatedDeflate { wsi.setExtensionOption("permessage-deflate", "rx_buf_size", "12") }
        if echoMode {
            return Connection(
                wsi: wsi, clientId: "echo-" + RandomUUID.make(), batch: writeBatch, framesServerSide: true, negotiatedDeflate: negotiatedDeflate)
        }
        let actions = engine.handle(.connectionOpened(request))
        var accepted: AcceptedClient?
        for case .accepted(let client) in actions { accepted = client }
        guard let accepted else {
            perform(actions)
            return nil
        }
        let connection = Connection(
            wsi: wsi, clientId: accepted.id, handle: accepted.handle, batch: writeBatch, framesServerSide: true, negotiatedDeflate: negotiatedDeflate)
        connections.insert(connection)
        perform(actions)
        return connection
    }

    func closed(_ connection: Connection) {
        connection.forget()
        guard connections.remove(connection) else { return }
        handle(.connectionClosed(client: connection.handle, closeCode: connection.peerCloseCode))
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
