import CLWS
import Foundation
import Logging

/// How the WebSocket side is configured.
public struct ServerConfiguration: Sendable {
    public var host: String = "localhost"
    public var port: Int = 8765
    public var maxMessageSize: Int = 16 * 1024 * 1024
    /// Unread output one client may pile up before it is dropped (at least one largest message fits).
    public var maxQueuedBytes: Int = 16 * 1024 * 1024
    public var settings = GatewaySettings()
    public var security = SecuritySettings()
    /// WSS when set.
    public var tls: TLSConfiguration?
    public var audit: AuditLog?
    /// Test-only (`--echo`, loopback only): echo messages instead of speaking the protocol, so WebSocket
    /// conformance suites can exercise the gateway's framing, UTF-8 and close handling.
    public var echoMode = false
    /// Negotiate permessage-deflate (RFC 7692) with clients that offer it. Godot's WebSocketPeer does not
    /// offer it, so editors are unaffected; a client that does pays about 110 KiB of zlib state and buffers once it talks (measured).
    public var permessageDeflate = true

    public init() {}
}

/// PEM files for WSS. With `clientCAPath`, clients must present a certificate that CA signed (mutual TLS).
public struct TLSConfiguration: Sendable, Equatable {
    public var certificatePath: String
    public var privateKeyPath: String
    public var clientCAPath: String?

    public init(certificatePath: String, privateKeyPath: String, clientCAPath: String? = nil) {
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
        self.clientCAPath = clientCAPath
    }
}

/// The thread-safe handle to the running WebSocket server. Calls hop to the service thread through the
/// inbox and come back through continuations; nothing here touches libwebsockets but the wake-up.
public final class GatewayServer: Sendable {
    /// Addresses actually listened on, e.g. `127.0.0.1:8765`.
    public let listeningOn: [String]
    private let inbox: ServiceInbox
    private let stopped = StopSignal()

    private init(listeningOn: [String], inbox: ServiceInbox) {
        self.listeningOn = listeningOn
        self.inbox = inbox
    }

    /// Binds the listeners and starts the service thread. Throws if the port cannot be used.
    public static func start(
        configuration: ServerConfiguration, clock: any GatewayClock = SystemClock(), logger: Logger
    ) throws -> GatewayServer {
        LibWebSocketsLog.configure(verbose: logger.logLevel <= .debug)
        let core = GatewayCore(
            settings: configuration.settings, security: configuration.security, clock: clock, logger: logger,
            audit: configuration.audit)
        let inbox = ServiceInbox()
        let loop = ServiceLoop(
            core: core, inbox: inbox, clock: clock, maxMessageSize: configuration.maxMessageSize,
            maxQueuedBytes: configuration.maxQueuedBytes, echoMode: configuration.echoMode, logger: logger)
        let bound = try loop.open(
            plan: ListenPlan.make(host: configuration.host), port: configuration.port, tls: configuration.tls,
            permessageDeflate: configuration.permessageDeflate)
        let server = GatewayServer(listeningOn: bound, inbox: inbox)
        let owned = ServiceThreadHandoff(loop: loop)
        let thread = Thread { [stopped = server.stopped] in
            owned.loop.run()
            stopped.signal()
        }
        thread.name = "lws-service"
        thread.start()
        return server
    }

    /// Routes a command to an editor and waits for its outcome (result, editor error, disconnect or timeout).
    public func execute(_ name: String, params: JSONValue, target: String? = nil) async -> CommandOutcome {
        await withCheckedContinuation { continuation in
            execute(name, params: params, target: target) { continuation.resume(returning: $0) }
        }
    }

    /// The same without a task: `completion` runs once, on the service thread (or at once, on the
    /// caller's, if the server has stopped). It must not block.
    public func execute(
        _ name: String, params: JSONValue, target: String? = nil,
        completion: @escaping @Sendable (CommandOutcome) -> Void
    ) {
        let request = CommandRequest(name: name, params: params, target: target, reply: completion)
        if !inbox.post({ $0.submit(request) }) {
            completion(.failure(.gatewayStopped))
        }
    }

    /// Reads a value from the core on the service thread; nil once the server has stopped.
    public func read<Value: Sendable>(_ body: @escaping @Sendable (GatewayCore) -> Value) async -> Value? {
        await withCheckedContinuation { continuation in
            read(body) { continuation.resume(returning: $0) }
        }
    }

    /// The same without a task; `completion` runs on the service thread, or at once with nil.
    public func read<Value: Sendable>(
        _ body: @escaping @Sendable (GatewayCore) -> Value, completion: @escaping @Sendable (Value?) -> Void
    ) {
        if !inbox.post({ completion(body($0)) }) {
            completion(nil)
        }
    }

    /// Tells editors the gateway is going away, closes every connection and waits for the thread to end.
    public func shutdown() async {
        inbox.post { $0.beginShutdown() }
        await stopped.wait()
    }

    public func waitUntilStopped() async {
        await stopped.wait()
    }
}

/// Moves the non-Sendable loop onto its thread; after the handoff only that thread touches it.
private final class ServiceThreadHandoff: @unchecked Sendable {
    let loop: ServiceLoop
    init(loop: ServiceLoop) { self.loop = loop }
}
