import CLWS
import Glibc

/// What libwebsockets tells the gateway, as Swift calls: the one protocol callback below translates each
/// lws reason into one of these. The lifecycle of a server connection is `confirmUpgrade` →
/// `established` → `received` / `writable` → `closed`; plus HTTP, the adopted stdio descriptors, the one
/// outgoing client connection (to an owning or upstream gateway) and the inbox wake-up.
protocol LWSEventHandler: AnyObject {
    // Adopted stdin/stdout.
    /// Returns false when the descriptor is finished (lws then closes it).
    func fileReadable(_ connection: LWSConnection) -> Bool
    func fileWritable(_ connection: LWSConnection)
    func fileClosed(_ connection: LWSConnection)

    /// `LWSWaker.wake()` was called (from any thread).
    func wokenUp()

    // HTTP and the server side of WebSocket.
    func httpRequest(_ connection: LWSConnection, path: String) -> LWSCallbackResult
    func confirmUpgrade(_ connection: LWSConnection) -> LWSCallbackResult
    /// The session object the connection's later callbacks get, or nil to refuse it.
    func established(_ connection: LWSConnection) -> AnyObject?
    func received(_ session: AnyObject, _ bytes: UnsafeRawBufferPointer)
    func pong(_ session: AnyObject)
    /// The peer sent a close frame with `code` (nil: none in it); lws answers it and `closed` follows.
    func peerClosing(_ session: AnyObject, code: UInt16?)
    /// Returns false to close the connection (with the reason set on it).
    func writable(_ session: AnyObject) -> Bool
    func closed(_ session: AnyObject)

    // The client side (this gateway connecting to another).
    /// The `Authorization` value to add to the upgrade request, when the connection is ours and has one.
    func clientAuthorization(for connection: LWSConnection) -> (isOurs: Bool, value: String?)
    func clientEstablished(_ connection: LWSConnection) -> Bool
    func clientReceived(_ connection: LWSConnection, _ bytes: UnsafeRawBufferPointer)
    func clientWritable(_ connection: LWSConnection) -> Bool
    func clientClosed(_ connection: LWSConnection, error: String?)
}

/// What a callback tells lws.
enum LWSCallbackResult {
    /// Go on (0).
    case proceed
    /// Close the connection (-1).
    case close
    /// The HTTP answer is complete and the connection may close (1).
    case finished

    var code: Int32 {
        switch self {
        case .proceed: 0
        case .close: -1
        case .finished: 1
        }
    }
}

/// Carries the handler through lws' context user pointer, and the runtime for its own timer.
final class LWSHandlerBox {
    weak var handler: (any LWSEventHandler)?
    weak var runtime: LWSRuntime?

    init(_ handler: any LWSEventHandler) {
        self.handler = handler
    }

    func runtimeTimerGuardDue() {
        runtime?.keepLWSTimersPrompt()
    }
}

/// The one libwebsockets protocol callback. It must be a plain function: lws calls it through a C
/// function pointer.
func gatewayLWSCallback(
    _ wsi: OpaquePointer?, _ reason: lws_callback_reasons, _ user: UnsafeMutableRawPointer?,
    _ input: UnsafeMutableRawPointer?, _ length: Int
) -> Int32 {
    guard let pointer = wsi, let contextUser = lws_context_user(lws_get_context(pointer)),
          let handler = Unmanaged<LWSHandlerBox>.fromOpaque(contextUser).takeUnretainedValue().handler else {
        return lws_callback_http_dummy(wsi, reason, user, input, length)
    }
    let connection = LWSConnection(pointer: pointer)
    let slot = user?.assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
    let bytes = UnsafeRawBufferPointer(start: input, count: input == nil ? 0 : length)

    switch reason {
    case LWS_CALLBACK_RAW_ADOPT_FILE:
        return 0
    case LWS_CALLBACK_RAW_RX_FILE:
        return handler.fileReadable(connection) ? 0 : -1
    case LWS_CALLBACK_RAW_WRITEABLE_FILE:
        handler.fileWritable(connection)
        return 0
    case LWS_CALLBACK_RAW_CLOSE_FILE:
        handler.fileClosed(connection)
        return 0
    case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
        handler.wokenUp()
        return 0

    case LWS_CALLBACK_HTTP:
        let path = input.map { String(cString: $0.assumingMemoryBound(to: CChar.self)) } ?? "/"
        return handler.httpRequest(connection, path: path).code
    case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
        return handler.confirmUpgrade(connection).code
    case LWS_CALLBACK_ESTABLISHED:
        guard let slot, let session = handler.established(connection) else { return -1 }
        slot.pointee = Unmanaged.passRetained(session).toOpaque()
        return 0
    case LWS_CALLBACK_RECEIVE:
        guard let session = session(in: slot) else { return 0 }
        handler.received(session, bytes)
        return 0
    case LWS_CALLBACK_RECEIVE_PONG:
        if let session = session(in: slot) { handler.pong(session) }
        return 0
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
        // The payload starts with the close code, big-endian (RFC 6455 5.5.1); returning 0 echoes the close.
        if let session = session(in: slot) {
            handler.peerClosing(session, code: bytes.count >= 2 ? UInt16(bytes[0]) << 8 | UInt16(bytes[1]) : nil)
        }
        return 0
    case LWS_CALLBACK_SERVER_WRITEABLE:
        guard let session = session(in: slot) else { return 0 }
        return handler.writable(session) ? 0 : -1
    case LWS_CALLBACK_CLOSED:
        guard let slot, let retained = slot.pointee else { return 0 }
        slot.pointee = nil
        handler.closed(Unmanaged<AnyObject>.fromOpaque(retained).takeRetainedValue())
        return 0

    case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
        let (isOurs, value) = handler.clientAuthorization(for: connection)
        guard isOurs else { return 0 }
        guard let value else { return 0 }
        let cursor = input?.assumingMemoryBound(to: UnsafeMutablePointer<UInt8>?.self)
        guard let cursor, let start = cursor.pointee else { return -1 }
        let header = Array(value.utf8)
        let added = header.withUnsafeBufferPointer { buffer in
            lws_add_http_header_by_token(pointer, WSI_TOKEN_HTTP_AUTHORIZATION, buffer.baseAddress, Int32(buffer.count), cursor, start + length)
        }
        return added == 0 ? 0 : -1
    case LWS_CALLBACK_CLIENT_ESTABLISHED:
        return handler.clientEstablished(connection) ? 0 : -1
    case LWS_CALLBACK_CLIENT_RECEIVE:
        handler.clientReceived(connection, bytes)
        return 0
    case LWS_CALLBACK_CLIENT_WRITEABLE:
        return handler.clientWritable(connection) ? 0 : -1
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
        handler.clientClosed(connection, error: input.map { String(cString: $0.assumingMemoryBound(to: CChar.self)) } ?? "connection error")
        return 0
    case LWS_CALLBACK_CLIENT_CLOSED:
        handler.clientClosed(connection, error: nil)
        return 0

    default:
        return lws_callback_http_dummy(wsi, reason, user, input, length)
    }
}

private func session(in slot: UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> AnyObject? {
    guard let pointer = slot?.pointee else { return nil }
    return Unmanaged<AnyObject>.fromOpaque(pointer).takeUnretainedValue()
}
