import CLWS
import Glibc

/// The libwebsockets context on a libev loop of our own, with everything C that lives as long as it: the
/// protocol table, the idle policy, the C strings lws keeps pointers to, the loop's timers and watches.
/// Every call checks lws' or libev's result. Lives on the service thread; only `waker` crosses threads.
final class LWSRuntime {
    /// What the listeners and the local vhost are built with.
    struct Options {
        var protocolName: String
        var globalTLS: Bool
        var disableIPv6: Bool
        /// The client side of WSS (`--upstream`): its CA, and our certificate for mutual TLS.
        var clientCAPath: String?
        var clientCertificatePath: String?
        var clientKeyPath: String?
    }

    /// A listening vhost's address and TLS.
    struct Listener {
        var port: Int
        var name: String
        var interface: String?
        var disableIPv6: Bool
        var permessageDeflate: Bool
        var tls: (certificatePath: String, privateKeyPath: String, clientCAPath: String?)?
    }

    private let context: OpaquePointer
    private let loop: OpaquePointer
    let localVhost: LWSVhost
    private let protocols: UnsafeMutablePointer<lws_protocols>
    private let idlePolicy: UnsafeMutablePointer<lws_retry_bo_t>
    private let foreignLoops: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    private let timerGuard: UnsafeMutablePointer<clws_timer>
    private var retainedCStrings: [UnsafeMutablePointer<CChar>] = []
    private var timers: [LWSLoopTimer] = []
    private var hangupWatches: [LWSHangupWatch] = []
    private var destroyed = false

    /// lws' own timeouts (close handshakes, upgrades, `closeSoon`) run on one libev timer that lws' libev
    /// glue cannot move earlier while it is armed: a timeout due before the armed time would wait for it.
    /// Keeping an lws timer of our own due at most this far ahead bounds that wait.
    static let lwsTimerBound = 0.5
    /// The most lws hands the kernel in one send: a turn's framed messages (`Outbox.framedRunLimit`)
    /// or a 64 KiB fragment, with room to spare.
    static let largestSend = 320 * 1024

