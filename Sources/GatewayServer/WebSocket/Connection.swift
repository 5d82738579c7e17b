import GatewayCore
import GatewayEngine

/// One WebSocket connection as the service thread sees it: the socket side of its `Inbox` and `Outbox`
/// (GatewayEngine/Framing), which decide everything about framing and when to write; this class only
/// turns their answers into lws calls. Lives only on the service thread; lws holds an unmanaged reference
/// in the per-session data.
final class Connection {
    typealias Frame = Outbox.Frame
    typealias ReceiveResult = Inbox.Result

    let wsi: LWSConnection
    /// The core's id for this connection (for logs); changes when the client resumes an earlier id.
    var clientId: String
    /// The core's handle for this connection: what its events carry and where the service loop files it.
    let handle: ClientHandle
    private var inbox = Inbox()
    private var outbox: Outbox
    /// The buffer of the last write, kept until the next one: with permessage-deflate lws may still read it.
    private var lastWrite: [UInt8] = []
    /// Where this connection waits for the end of the loop's turn to write; nil writes at once (the link
    /// to another gateway, outside the listeners' loop turns).
    private let batch: WriteBatch?

    /// `framesServerSide`: this side writes unmasked server frames, which the outbox may frame itself.
    /// `negotiatedDeflate`: the client negotiated permessage-deflate.
    init(
        wsi: LWSConnection, clientId: String, handle: ClientHandle = .detached, batch: WriteBatch? = nil, framesServerSide: Bool = false,
        negotiatedDeflate: Bool = false
    ) {
        self.wsi = wsi
        self.clientId = clientId
        self.handle = handle
        self.batch = batch
        outbox = Outbox(
            headroom: LWSConnection.headroom, isBatched: batch != nil, framesServerSide: framesServerSide,
            negotiatedDeflate: negotiatedDeflate)
    }

    /// A larger cap on incoming messages than the gateway's own, for a gateway relaying its host's
    /// requests (their JSON-RPC envelope comes on top of the largest message).
    var messageLimit: Int?
    /// The code of the close frame the client sent, if it sent one (1000/1001: it left on purpose).
    var peerCloseCode: UInt16?
    /// Set while this connection's RECEIVE callback runs: nothing is written directly meanwhile.
    var handlingInput: Bool {
        get { outbox.handlingInput }
        set { outbox.handlingInput = newValue }
    }

    /// Queues a frame. `.refused` when the peer has let more than `limit` bytes pile up unread (the
    /// caller drops it); see `Outbox.enqueue`.
    @discardableResult
    func enqueue(_ frame: Frame, limit: Int = .max) -> Outbox.Admission {
        let admission = outbox.enqueue(frame, limit: limit, canWriteNow: wsi.canWriteNow)
        if case .queued(let timing) = admission { follow(timing) }
        return admission
    }

    /// Writes what this turn queued (`WriteBatch`), or asks for WRITEABLE when the outbox says so.
    func flushBatched() {
        follow(outbox.batchTurnEnded(canWriteNow: wsi.canWriteNow))
    }

    private func follow(_ timing: Outbox.WriteTiming) {
        switch timing {
        case .nothing: break
        case .onWritable: wsi.requestWritable()
        case .inBatch: batch?.add(self)
        case .now: if writeNext() == .close { abandon() }
        }
    }

    /// The connection's CLOSED callback came: its lws handle is gone, so nothing may touch it again.
    func forget() {
        outbox.drop()
    }

    /// Drops the queue and has lws close the socket from its own loop, with no close handshake: a peer
    /// that does not read would never receive one.
    func abandon() {
        outbox.drop()
        wsi.closeSoon()
    }

    /// Appends a received chunk, enforcing the size cap while receiving rather than after.
    func receive(_ bytes: UnsafeRawBufferPointer, limit: Int) -> ReceiveResult {
        inbox.receive(bytes, isFinal: wsi.endsMessage, isBinary: wsi.isBinaryFrame, limit: limit)
    }

    enum WriteResult { case keepOpen, close }

    /// Makes the outbox's next write (lws allows one write per WRITEABLE callback).
    func writeNext(inWritableCallback: Bool = false) -> WriteResult {
        let step = outbox.nextStep(inWritableCallback: inWritableCallback, buffer: &lastWrite)
        let written: Bool
        switch step {
        case .nothing:
            return .keepOpen
        case .framedRun(_, let byteCount):
            written = wsi.writeRaw(&lastWrite, length: byteCount)
        case .fragment(let bytes, let isBinary, let isStart, let isEnd):
            written = wsi.writeFrame(bytes, binary: isBinary, isStart: isStart, isEnd: isEnd, buffer: &lastWrite)
        case .ping(let payload):
            written = wsi.writePing(payload, buffer: &lastWrite)
        case .close(let code, let reason):
            wsi.setCloseReason(code: code, reason: reason)
            return .close
        }
        guard written else { return .close }
        if outbox.wrote(step) { wsi.requestWritable() }
        return .keepOpen
    }
}
