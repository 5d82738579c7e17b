import GatewayCore
import GatewayEngine

/// What libwebsockets reports (`LWS/LWSCallback.swift`), turned into the service loop's work: stdio,
/// HTTP, the WebSocket lifecycle and the link to another gateway.
extension ServiceLoop: LWSEventHandler {
    // MARK: stdio

    func fileReadable(_ connection: LWSConnection) -> Bool {
        guard let stdio, connection == stdio.inputWsi else { return true }
        return stdio.readAvailable()
    }

    func fileWritable(_ connection: LWSConnection) {
        stdio?.flush()
    }

    func fileClosed(_ connection: LWSConnection) {
        stdio?.inputClosing(connection)
        stdio?.outputClosing(connection)
    }

    func wokenUp() {
        drainInbox()
    }

    // MARK: HTTP and WebSocket

    func httpRequest(_ connection: LWSConnection, path: String) -> LWSCallbackResult {
        let event = EngineEvent.httpRequest(
            UpgradeRequestReader.read(connection), path: path, isPost: connection.isPost, overTLS: listenSettings?.tls != nil)
        let actions = engine.handle(event)
        var answer: HTTPAnswer?
        for case .httpResponse(let response) in actions { answer = response }
        perform(actions)
        guard let answer else { return .close }
        return HTTPResponder.write(answer, to: connection)
    }

    /// The last moment to refuse with an HTTP status: origin, host, limits and a presented token.
    func confirmUpgrade(_ connection: LWSConnection) -> LWSCallbackResult {
        let actions = engine.handle(.requestArrived(UpgradeRequestReader.read(connection), upgrade: true))
        perform(actions)
        for case .admitted(.deny(let status, let reason)) in actions {
            return HTTPResponder.write(HTTPRoutes.refusal(status: status, reason: reason), to: connection)
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
            handle(isBinary
                ? .binaryMessage(client: connection.handle, byteCount: payload.count)
                : .textMessage(client: connection.handle, bytes: payload))
        case .tooLarge(let head):
            handle(.messageTooLarge(client: connection.handle, limit: maxMessageSize, head: head))
        }
    }

    func pong(_ session: AnyObject) {
        guard let connection = session as? Connection else { return }
        handle(.pong(client: connection.handle))
    }

    func peerClosing(_ session: AnyObject, code: UInt16?) {
        (session as? Connection)?.peerCloseCode = code
    }

    func writable(_ session: AnyObject) -> Bool {
        guard let connection = session as? Connection else { return true }
        return connection.writeNext(inWritableCallback: true) != .close
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
        return true
    }

    func clientReceived(_ connection: LWSConnection, _ bytes: UnsafeRawBufferPointer) {
        guard let link = ownerLink, link.owns(connection), let linkConnection = link.connection else { return }
        if case .message(let payload, _) = linkConnection.receive(bytes, limit: maxMessageSize * 4) {
            link.received(payload)
        }
    }

    func clientWritable(_ connection: LWSConnection) -> Bool {
        guard let linkConnection = ownerLink?.connection, linkConnection.wsi == connection else { return true }
        return linkConnection.writeNext(inWritableCallback: true) != .close
    }

    func clientClosed(_ connection: LWSConnection, error: String?) {
        guard let link = ownerLink, link.owns(connection) else { return }
        link.closed(reason: error)
    }
}
