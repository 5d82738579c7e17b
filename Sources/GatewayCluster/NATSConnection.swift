import CNATS
import GatewaySystem
import Glibc

/// One connection to a NATS server (or cluster of servers), safe to use from any thread: libnats locks
/// internally and delivers messages and connection events on threads of its own.
package final class NATSConnection: @unchecked Sendable {
    package struct Options: Sendable {
        package var servers: [String]
        package var name: String
        package var token: String?
        package var caFile: String?
        package var certificateFile: String?
        package var keyFile: String?
        /// A NATS credentials file (user JWT and NKey seed), as `nsc` writes it.
        package var credentialsFile: String?

        package init(
            servers: [String], name: String, token: String? = nil, caFile: String? = nil, certificateFile: String? = nil, keyFile: String? = nil,
            credentialsFile: String? = nil
        ) {
            self.credentialsFile = credentialsFile
            self.servers = servers
            self.name = name
            self.token = token
            self.caFile = caFile
            self.certificateFile = certificateFile
            self.keyFile = keyFile
        }
    }

    /// `disconnected` and `closed` carry libnats' last error when there is one (a refused TLS handshake, say).
    package enum Event: Sendable { case connected, disconnected(reason: String?), closed(reason: String?) }

    /// Receives messages of one subscription; kept alive as long as the connection.
    private final class Handler {
        let deliver: @Sendable (NATSMessage) -> Void
        init(_ deliver: @escaping @Sendable (NATSMessage) -> Void) { self.deliver = deliver }
    }

    private final class EventSink: Sendable {
        let report: @Sendable (Event) -> Void
        init(_ report: @escaping @Sendable (Event) -> Void) { self.report = report }
    }

    /// Every connection's event sink, kept for the life of the process: libnats calls the closed
    /// callback on a thread of its own, which can run after `close` and after the connection object is
    /// gone (a test caught a sink freed in the middle of such a call). One small object per connection
    /// ever made; kept reachable here, so a leak checker does not count it.
    private static let keptSinks = LockedState<[EventSink]>([])

    let connection: OpaquePointer
    private let options: OpaquePointer
    private let events: EventSink
    private var handlers: [Unmanaged<Handler>] = []
    private var subscriptions: [OpaquePointer] = []

    /// Connects, or keeps trying in the background when no server answers yet (a node without its broker
    /// still serves its own editors); `onEvent` hears when the link comes and goes.
    package init(_ settings: Options, onEvent: @escaping @Sendable (Event) -> Void) throws(NATSError) {
        var created: OpaquePointer?
        try check(natsOptions_Create(&created), "natsOptions_Create")
        guard let options = created else { throw NATSError("natsOptions_Create", NATS_NO_MEMORY) }
        self.options = options
        let kept = EventSink(onEvent)
        events = kept
        Self.keptSinks.withLock { $0.append(kept) }
        let sink = Unmanaged.passUnretained(kept).toOpaque()
        do throws(NATSError) {
            let copies = settings.servers.map { strdup($0) }
            defer { copies.forEach { free($0) } }
            var servers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } }
            let status = servers.contains(where: { $0 == nil }) || servers.isEmpty
                ? NATS_INVALID_ARG : natsOptions_SetServers(options, &servers, Int32(servers.count))
            try check(status, "natsOptions_SetServers")
            try check(natsOptions_SetName(options, settings.name), "natsOptions_SetName")
            if let token = settings.token { try check(natsOptions_SetToken(options, token), "natsOptions_SetToken") }
            if let credentials = settings.credentialsFile {
                try check(natsOptions_SetUserCredentialsFromFiles(options, credentials, nil), "natsOptions_SetUserCredentialsFromFiles")
            }
            if let caFile = settings.caFile {
                try check(natsOptions_SetSecure(options, true), "natsOptions_SetSecure")
                try check(natsOptions_LoadCATrustedCertificates(options, caFile), "natsOptions_LoadCATrustedCertificates")
            }
            if let certificate = settings.certificateFile, let key = settings.keyFile {
                try check(natsOptions_LoadCertificatesChain(options, certificate, key), "natsOptions_LoadCertificatesChain")
            }
            // Reconnect for ever, quickly: a node without its broker is cut off from the cluster.
            try check(natsOptions_SetMaxReconnect(options, -1), "natsOptions_SetMaxReconnect")
            try check(natsOptions_SetReconnectWait(options, 250), "natsOptions_SetReconnectWait")
            try check(natsOptions_SetPingInterval(options, 2000), "natsOptions_SetPingInterval")
            try check(natsOptions_SetMaxPingsOut(options, 2), "natsOptions_SetMaxPingsOut")
            try check(natsOptions_SetTimeout(options, 2000), "natsOptions_SetTimeout")
            try check(natsOptions_SetNoEcho(options, false), "natsOptions_SetNoEcho")
            // A forwarded call is one small message each way: written at once, not when libnats' flusher
            // thread next wakes (that cost about 1 ms per hop).
            try check(natsOptions_SetSendAsap(options, true), "natsOptions_SetSendAsap")
            try check(natsOptions_SetDisconnectedCB(options, { nc, sink in NATSConnection.report(.disconnected(reason: NATSConnection.lastError(of: nc)), sink) }, sink), "natsOptions_SetDisconnectedCB")
            try check(natsOptions_SetReconnectedCB(options, { _, sink in NATSConnection.report(.connected, sink) }, sink), "natsOptions_SetReconnectedCB")
            try check(natsOptions_SetClosedCB(options, { nc, sink in NATSConnection.report(.closed(reason: NATSConnection.lastError(of: nc)), sink) }, sink), "natsOptions_SetClosedCB")
            try check(natsOptions_SetRetryOnFailedConnect(options, true, { _, sink in NATSConnection.report(.connected, sink) }, sink),
                      "natsOptions_SetRetryOnFailedConnect")
            var opened: OpaquePointer?
            let status2 = try check(natsConnection_Connect(&opened, options), "natsConnection_Connect", allowing: [NATS_NOT_YET_CONNECTED])
            guard let opened else { throw NATSError("natsConnection_Connect", status2) }
            connection = opened
            // Retrying in the background: said now, since libnats reports nothing until it connects.
            onEvent(status2 == NATS_OK ? .connected : .disconnected(reason: Self.lastError(of: opened) ?? "no NATS server answered"))
        } catch {
            natsOptions_Destroy(options)
            throw error
        }
    }

    /// Releases libnats' own threads and memory (so a leak checker sees nothing left at exit); waits at
    /// most a second.
    package static func releaseLibrary() {
        _ = nats_CloseAndWait(1000)
    }

    private static func lastError(of connection: OpaquePointer?) -> String? {
        guard let connection else { return nil }
        var text: UnsafePointer<CChar>?
        guard natsConnection_GetLastError(connection, &text) != NATS_OK, let text else { return nil }
        let reason = String(cString: text)
        return reason.isEmpty ? nil : reason
    }

    private static func report(_ event: Event, _ sink: UnsafeMutableRawPointer?) {
        guard let sink else { return }
        Unmanaged<EventSink>.fromOpaque(sink).takeUnretainedValue().report(event)
    }

    package var isConnected: Bool { natsConnection_Status(connection) == NATS_CONN_STATUS_CONNECTED }

    /// Why the connection failed last, as libnats puts it (nil when it has not).
    package var lastError: String? { Self.lastError(of: connection) }

    /// The largest message the server it is connected to takes, in bytes (0 while not connected).
    package var maxPayload: Int { Int(clamping: natsConnection_GetMaxPayload(connection)) }

    /// Closed for good: by `close`, or by libnats after the server refused this client (wrong token).
    package var isClosed: Bool { natsConnection_IsClosed(connection) }

    /// Delivers every message on `subject` to `deliver`, on a libnats thread.
    package func subscribe(_ subject: String, deliver: @escaping @Sendable (NATSMessage) -> Void) throws(NATSError) {
        let handler = Unmanaged.passRetained(Handler(deliver))
        var subscription: OpaquePointer?
        let status = natsConnection_Subscribe(&subscription, connection, subject, { _, _, message, closure in
            guard let message else { return }
            defer { natsMsg_Destroy(message) }
            guard let closure else { return }
            Unmanaged<Handler>.fromOpaque(closure).takeUnretainedValue().deliver(NATSMessage(message))
        }, handler.toOpaque())
        guard status == NATS_OK, let subscription else {
            handler.release()
            throw NATSError("natsConnection_Subscribe \(subject)", status)
        }
        // Slow consumers drop rather than grow without bound; the service thread drains quickly.
        try check(natsSubscription_SetPendingLimits(subscription, 65_536, 256 << 20), "natsSubscription_SetPendingLimits")
        handlers.append(handler)
        subscriptions.append(subscription)
    }

    /// Publishes `bytes` (with a subject for the answer, when one is wanted). False when libnats refused
    /// it (closed, or its reconnect buffer is full).
    @discardableResult
    package func publish(_ subject: String, reply: String? = nil, bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { buffer in
            let status = reply.map { natsConnection_PublishRequest(connection, subject, $0, buffer.baseAddress, Int32(buffer.count)) }
                ?? natsConnection_Publish(connection, subject, buffer.baseAddress, Int32(buffer.count))
            return status == NATS_OK
        }
    }

    /// Closes the connection (pending publishes are flushed first, briefly) and frees it.
    package func close() {
        _ = natsConnection_FlushTimeout(connection, 500)
        for subscription in subscriptions {
            _ = natsSubscription_Unsubscribe(subscription)
            natsSubscription_Destroy(subscription)
        }
        subscriptions.removeAll()
        natsConnection_Close(connection)
        natsConnection_Destroy(connection)
        natsOptions_Destroy(options)
        handlers.forEach { $0.release() }
        handlers.removeAll()
    }
}
