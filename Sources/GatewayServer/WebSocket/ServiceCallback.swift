import GatewayCore
import CLWS
import FoundationEssentials
import Glibc

/// The one libwebsockets protocol callback. It translates lws reasons into `ServiceLoop` calls; the
/// lifecycle is ESTABLISHED → RECEIVE / SERVER_WRITEABLE → CLOSED, plus HTTP for /health and the
/// inbox wake-up. It must be a plain function: lws calls it through a C function pointer.
func gatewayServiceCallback(
    _ wsi: OpaquePointer?, _ reason: lws_callback_reasons, _ user: UnsafeMutableRawPointer?,
    _ input: UnsafeMutableRawPointer?, _ length: Int
) -> Int32 {
    guard let pointer = wsi, let contextUser = lws_context_user(lws_get_context(pointer)) else {
        return lws_callback_http_dummy(wsi, reason, user, input, length)
    }
    let connectionHandle = LWSConnection(pointer: pointer)
    let loop = Unmanaged<ServiceLoop>.fromOpaque(contextUser).takeUnretainedValue()
    let slot = user?.assumingMemoryBound(to: UnsafeMutableRawPointer?.self)

    switch reason {
    case LWS_CALLBACK_RAW_ADOPT_FILE:
        return 0

    case LWS_CALLBACK_RAW_RX_FILE:
        guard let stdio = loop.stdio, connectionHandle == stdio.inputWsi else { return 0 }
        let keepOpen = stdio.readAvailable()
        loop.pump()
        return keepOpen ? 0 : -1

    case LWS_CALLBACK_RAW_WRITEABLE_FILE:
        loop.stdio?.flush()
        return 0

    case LWS_CALLBACK_RAW_CLOSE_FILE:
        loop.stdio?.inputClosing(connectionHandle)
        loop.stdio?.outputClosing(connectionHandle)
        loop.pump()
        return 0

    case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
        loop.drainInbox()
        return 0

    case LWS_CALLBACK_HTTP:
        let path = input.map { String(cString: $0.assumingMemoryBound(to: CChar.self)) } ?? "/"
        return HTTPResponder.respond(wsi: connectionHandle, path: path, loop: loop)

    case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
        // The last moment to refuse with an HTTP status: origin, host, limits and a presented token.
        if case .deny(let status, let reason) = loop.core.admit(UpgradeRequestReader.read(connectionHandle), isUpgrade: true) {
            return HTTPResponder.refuse(wsi: connectionHandle, status: status, reason: reason)
        }
        return 0

    case LWS_CALLBACK_ESTABLISHED:
        let request = UpgradeRequestReader.read(connectionHandle)
        guard let slot, let connection = loop.established(wsi: connectionHandle, request: request) else {
            connectionHandle.setCloseReason(code: CloseCode.goingAway, reason: "gateway shutting down")
            return -1
        }
        slot.pointee = Unmanaged.passRetained(connection).toOpaque()
        return 0

    case LWS_CALLBACK_RECEIVE:
        guard let connection = connection(in: slot) else { return 0 }
        connection.handlingInput = true
        defer { connection.handlingInput = false }
        let bytes = UnsafeRawBufferPointer(start: input, count: input == nil ? 0 : length)
        switch connection.receive(bytes, limit: connection.messageLimit ?? loop.maxMessageSize) {
        case .incomplete:
            break
        case .message(let payload, let isBinary) where loop.echoMode:
            connection.enqueue(isBinary ? .binary(payload) : .text(payload))
        case .message(let payload, let isBinary):
            if isBinary {
                loop.core.receiveBinary(connection.clientId, byteCount: payload.count)
            } else {
                loop.core.receive(connection.clientId, text: Data(payload))
            }
            loop.pump()
        case .tooLarge(let head):
            loop.core.messageTooLarge(connection.clientId, limit: loop.maxMessageSize, head: head)
            loop.pump()
        }
        return 0

    case LWS_CALLBACK_RECEIVE_PONG:
        if let connection = connection(in: slot) {
            loop.core.noteActivity(connection.clientId)
        }
        return 0

    case LWS_CALLBACK_SERVER_WRITEABLE:
        guard let connection = connection(in: slot) else { return 0 }
        return connection.writeNext() == .close ? -1 : 0

    case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
        guard let link = loop.ownerLink, link.owns(connectionHandle) else { return 0 }
        let cursor = input?.assumingMemoryBound(to: UnsafeMutablePointer<UInt8>?.self)
        return link.appendHeaders(cursor, end: cursor?.pointee.map { $0 + length }) ? 0 : -1

    case LWS_CALLBACK_CLIENT_ESTABLISHED:
        guard let link = loop.ownerLink, link.owns(connectionHandle) else { return -1 }
        link.established(gatewayVersion: loop.core.settings.gatewayVersion)
        loop.pump()
        return 0

    case LWS_CALLBACK_CLIENT_RECEIVE:
        guard let link = loop.ownerLink, link.owns(connectionHandle), let connection = link.connection else { return 0 }
        let bytes = UnsafeRawBufferPointer(start: input, count: input == nil ? 0 : length)
        if case .message(let payload, _) = connection.receive(bytes, limit: loop.maxMessageSize * 4) {
            link.received(payload)
            loop.pump()
        }
        return 0

    case LWS_CALLBACK_CLIENT_WRITEABLE:
        guard let connection = loop.ownerLink?.connection, connection.wsi == connectionHandle else { return 0 }
        return connection.writeNext() == .close ? -1 : 0

    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR, LWS_CALLBACK_CLIENT_CLOSED:
        if let link = loop.ownerLink, link.owns(connectionHandle) {
            let reason = reason == LWS_CALLBACK_CLIENT_CONNECTION_ERROR
                ? input.map { String(cString: $0.assumingMemoryBound(to: CChar.self)) } : nil
            link.closed(reason: reason)
            loop.pump()
        }
        return 0

    case LWS_CALLBACK_CLOSED:
        guard let slot, let pointer = slot.pointee else { return 0 }
        slot.pointee = nil
        let connection = Unmanaged<Connection>.fromOpaque(pointer).takeRetainedValue()
        loop.closed(connection)
        return 0

    default:
        return lws_callback_http_dummy(wsi, reason, user, input, length)
    }
}

private func connection(in slot: UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Connection? {
    guard let pointer = slot?.pointee else { return nil }
    return Unmanaged<Connection>.fromOpaque(pointer).takeUnretainedValue()
}
