import GatewayCore
import FoundationEssentials

/// What libwebsockets reports (`LWS/LWSCallback.swift`), turned into the service loop's work: stdio,
/// HTTP, the WebSocket lifecycle and the link to another gateway.
extension ServiceLoop: LWSEventHandler {
    // MARK: stdio

    func fileReadable(_ connection: LWSConnection) -> Bool {
        guard let stdio, connection == stdio.inputWsi else { return true }
        let keepOpen = stdio.readAvailable()
        pump()
        return keepOpen
    }

    func fileWritable(_ connection: LWSConnection) {
        stdio?.flush()
    }

    func fileClosed(_ connection: LWSConnection) {
        stdio?.inputClosing(connection)
        stdio?.outputClosing(connection)
        pump()
    }

    func wokenUp() {
        drainInbox()
    }

    // MARK: HTTP and WebSocket

    func httpRequest(_ connection: LWSConnection, path: String) -> LWSCallbackResult {
        HTTPResponder.respond(connection, path: path, loop: self)
    }

    /// The last moment to refuse with an HTTP status: origin, host, limits and a presented token.
    func confirmUpgrade(_ connection: LWSConnection) -> LWSCallbackResult {
        if case .deny(let status, let reason) = core.admit(UpgradeRequestReader.read(connection), isUpgrade: true) {
            return HTTPResponder.refuse(connection, status: status, reason: reason)
        }
        return .proceed
    }

    func established(_ connection: LWSConnection) -> AnyObject? {
        guard let session = established(wsi: connection, request: UpgradeRequestReader.read(connection)) else {
            connection.setCloseReason(code: CloseCode.goingAway, reason: "gateway shutting down")
            return nil
        }
        return session
    }

    func received(_ session: AnyObject, _ bytes: UnsafeRawBufferPointer) {
        guard let connection = session as? Connection else { return }
        connection.handlingInput = true
        defer { connection.handlingInput = false }
        switch connection.receive(bytes, limit: connection.messageLimit ?? maxMessageSize) {
        case .incomplete:
            break
        case .message(let payload, let isBinary) where echoMode:
            connection.enqueue(isBinary ? .binary(payload) : .text(payload))
        case .message(let payload, let isBinary):
            if isBinary {
                core.receiveBinary(connection.clientId, byteCount: payload.count)
            } else {
                core.receive(connection.clientId, text: Data(payload))
            }
            pump()
        case .tooLarge(let head):
            core.messageTooLarge(connection.clientId, limit: maxMessageSize, head: head)
            pump()
        }
    }

    func pong(_ session: AnyObject) {
        guard let connection = session as? Connection else { return }
        core.noteActivity(connection.clientId)
    }

    func writable(_ session: AnyObject) -> Bool {
        guard let connection = session as? Connection else { return true }
        return connection.writeNext() != .close
    }

    func closed(_ session: AnyObject) {
        guard let connection = session as? Connection else { return }
        closed(connection)
    }

    // MARK: The link to another gateway

    func clientAuthorization(for connection: LWSConnection) -> (isOurs: Bool, value: String?) {
        guard let link = ownerLink, link.owns(connection) else { return (false, nil) }
        return (true, link.authorization)
    }

    func clientEstablished(_ connection: LWSConnection) -> Bool {
        guard let link = ownerLink, link.owns(connection) else { return false }
        link.established(gatewayVersion: core.settings.gatewayVersion)
        pump()
        return true
    }

    func clientReceived(_ connection: LWSConnection, _ bytes: UnsafeRawBufferPointer) {
        guard let link = ownerLink, link.owns(connection), let linkConnection = link.connection else { return }
        if case .message(let payload, _) = linkConnection.receive(bytes, limit: maxMessageSize * 4) {
            link.received(payload)
            pump()
        }
    }

    func clientWritable(_ connection: LWSConnection) -> Bool {
        guard let linkConnection = ownerLink?.connection, linkConnection.wsi == connection else { return true }
        return linkConnection.writeNext() != .close
    }

    func clientClosed(_ connection: LWSConnection, error: String?) {
        guard let link = ownerLink, link.owns(connection) else { return }
        link.closed(reason: error)
        pump()
    }
}