    /// `handler` receives every lws callback (see `LWSCallback.swift`); it must outlive the runtime.
    init(options: Options, handler: any LWSEventHandler) throws(LWSError) {
        guard let loop = clws_ev_loop_create() else { throw .eventLoopFailed }
        self.loop = loop
        protocols = .allocate(capacity: 2)
        protocols.initialize(repeating: lws_protocols(), count: 2)
        idlePolicy = .allocate(capacity: 1)
        idlePolicy.initialize(to: lws_retry_bo_t())
        foreignLoops = .allocate(capacity: 1)
        foreignLoops.pointee = UnsafeMutableRawPointer(loop)
        timerGuard = .allocate(capacity: 1)
        timerGuard.initialize(to: clws_timer())
        handlerBox = LWSHandlerBox(handler)

        // One protocol serves both plain HTTP and WebSocket: clients that name no subprotocol, like
        // Godot's WebSocketPeer, are bound to the first one.
        protocols[0].name = UnsafePointer(Self.retain(options.protocolName, in: &retainedCStrings))
        protocols[0].callback = gatewayLWSCallback
        protocols[0].per_session_data_size = MemoryLayout<UnsafeMutableRawPointer?>.size
        // lws keeps a receive buffer of this size per connection: 4 KiB keeps 10,000 idle clients cheap,
        // and large messages are reassembled from chunks anyway.
        protocols[0].rx_buffer_size = 4096
        // Without it lws sends at most rx_buffer_size (+ LWS_PRE + 4) bytes per send(2) and copies the rest
        // into its own buffer for POLLOUT turns (lib/core-net/output.c, lws_issue_raw): one write per turn
        // (`WriteBatch`) and 64 KiB fragments would cost a send per 4 KiB. Only sends read it in 4.1.6.
        protocols[0].tx_packet_size = Self.largestSend

        var info = lws_context_creation_info()
        info.options = UInt64(LWS_SERVER_OPTION_EXPLICIT_VHOSTS) | UInt64(LWS_SERVER_OPTION_VALIDATE_UTF8)
        if options.globalTLS { info.options |= UInt64(LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT) }
        if options.disableIPv6 { info.options |= UInt64(LWS_SERVER_OPTION_DISABLE_IPV6) }
        info.user = Unmanaged.passUnretained(handlerBox).toOpaque()
        // epoll through libev instead of lws' poll() backend, which scans every socket per wake-up.
        info.options |= clws_option_libev()
        info.foreign_loops = foreignLoops
        guard let created = lws_create_context(&info) else {
            Self.release(loop: loop, protocols: protocols, idlePolicy: idlePolicy, foreignLoops: foreignLoops, timerGuard: timerGuard)
            throw .contextFailed
        }
        context = created

        var localInfo = lws_context_creation_info()
        localInfo.port = CONTEXT_PORT_NO_LISTEN
        localInfo.protocols = UnsafePointer(protocols)
        localInfo.vhost_name = UnsafePointer(Self.retain("local", in: &retainedCStrings))
        localInfo.options |= UInt64(LWS_SERVER_OPTION_VALIDATE_UTF8)
        if options.disableIPv6 { localInfo.options |= UInt64(LWS_SERVER_OPTION_DISABLE_IPV6) }
        if options.clientCAPath != nil || options.clientCertificatePath != nil || options.globalTLS {
            localInfo.options |= UInt64(LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT)
        }
        if let ca = options.clientCAPath { localInfo.client_ssl_ca_filepath = UnsafePointer(Self.retain(ca, in: &retainedCStrings)) }
        if let certificate = options.clientCertificatePath {
            localInfo.client_ssl_cert_filepath = UnsafePointer(Self.retain(certificate, in: &retainedCStrings))
        }
        if let key = options.clientKeyPath { localInfo.client_ssl_private_key_filepath = UnsafePointer(Self.retain(key, in: &retainedCStrings)) }
        guard let local = lws_create_vhost(created, &localInfo) else {
            lws_context_destroy(created)
            Self.release(loop: loop, protocols: protocols, idlePolicy: idlePolicy, foreignLoops: foreignLoops, timerGuard: timerGuard)
            throw .contextFailed
        }
        localVhost = LWSVhost(pointer: local)
        timerGuard.pointee.owner = Unmanaged.passUnretained(handlerBox).toOpaque()
        handlerBox.runtime = self
        keepLWSTimersPrompt()
    }

    private let handlerBox: LWSHandlerBox

    deinit {
        destroy()
        retainedCStrings.forEach { free($0) }
    }

    /// Destroys the context (closing every connection without a handshake) and the loop. Idempotent.
    func destroy() {
        guard !destroyed else { return }
        destroyed = true
        for timer in timers { timer.stop() }
        for watch in hangupWatches { watch.stop() }
        lws_context_destroy(context)
        Self.release(loop: loop, protocols: protocols, idlePolicy: idlePolicy, foreignLoops: foreignLoops, timerGuard: timerGuard)
    }

    private static func release(
        loop: OpaquePointer, protocols: UnsafeMutablePointer<lws_protocols>, idlePolicy: UnsafeMutablePointer<lws_retry_bo_t>,
        foreignLoops: UnsafeMutablePointer<UnsafeMutableRawPointer?>, timerGuard: UnsafeMutablePointer<clws_timer>
    ) {
        clws_ev_loop_destroy(loop)
        protocols.deinitialize(count: 2)
        protocols.deallocate()
        idlePolicy.deinitialize(count: 1)
        idlePolicy.deallocate()
        foreignLoops.deallocate()
        timerGuard.deinitialize(count: 1)
        timerGuard.deallocate()
    }

    private static func retain(_ text: String, in list: inout [UnsafeMutablePointer<CChar>]) -> UnsafeMutablePointer<CChar>? {
        guard let copy = strdup(text) else { return nil }
        list.append(copy)
        return copy
    }

    private func retained(_ text: String) -> UnsafeMutablePointer<CChar>? {
        Self.retain(text, in: &retainedCStrings)
    }

    // MARK: The loop

    /// Runs one iteration of the loop: waits for the next event and handles it (and whatever else is due).
    func runOnce() {
        guard !destroyed else { return }
        clws_ev_run_once(loop)
    }

    /// A libev timer on this loop that calls `fired` on the service thread.
    func makeTimer(_ fired: @escaping () -> Void) -> LWSLoopTimer {
        let timer = LWSLoopTimer(loop: loop, fired: fired)
        timers.append(timer)
        return timer
    }

    /// Calls `event` when descriptor `fd` reports an error or hang-up (stdout gone).
    func watchHangup(of fd: Int32, _ event: @escaping () -> Void) {
        let watch = LWSHangupWatch(loop: loop, fd: fd, event: event)
        hangupWatches.append(watch)
    }

    /// Wakes the loop from any thread: the one call lws allows off the service thread.
    var waker: LWSWaker { LWSWaker(context: context) }

    func keepLWSTimersPrompt() {
        guard !destroyed else { return }
        withUnsafeMutablePointer(to: &timerGuard.pointee.sul) { sul in
            lws_sul_schedule(context, 0, sul, gatewayLWSTimerGuardFired, lws_usec_t(Self.lwsTimerBound * 1_000_000))
        }
    }

    // MARK: Vhosts and connections

    /// A listening vhost; nil when lws could not bind or load its certificate.
    func listen(_ listener: Listener) -> LWSVhost? {
        var info = lws_context_creation_info()
        info.port = Int32(listener.port)
        info.protocols = UnsafePointer(protocols)
        info.vhost_name = UnsafePointer(retained("gateway-\(listener.name)"))
        if let interface = listener.interface { info.iface = UnsafePointer(retained(interface)) }
        // Invalid UTF-8 in a text frame closes that connection with 1007 instead of reaching the parser.
        info.options |= UInt64(LWS_SERVER_OPTION_VALIDATE_UTF8)
        // lws' permessage-deflate behind the shim's wrapper: small messages sent plain, the inflater's
        // input copied out of the read buffer all connections share, a failed inflate closes, and the
        // context-takeover parameters applied to the right side (docs/design-notes.md). SwiftPM does not
        // rebuild this module when only Sources/CLWS/shim.h changes: touch this file after editing it.
        if listener.permessageDeflate { info.extensions = clws_permessage_deflate_extensions() }
        // lws' default policy re-sorts a per-connection timer into one list on every message received,
        // O(clients) per message; the core's heartbeats already do its job, so lws' are off (all zero).
        info.retry_and_idle_policy = UnsafePointer(idlePolicy)
        if listener.disableIPv6 { info.options |= UInt64(LWS_SERVER_OPTION_DISABLE_IPV6) }
        if let tls = listener.tls {
            // lws 4.1 enables TLS on a vhost only when the vhost's own options carry this flag too.
            info.options |= UInt64(LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT)
            info.ssl_cert_filepath = UnsafePointer(retained(tls.certificatePath))
            info.ssl_private_key_filepath = UnsafePointer(retained(tls.privateKeyPath))
            info.ssl_options_set = clws_tls12_minimum_options()
            // Only HTTP/1.1 is offered by ALPN: lws' default list starts with h2, which Chromium takes and
            // then gets HTTP/1.1 bytes from the dashboard's handlers (ERR_HTTP2_PROTOCOL_ERROR).
            info.alpn = UnsafePointer(retained("http/1.1"))
            if let clientCA = tls.clientCAPath {
                info.ssl_ca_filepath = UnsafePointer(retained(clientCA))
                info.options |= clws_option_require_client_certificate()
            }
        }
        return lws_create_vhost(context, &info).map(LWSVhost.init)
    }

    func destroy(_ vhost: LWSVhost) {
        guard !destroyed else { return }
        lws_vhost_destroy(vhost.pointer)
    }

    /// Puts an open descriptor (stdin, stdout) into the loop as a raw file on the local vhost.
    func adopt(fileDescriptor fd: Int32, protocolName: String) -> LWSConnection? {
        var descriptor = lws_sock_file_fd_type()
        descriptor.filefd = fd
        return lws_adopt_descriptor_vhost(localVhost.pointer, LWS_ADOPT_RAW_FILE_DESC, descriptor, protocolName, nil).map(LWSConnection.init)
    }

    /// Starts a WebSocket client connection from the local vhost; nil when lws could not start it.
    func connect(host: String, port: Int, path: String, secure: Bool, protocolName: String) -> LWSConnection? {
        var info = lws_client_connect_info()
        info.context = context
        info.vhost = localVhost.pointer
        info.port = Int32(port)
        info.ietf_version_or_minus_one = -1
        if secure { info.ssl_connection = Int32(LCCSCF_USE_SSL.rawValue) }
        let address = strdup(host), pathCopy = strdup(path), hostCopy = strdup(host), name = strdup(protocolName)
        defer { free(address); free(pathCopy); free(hostCopy); free(name) }
        info.address = UnsafePointer(address)
        info.path = UnsafePointer(pathCopy)
        info.host = UnsafePointer(hostCopy)
        info.local_protocol_name = UnsafePointer(name)
        return lws_client_connect_via_info(&info).map(LWSConnection.init)
    }

    /// Replaces the listeners' certificate and key for new connections; nil on success, else lws' code.
    func updateCertificate(certificatePath: String, privateKeyPath: String, certificate: [UInt8], privateKey: [UInt8]) -> Int32? {
        let result = certificate.withUnsafeBytes { cert in
            privateKey.withUnsafeBytes { key in
                lws_tls_cert_updated(
                    context, certificatePath, privateKeyPath, cert.baseAddress?.assumingMemoryBound(to: CChar.self), cert.count,
                    key.baseAddress?.assumingMemoryBound(to: CChar.self), key.count)
            }
        }
        return result == 0 ? nil : result
    }
}

/// Why the runtime could not be created.
enum LWSError: Error {
    case eventLoopFailed
    case contextFailed
}

/// The context pointer, wrapped for the one call libwebsockets allows from any thread. The inbox stops
/// calling it before the context is destroyed (see `ServiceInbox.close`).
struct LWSWaker: @unchecked Sendable {
    fileprivate let context: OpaquePointer
    func wake() { lws_cancel_service(context) }
}

/// A libev timer on the runtime's loop.
final class LWSLoopTimer {
    private let loop: OpaquePointer
    private let timer: UnsafeMutablePointer<clws_ev_timer>
    private let fired: () -> Void

    fileprivate init(loop: OpaquePointer, fired: @escaping () -> Void) {
        self.loop = loop
        self.fired = fired
        timer = .allocate(capacity: 1)
        timer.initialize(to: clws_ev_timer())
        clws_ev_timer_init(timer, gatewayLoopTimerFired, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit {
        timer.deinitialize(count: 1)
        timer.deallocate()
    }

    /// Fires once, `seconds` from now (a re-arm replaces the previous time).
    func arm(after seconds: Double) { clws_ev_timer_arm(loop, timer, max(0, seconds)) }
    func stop() { clws_ev_timer_stop(loop, timer) }
    fileprivate func fire() { fired() }
}

/// A libev watch for errors and hang-ups on one descriptor.
final class LWSHangupWatch {
    private let loop: OpaquePointer
    private let watch: UnsafeMutablePointer<clws_ev_hangup_watch>
    private let event: () -> Void

    fileprivate init(loop: OpaquePointer, fd: Int32, event: @escaping () -> Void) {
        self.loop = loop
        self.event = event
        watch = .allocate(capacity: 1)
        watch.initialize(to: clws_ev_hangup_watch())
        clws_ev_hangup_watch_start(loop, watch, fd, gatewayHangupWatchFired, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit {
        watch.deinitialize(count: 1)
        watch.deallocate()
    }

    func stop() { clws_ev_hangup_watch_stop(loop, watch) }
    fileprivate func fire() { event() }
}

private func gatewayLoopTimerFired(_ owner: UnsafeMutableRawPointer?) {
    guard let owner else { return }
    Unmanaged<LWSLoopTimer>.fromOpaque(owner).takeUnretainedValue().fire()
}

private func gatewayHangupWatchFired(_ owner: UnsafeMutableRawPointer?) {
    guard let owner else { return }
    Unmanaged<LWSHangupWatch>.fromOpaque(owner).takeUnretainedValue().fire()
}

/// Fired by lws when the guard timer is due; it only schedules itself again.
private func gatewayLWSTimerGuardFired(_ sul: UnsafeMutablePointer<lws_sorted_usec_list_t>?) {
    guard let sul, let owner = clws_timer_owner(sul) else { return }
    Unmanaged<LWSHandlerBox>.fromOpaque(owner).takeUnretainedValue().runtimeTimerGuardDue()
}
